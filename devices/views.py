"""Device screens: the device list and page, the counter's hand-out and
return (a broken device goes through the atelier's repair intake),
reservations per place, a resident's subscriptions, the printable borrower
agreement and asset-tag label, and the yearly checks due."""

from datetime import timedelta

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from devices import services
from devices.forms import (
    ATELIER,
    SUBSCRIPTION_ACTIONS,
    AssignDeviceForm,
    ChosenDeviceForm,
    DeviceFilterForm,
    DeviceStatusForm,
    HandOutForm,
    ReservationForm,
    ResidentSearchForm,
    ReturnForm,
    SendForm,
    SubscriptionActionForm,
    SubscriptionForm,
    place_choices,
    place_from_choice,
)
from devices.models import (
    OPEN_RESERVATION_STATUSES,
    Device,
    DeviceKind,
    DeviceStatus,
    Loan,
    LoanStatus,
    Reservation,
    ReservationStatus,
    Subscription,
    SubscriptionStatus,
    slot_for_kind,
)
from devices.services import LoanError
from digibank.access import role_required
from digibank.models import AuditAction, Resident
from digibank.services import record_audit
from points.models import Point
from points.workspace import current_point

VIEWERS = ("host", "atelier", "coordinator")
COUNTER = ("host", "atelier", "coordinator")
MOVERS = ("atelier", "coordinator")
RESIDENT_VIEWERS = ("host", "coach", "coordinator")
SUBSCRIPTION_EDITORS = ("host", "coordinator")


def _initial_place(request) -> str:
    point = current_point(request)
    if point is not None and str(point.pk) in dict(place_choices(request.user)):
        return str(point.pk)
    return ATELIER if request.user.has_role("atelier", "coordinator") else ""


def _works_at(user, point: Point | None) -> bool:
    if user.has_role("coordinator"):
        return True
    if point is None:
        return user.has_role("atelier")
    return user.has_role("atelier") or Point.objects.for_staff(user).filter(pk=point.pk).exists()


def _device_or_404(tag: str) -> Device:
    return get_object_or_404(Device.objects.with_location(), asset_tag__iexact=tag)


# --- Devices ---------------------------------------------------------------


@role_required(*VIEWERS)
def device_list(request):
    form = DeviceFilterForm(request.GET or None)
    active_loans = Prefetch("loans", queryset=Loan.objects.active().select_related("resident"),
                            to_attr="active_loans")
    devices = form.filter(Device.objects.with_location().prefetch_related(active_loans))
    page = Paginator(devices, 50).get_page(request.GET.get("page"))
    counts = dict(Device.objects.values_list("status").annotate(n=Count("pk")))
    totals = [(value, label, counts.get(value, 0)) for value, label in DeviceStatus.choices]
    template = "devices/device_list.html#results" if request.htmx else "devices/device_list.html"
    return render(request, template, {"form": form, "page": page, "totals": totals})


@role_required(*VIEWERS)
def device_detail(request, tag: str):
    device = _device_or_404(tag)
    loans = list(device.loans.select_related(
        "resident", "subscription__plan", "handed_out_at_point", "returned_at_point"))
    current = next((loan for loan in loans if loan.is_active), None)
    # A host sees the borrowers, and opens the agreements, of loans at their
    # own points only: no link here leads to a page they may not open.
    visible = set(Loan.objects.for_staff(request.user).filter(device=device)
                  .values_list("pk", flat=True))
    if current is not None and current.pk in visible:
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=current.resident,
                     target=current, summary=_("Loan seen on device page %(tag)s") % {
                         "tag": device.asset_tag})
    events = device.events.select_related("actor", "from_point", "to_point", "where",
                                          "loan__resident")[:200]
    can_move = request.user.has_role(*MOVERS)
    can_receive = device.status == DeviceStatus.IN_TRANSIT and _works_at(
        request.user, device.point)
    return render(request, "devices/device_detail.html", {
        "device": device, "loans": loans, "current": current, "events": events,
        "visible_loans": visible,
        "defects": device.defects.select_related("reported_at_point", "reported_by"),
        # Offered only where the lifecycle lets the device go on its way.
        "send_form": SendForm() if can_move and device.can_move_to(DeviceStatus.IN_TRANSIT)
        else None, "can_move": can_move,
        "status_form": DeviceStatusForm(device=device) if can_move else None,
        "can_receive": can_receive, "can_see_resident": request.user.has_role(*RESIDENT_VIEWERS),
    })


def _qr_label(request, device: Device) -> dict:
    url = request.build_absolute_uri(reverse("devices:device-detail", args=[device.asset_tag]))
    return {"device": device, "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2)}


@role_required(*VIEWERS)
def device_label(request, tag: str):
    return render(request, "devices/device_label.html",
                  {"labels": [_qr_label(request, _device_or_404(tag))]})


@role_required(*VIEWERS)
def device_labels(request):
    """A sheet of labels for one page of the (filtered) device list."""
    form = DeviceFilterForm(request.GET or None)
    page = Paginator(form.filter(Device.objects.all()), 50).get_page(request.GET.get("page"))
    return render(request, "devices/device_label.html", {
        "labels": [_qr_label(request, device) for device in page.object_list], "page": page})


@require_POST
@role_required(*MOVERS)
def device_send(request, tag: str):
    device = _device_or_404(tag)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.send_to_point(actor=request.user, device=device,
                                   point=form.cleaned_data["point"])
        except LoanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(tag)s is on its way to %(point)s.") % {
                "tag": device.asset_tag, "point": form.cleaned_data["point"]})
    else:
        messages.error(request, _("Choose the point to send it to."))
    return redirect("devices:device-detail", tag=device.asset_tag)


@require_POST
@role_required(*MOVERS)
def device_status(request, tag: str):
    device = _device_or_404(tag)
    form = DeviceStatusForm(request.POST, device=device)
    if form.is_valid():
        try:
            services.change_device_status(actor=request.user, device=device,
                                          status=form.cleaned_data["status"],
                                          note=form.cleaned_data["note"])
        except LoanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("This step is not possible for this device now."))
    return redirect("devices:device-detail", tag=device.asset_tag)


@require_POST
@role_required(*COUNTER)
def device_receive(request, tag: str):
    device = _device_or_404(tag)
    if not _works_at(request.user, device.point):
        raise Http404
    try:
        services.receive_at_point(actor=request.user, device=device, point=device.point)
    except LoanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(tag)s received at %(point)s.") % {
            "tag": device.asset_tag, "point": device.point})
    return redirect("devices:device-detail", tag=device.asset_tag)


@require_POST
@role_required(*MOVERS)
def device_to_atelier(request, tag: str):
    device = _device_or_404(tag)
    try:
        services.return_to_atelier(actor=request.user, device=device)
    except LoanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(tag)s is back at the atelier.") % {
            "tag": device.asset_tag})
    return redirect("devices:device-detail", tag=device.asset_tag)


# --- The counter -----------------------------------------------------------


def _chosen_resident(request) -> Resident | None:
    value = request.POST.get("inwoner") or request.GET.get("inwoner") or ""
    if not value.isdigit():
        return None
    return Resident.objects.active().filter(pk=int(value)).first()


@role_required(*COUNTER)
def hand_out(request):
    resident = _chosen_resident(request)
    subscription = resident and resident.subscriptions.open().select_related("plan").first()
    form = HandOutForm(request.POST or None, user=request.user, initial={
        "place": _initial_place(request), "device": request.GET.get("toestel", "")})
    if request.method == "POST" and form.is_valid():
        if subscription is None:
            form.add_error(None, _("Choose a resident with a subscription first."))
        else:
            try:
                loan = services.issue_loan(
                    actor=request.user, device=form.cleaned_data["device"],
                    subscription=subscription, point=form.cleaned_data["place"],
                    agreement=form.cleaned_data["agreement"])
            except LoanError as exc:
                form.add_error("device", str(exc))
            else:
                messages.success(request, _("%(tag)s handed out to %(name)s.") % {
                    "tag": loan.device.asset_tag, "name": resident})
                return redirect("devices:loan-agreement", pk=loan.pk)
    # Its own ids: the panel also opens inside the counter, which has a search.
    search = ResidentSearchForm(request.GET, auto_id="handout_%s")
    template = "devices/hand_out.html#panel" if request.htmx else "devices/hand_out.html"
    return render(request, template, {
        "form": form, "resident": resident, "subscription": subscription,
        "search": search, "found": _residents_found(search) if resident is None else [],
        "reserved": Loan.objects.filter(resident=resident, status=LoanStatus.RESERVED)
        .select_related("device__point", "pickup_point") if resident else [],
        # What the person has before the host types an inventory number.
        "on_loan": Loan.objects.filter(resident=resident, status=LoanStatus.ISSUED)
        .select_related("device", "handed_out_at_point") if resident else [],
        "requests": Reservation.objects.open().filter(resident=resident)
        .select_related("pickup_point").order_by("requested_at") if resident else [],
        "here": form.initial.get("place"),
    })


def _residents_found(search: ResidentSearchForm):
    if not search.is_valid() or len(search.cleaned_data["q"].strip()) < 2:
        return None
    return (Resident.objects.search(search.cleaned_data["q"])
            .filter(subscriptions__status=SubscriptionStatus.ACTIVE)
            .distinct()[:20])


def _borrower_of(request, tag: str) -> dict:
    """Whose device ``tag`` is, shown before the host saves the return."""
    device = Device.objects.filter(asset_tag__iexact=tag).first() if tag else None
    loan = device and (Loan.objects.filter(device=device, status=LoanStatus.ISSUED)
                       .select_related("resident", "handed_out_at_point").first())
    if loan:
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=loan.resident,
                     target=loan, summary=_("Borrower of %(tag)s looked up for a return") % {
                         "tag": device.asset_tag})
    return {"tag": tag, "looked_up": device, "loan": loan}


@role_required(*COUNTER)
def take_back(request):
    tag = request.GET.get("device", "").strip()[:30]
    if request.htmx and request.method == "GET":
        return render(request, "devices/return.html#borrower", _borrower_of(request, tag))
    form = ReturnForm(request.POST or None, user=request.user,
                      initial={"place": request.GET.get("place") or _initial_place(request),
                               "device": tag})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.return_device(actor=request.user, device=data["device"],
                                          point=data["place"], condition=data["condition"],
                                          note=data["note"])
        except LoanError as exc:
            form.add_error("device", str(exc))
        else:
            messages.success(request, _("%(tag)s taken back from %(name)s.") % {
                "tag": loan.device.asset_tag, "name": loan.resident})
            return redirect("devices:return")
    if request.method == "POST":
        # A wrong tag is said next to the field; a right one still shows whose it is.
        shown = "" if "device" in form.errors else request.POST.get("device", "").strip()[:30]
    else:
        shown = tag
    return render(request, "devices/return.html", {"form": form,
                                                   **_borrower_of(request, shown)})


# --- Reservations ----------------------------------------------------------


def get_reservation_for_user(user, pk: int) -> Reservation:
    reservations = Reservation.objects.select_related("loan", "subscription")
    if not user.has_role("atelier", "coordinator"):
        reservations = reservations.filter(pickup_point__in=Point.objects.for_staff(user))
    try:
        return reservations.get(pk=pk)
    except Reservation.DoesNotExist:
        raise Http404 from None


@role_required(*COUNTER)
def reservations(request):
    choices = place_choices(request.user, every_point=True)
    selected = request.GET.get("plaats") or _initial_place(request)
    if selected not in dict(choices):
        raise Http404
    place = place_from_choice(selected)
    rows = list(Reservation.objects.open().for_place(place).select_related(
        "resident", "loan__device__point"))
    ready = [r for r in rows if r.status == ReservationStatus.READY]
    here = [r for r in ready if r.loan.device.point_id == (place.pk if place else None)
            and r.loan.device.status == DeviceStatus.RESERVED]
    waiting = [r for r in rows if r.status == ReservationStatus.WAITING]
    available = _available_for(place, {r.kind for r in waiting}) if waiting else []
    queue = [(r, AssignDeviceForm(prefix=f"r{r.pk}",
                                  devices=[d for d in available if d.kind == r.kind]))
             for r in waiting]
    return render(request, "devices/reservations.html", {
        "choices": choices, "selected": selected, "place": place, "here": here,
        "on_the_way": [r for r in ready if r not in here], "queue": queue,
    })


def _available_for(place: Point | None, kinds: set[str]) -> list[Device]:
    """Devices that can be set aside for a queue at ``place``: there, or
    ready at the atelier (which sends them). One query for the whole page."""
    where = Q(point=place) | Q(point__isnull=True) if place else Q(point__isnull=True)
    return list(Device.objects.available().filter(where, kind__in=kinds)
                .select_related("point").order_by("point", "asset_tag")[:100])


@require_POST
@role_required(*COUNTER)
def reservation_assign(request, pk: int):
    reservation = get_reservation_for_user(request.user, pk)
    form = ChosenDeviceForm(request.POST, prefix=f"r{pk}")
    device = Device.objects.filter(pk=form.cleaned_data["device"]).first() \
        if form.is_valid() else None
    if device is None:
        messages.error(request, _("Choose a device."))
    else:
        try:
            services.reserve_device(actor=request.user, device=device, reservation=reservation)
        except LoanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(tag)s reserved for %(name)s.") % {
                "tag": device.asset_tag, "name": reservation.resident})
    return redirect(_reservations_url(reservation))


@require_POST
@role_required(*COUNTER)
def reservation_cancel(request, pk: int):
    reservation = get_reservation_for_user(request.user, pk)
    try:
        services.cancel_reservation(actor=request.user, reservation=reservation)
    except LoanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Reservation cancelled."))
    return redirect(_reservations_url(reservation))


def _reservations_url(reservation: Reservation) -> str:
    place = reservation.pickup_point_id or ATELIER
    return f"{reverse('devices:reservations')}?plaats={place}"


# --- A resident's subscriptions --------------------------------------------


@role_required(*RESIDENT_VIEWERS)
def resident_devices(request, pk: int):
    resident = get_object_or_404(Resident.objects.active(), pk=pk)
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=resident,
                 target=resident, summary=_("Device subscriptions and loans viewed"))
    subscriptions = list(resident.subscriptions.select_related("plan", "referred_by"))
    open_subscription = next((s for s in subscriptions if s.status != "ended"), None)
    can_edit = request.user.has_role(*SUBSCRIPTION_EDITORS)
    loans = list(resident.device_loans.select_related(
        "device", "handed_out_at_point", "returned_at_point", "pickup_point"))
    reservations = list(resident.device_reservations.select_related("pickup_point",
                                                                    "loan__device"))
    taken = {loan.slot for loan in loans if loan.is_active} | {
        r.slot for r in reservations if r.status in OPEN_RESERVATION_STATUSES}
    kinds = {kind for kind in DeviceKind.values if slot_for_kind(kind) not in taken}
    can_reserve = can_edit and kinds and open_subscription and open_subscription.status == "active"
    return render(request, "devices/resident_devices.html", {
        "resident": resident, "subscriptions": subscriptions, "open": open_subscription,
        "loans": loans, "reservations": reservations, "can_edit": can_edit,
        "subscription_form": SubscriptionForm() if can_edit and not open_subscription else None,
        "reservation_form": ReservationForm(kinds=kinds, initial={
            "place": _initial_place(request)}) if can_reserve else None,
        "actions": SUBSCRIPTION_ACTIONS,
    })


@require_POST
@role_required(*SUBSCRIPTION_EDITORS)
def subscription_create(request, pk: int):
    resident = get_object_or_404(Resident.objects.active(), pk=pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            services.start_subscription(actor=request.user, resident=resident, **form.cleaned_data)
        except LoanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Subscription started."))
            return redirect("devices:resident-devices", pk=resident.pk)
    return render(request, "devices/subscription_form.html",
                  {"form": form, "resident": resident}, status=400)


@require_POST
@role_required(*SUBSCRIPTION_EDITORS)
def reservation_create(request, pk: int):
    resident = get_object_or_404(Resident.objects.active(), pk=pk)
    subscription = resident.subscriptions.open().first()
    form = ReservationForm(request.POST)
    if form.is_valid():
        try:
            if subscription is None:
                raise LoanError(_("Start a subscription first."))
            services.request_reservation(
                actor=request.user, subscription=subscription, kind=form.cleaned_data["kind"],
                pickup_point=form.cleaned_data["place"])
        except LoanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Reservation added to the queue."))
    else:
        messages.error(request, _("Choose the kind of device and where to pick it up."))
    return redirect("devices:resident-devices", pk=resident.pk)


@require_POST
@role_required(*SUBSCRIPTION_EDITORS)
def subscription_change(request, pk: int):
    subscription = get_object_or_404(Subscription.objects.select_related("resident"), pk=pk)
    form = SubscriptionActionForm(request.POST)
    if form.is_valid():
        change = {
            "activate": services.activate_subscription, "suspend": services.suspend_subscription,
            "review": services.review_subscription, "end": services.end_subscription,
        }[form.cleaned_data["action"]]
        try:
            change(actor=request.user, subscription=subscription)
        except LoanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Subscription updated."))
    return redirect("devices:resident-devices", pk=subscription.resident_id)


# --- Printables and lists --------------------------------------------------


def get_loan_for_user(user, pk: int) -> Loan:
    loans = (Loan.objects.for_staff(user).with_people()
             .select_related("subscription__guardian", "handed_out_by", "replaces__device"))
    try:
        return loans.get(pk=pk)
    except Loan.DoesNotExist:
        raise Http404 from None


@role_required(*COUNTER)
def loan_agreement(request, pk: int):
    loan = get_loan_for_user(request.user, pk)
    record_audit(actor=request.user, action=AuditAction.VIEW, resident=loan.resident,
                 target=loan, summary=_("Borrower agreement shown"))
    return render(request, "devices/loan_agreement.html", {"loan": loan})


@role_required(*MOVERS)
def checks_due(request):
    until = timezone.localdate() + timedelta(days=services.CHECK_NOTICE_DAYS)
    loans = Loan.objects.checks_due(until).with_people().order_by("check_due_on", "pk")
    page = Paginator(loans, 50).get_page(request.GET.get("page"))
    return render(request, "devices/checks_due.html", {"page": page, "until": until,
                                                        "today": timezone.localdate()})
