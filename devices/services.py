"""State changes of devices, subscriptions, loans and reservations.

Each public function is one transaction that locks the row whose state
changes (``select_for_update``), checks the rule, writes the change and its
``DeviceEvent``, and raises ``LoanError`` with a message for the user when a
rule is broken. The database backs the quota rules with conditional unique
constraints; an ``IntegrityError`` from a race becomes the same ``LoanError``.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from devices.models import (
    ALLOWED_TRANSITIONS,
    AVAILABLE_STATUSES,
    LENDING_STATUSES,
    AgreementMethod,
    DataState,
    DefectReport,
    Device,
    DeviceEvent,
    DeviceStatus,
    Loan,
    LoanSlot,
    LoanStatus,
    Reservation,
    ReservationStatus,
    ReturnCondition,
    Subscription,
    SubscriptionPlan,
    SubscriptionStatus,
    slot_for_kind,
)
from digibank.models import AuditAction, Resident, User
from digibank.services import notify_resident, record_audit, touch_resident
from outreach.models import Partner
from points.models import Point

RESERVATION_KEEP_DAYS = 14
RESERVATION_NUDGE_DAYS = 3
CHECK_NOTICE_DAYS = 28
REVIEW_NOTICE_DAYS = 14


class LoanError(Exception):
    """A rule about devices or loans was broken; the message is for the user."""


class ReplacementError(LoanError):
    """The replacement device of a swap cannot be handed out (the broken
    device itself was fine); screens show it next to the replacement."""


# The wipe gate. Its rule needs the atelier's refurbishing jobs and wipe
# records, and devices never imports atelier: the atelier registers the one
# function that holds the rule (``atelier.services.wipe_gate_problem``),
# and ``_move`` asks it before every move towards a borrower. The database
# backs it with the device's ``data_state`` (see ``Device.Meta``).
_wipe_gate: Callable[..., str | None] | None = None


def register_wipe_gate(gate: Callable[..., str | None]) -> None:
    global _wipe_gate
    _wipe_gate = gate


def check_wipe_gate(device: Device, to_status: str, loan: Loan | None = None) -> None:
    """Raise ``LoanError`` when ``device`` may not become ``to_status``
    because its data is not proven wiped since its last use."""
    if to_status not in LENDING_STATUSES:
        return
    if _wipe_gate is None:
        raise LoanError(_("No wipe can be proven for this device."))
    if message := _wipe_gate(device, to_status, loan):
        raise LoanError(message)


# Every move into refurbishing opens the device's refurbishing job in the
# same transaction, whichever door made it (the status form, the atelier's
# screens, a return, a repair's outcome): a device is never "being
# refurbished" with no job to sign its steps off in. The job lives in the
# atelier, which registers the function that opens it
# (``atelier.services.open_job_for_move``).
_refurbish_opener: Callable[..., object] | None = None


def register_refurbish_opener(opener: Callable[..., object]) -> None:
    global _refurbish_opener
    _refurbish_opener = opener


def _open_refurbish_job(device: Device, *, actor: User | None, from_status: str,
                        note: str) -> None:
    if _refurbish_opener is None:
        raise LoanError(_("No refurbishing job can be opened for this device."))
    _refurbish_opener(device, actor=actor, from_status=from_status, note=note)


def _data_state_after(device: Device, to_status: str) -> str:
    """What a move does to what is known of the data on the device: a
    loan puts the borrower's data on it; its end, a repair, or a new
    refurbishing job leave nothing proven until the next job's wipe."""
    if to_status == DeviceStatus.ON_LOAN:
        return DataState.BORROWER
    if to_status in (DeviceStatus.RECEIVED, DeviceStatus.REFURBISHING, DeviceStatus.RETURNED,
                     DeviceStatus.IN_REPAIR):
        return DataState.UNPROVEN
    return device.data_state


def _place(point: Point | None) -> str:
    return str(point) if point is not None else _("the atelier")


def _move(
    device: Device, to_status: str, *, actor: User | None, point: Point | None,
    where: Point | None, loan: Loan | None = None, note: str = "",
) -> DeviceEvent:
    """Move a locked device to ``to_status`` at ``point`` and log it."""
    if to_status not in ALLOWED_TRANSITIONS[device.status]:
        raise LoanError(_("A device that is “%(from)s” cannot become “%(to)s”.") % {
            "from": device.get_status_display(), "to": DeviceStatus(to_status).label})
    if to_status == DeviceStatus.REFURBISHING and point is not None:
        raise LoanError(_("Bring the device to the atelier first: it is refurbished there."))
    check_wipe_gate(device, to_status, loan)
    event = DeviceEvent(
        device=device, actor=actor, from_status=device.status, to_status=to_status,
        from_point=device.point, to_point=point, where=where, loan=loan, note=note[:300],
    )
    device.status = to_status
    device.point = point
    device.label = None  # a label refines one status only
    device.status_changed_at = timezone.now()
    device.data_state = _data_state_after(device, to_status)
    device.save(update_fields=["status", "point", "label", "status_changed_at", "data_state"])
    event.save()
    if to_status == DeviceStatus.REFURBISHING and event.from_status != to_status:
        _open_refurbish_job(device, actor=actor, from_status=event.from_status, note=note)
    return event


def _lock_device(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


def _lock_subscription(subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().select_related("resident").get(
        pk=subscription.pk)


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "loan_one_active_per_device" in text:
        return _("This device is already reserved or lent to someone.")
    if "reservation_one_open_per_resident" in text:
        return _("This resident already has an open reservation for this kind of device.")
    if "subscription_one_open_per_resident" in text:
        return _("This resident already has a subscription.")
    if "loan_needs_active_subscription" in text:
        return _("No active subscription: a device can only be lent under an "
                 "active subscription.")
    return _("This resident already borrows a laptop, or a tablet or smartphone. "
             "One of each at a time.")


# --- Devices ---------------------------------------------------------------


@transaction.atomic
def register_device(*, actor: User | None, note: str = "", **fields) -> Device:
    """Record a device as received at the atelier (status RECEIVED)."""
    fields.pop("status", None)
    fields.pop("point", None)
    device = Device.objects.create(**fields)
    DeviceEvent.objects.create(device=device, actor=actor, to_status=DeviceStatus.RECEIVED,
                               note=note[:300])
    return device


@transaction.atomic
def change_device_status(
    *, actor: User | None, device: Device, status: str, note: str = ""
) -> Device:
    """An atelier step that keeps the device where it is (refurbishing,
    ready, in repair, retired). Loans and movements have their own services."""
    device = _lock_device(device)
    if status in (DeviceStatus.ON_LOAN, DeviceStatus.RESERVED, DeviceStatus.IN_TRANSIT,
                  DeviceStatus.AT_POINT):
        raise LoanError(_("Use the hand-out, reservation or transport steps for this."))
    if device.loans.active().exists():
        raise LoanError(_("This device is reserved or lent; end that first."))
    _move(device, status, actor=actor, point=None if status == DeviceStatus.READY
          else device.point, where=device.point, note=note)
    return device


@transaction.atomic
def send_to_point(*, actor: User | None, device: Device, point: Point, note: str = "") -> Device:
    """Put a device on its way from the atelier (or another point) to ``point``."""
    device = _lock_device(device)
    if device.point_id == point.pk:
        raise LoanError(_("This device is already at %(point)s.") % {"point": point})
    _move(device, DeviceStatus.IN_TRANSIT, actor=actor, point=point, where=device.point,
          note=note)
    return device


@transaction.atomic
def receive_at_point(*, actor: User | None, device: Device, point: Point) -> Device:
    """A point receives a device in transit. A device reserved for someone
    stays reserved (and the resident's wait starts); others become available."""
    device = _lock_device(device)
    if device.status != DeviceStatus.IN_TRANSIT or device.point_id != point.pk:
        raise LoanError(_("This device is not on its way to %(point)s.") % {"point": point})
    loan = device.loans.filter(status=LoanStatus.RESERVED).first()
    if loan is not None:
        _move(device, DeviceStatus.RESERVED, actor=actor, point=point, where=point, loan=loan)
        if loan.pickup_point_id == point.pk:
            _start_waiting(loan)
    elif device.data_state != DataState.WIPED:
        # Repaired for a borrower whose reservation ended on the way: it
        # holds their data, so it waits there for the atelier.
        _move(device, DeviceStatus.RETURNED, actor=actor, point=point, where=point,
              note=_("Not wiped: to collect for the atelier"))
    else:
        _move(device, DeviceStatus.AT_POINT, actor=actor, point=point, where=point)
    return device


@transaction.atomic
def return_to_atelier(*, actor: User | None, device: Device) -> Device:
    """The atelier takes a device back from transit or a point: available
    devices become ready, returned ones go to be checked (refurbishing),
    devices in repair stay in repair."""
    device = _lock_device(device)
    if device.point_id is None and device.status != DeviceStatus.IN_TRANSIT:
        raise LoanError(_("This device is already at the atelier."))
    if device.loans.active().exists():
        raise LoanError(_("This device is reserved or lent; end that first."))
    if device.status == DeviceStatus.IN_REPAIR:
        # Collected from the point where it was handed in: same status, new place.
        DeviceEvent.objects.create(
            device=device, actor=actor, from_status=device.status, to_status=device.status,
            from_point=device.point, to_point=None, where=None)
        device.point = None
        device.save(update_fields=["point"])
        return device
    if device.status in (DeviceStatus.IN_TRANSIT, DeviceStatus.AT_POINT):
        target = (DeviceStatus.READY if device.data_state == DataState.WIPED
                  else DeviceStatus.RETURNED)
    else:
        target = DeviceStatus.REFURBISHING
    _move(device, target, actor=actor, point=None, where=None)
    return device


@transaction.atomic
def mark_data_wiped(*, actor: User | None, device: Device, note: str = "") -> Device:
    """Record, for a device being refurbished at the atelier, that every
    disk was wiped and nobody used it since. Only the atelier's
    ``finish_job`` calls this, after checking the wipe records; the wipe
    gate checks those records again before the device is lent."""
    device = _lock_device(device)
    if device.status != DeviceStatus.REFURBISHING or device.point_id is not None:
        raise LoanError(_("Only a device being refurbished at the atelier can be marked "
                          "as wiped."))
    device.data_state = DataState.WIPED
    device.save(update_fields=["data_state"])
    DeviceEvent.objects.create(
        device=device, actor=actor, from_status=device.status, to_status=device.status,
        where=None, note=(note or _("Every disk wiped"))[:300])
    return device


# --- Subscriptions ---------------------------------------------------------


@transaction.atomic
def start_subscription(
    *, actor: User | None, resident: Resident, plan: SubscriptionPlan,
    referred_by: Partner | None = None, guardian: Resident | None = None,
    guardian_name: str = "", guardian_phone: str = "", starts_on: date | None = None,
    referred_only: bool = False,
) -> Subscription:
    """Open a subscription (active, or ``referred`` when a partner announced
    the resident and the counter still has to confirm). One open
    subscription per resident. The first eligibility review is a year on."""
    if resident.is_anonymised:
        raise LoanError(_("This resident was anonymised."))
    if not plan.is_active:
        raise LoanError(_("This plan is no longer offered."))
    starts_on = starts_on or timezone.localdate()
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                resident=resident, plan=plan, referred_by=referred_by, guardian=guardian,
                guardian_name=guardian_name, guardian_phone=guardian_phone, starts_on=starts_on,
                status=SubscriptionStatus.REFERRED if referred_only else
                SubscriptionStatus.ACTIVE,
                next_review_on=starts_on + timedelta(days=365), created_by=actor,
            )
    except IntegrityError as exc:
        raise LoanError(_integrity_message(exc)) from exc
    record_audit(actor=actor, action=AuditAction.CREATE, resident=resident, target=subscription,
                 summary=_("Device subscription started: %(plan)s") % {"plan": plan})
    touch_resident(resident)
    return subscription


def _set_subscription_status(subscription: Subscription, status: str, actor) -> None:
    if status not in Subscription.ALLOWED_TRANSITIONS[subscription.status]:
        raise LoanError(_("A subscription that is “%(from)s” cannot become “%(to)s”.") % {
            "from": subscription.get_status_display(),
            "to": SubscriptionStatus(status).label})
    subscription.status = status
    subscription.save(update_fields=["status", "ends_on"])
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=subscription.resident,
                 target=subscription, summary=_("Device subscription: %(status)s") % {
                     "status": subscription.get_status_display()})


@transaction.atomic
def activate_subscription(*, actor: User | None, subscription: Subscription) -> Subscription:
    """Confirm a referred subscription, or lift a suspension."""
    subscription = _lock_subscription(subscription)
    _set_subscription_status(subscription, SubscriptionStatus.ACTIVE, actor)
    return subscription


@transaction.atomic
def suspend_subscription(*, actor: User | None, subscription: Subscription) -> Subscription:
    """Pause a subscription: loans already out stay out, nothing new is lent."""
    subscription = _lock_subscription(subscription)
    _set_subscription_status(subscription, SubscriptionStatus.SUSPENDED, actor)
    return subscription


@transaction.atomic
def end_subscription(
    *, actor: User | None, subscription: Subscription, ends_on: date | None = None
) -> Subscription:
    """End a subscription. Refused while a device is still lent under it;
    open reservations under it are cancelled and their devices released."""
    subscription = _lock_subscription(subscription)
    if subscription.loans.filter(status=LoanStatus.ISSUED).exists():
        raise LoanError(_("A device is still lent under this subscription. "
                          "Take it back first."))
    for reservation in subscription.reservations.open():
        _cancel_reservation(reservation, actor)
    subscription.ends_on = max(ends_on or timezone.localdate(), subscription.starts_on)
    _set_subscription_status(subscription, SubscriptionStatus.ENDED, actor)
    return subscription


@transaction.atomic
def review_subscription(*, actor: User | None, subscription: Subscription) -> Subscription:
    """Record that eligibility was reviewed: the next review is a year on."""
    subscription = _lock_subscription(subscription)
    if subscription.status == SubscriptionStatus.ENDED:
        raise LoanError(_("This subscription has ended."))
    subscription.next_review_on = timezone.localdate() + timedelta(days=365)
    subscription.save(update_fields=["next_review_on"])
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=subscription.resident,
                 target=subscription, summary=_("Subscription eligibility reviewed"))
    return subscription


# --- Reservations ----------------------------------------------------------


@transaction.atomic
def request_reservation(
    *, actor: User | None, subscription: Subscription, kind: str, pickup_point: Point | None,
) -> Reservation:
    """Put a resident in the queue for a kind of device at a pick-up place."""
    subscription = _lock_subscription(subscription)
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise LoanError(_("The subscription is not active."))
    slot = slot_for_kind(kind)
    if (taken := _active_loan_in(subscription.resident_id, slot)) is not None:
        raise LoanError(_slot_taken_message(slot, taken))
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(
                subscription=subscription, resident=subscription.resident, kind=kind, slot=slot,
                pickup_point=pickup_point, created_by=actor,
            )
    except IntegrityError as exc:
        raise LoanError(_integrity_message(exc)) from exc
    touch_resident(subscription.resident)
    return reservation


def _slot_taken_message(slot: str, loan: Loan | None = None) -> str:
    """Why a second device of ``slot`` is refused, naming the device the
    resident has (``loan``): on loan since when, or reserved where."""
    if slot == LoanSlot.LAPTOP:
        message = _("This resident already has a laptop (on loan or reserved).")
    else:
        message = _("This resident already has a tablet or smartphone (on loan or reserved). "
                    "One of the two at a time.")
    if loan is None:
        return message
    device = f"{loan.device.get_kind_display()} {loan.device.asset_tag}"
    if loan.status == LoanStatus.RESERVED:
        which = _("%(device)s is reserved for them at %(place)s.") % {
            "device": device, "place": _place(loan.pickup_point)}
    else:
        which = _("They have %(device)s since %(day)s.") % {
            "device": device, "day": f"{timezone.localtime(loan.handed_out_at):%d/%m/%Y}"
            if loan.handed_out_at else "?"}
    return f"{message} {which}"


def _active_loan_in(resident_id: int, slot: str) -> Loan | None:
    return (Loan.objects.active().filter(resident_id=resident_id, slot=slot)
            .select_related("device", "pickup_point").first())


def _check_can_borrow(subscription: Subscription, device: Device) -> str:
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise LoanError(_("No active subscription: a device can only be lent under an "
                          "active subscription."))
    slot = slot_for_kind(device.kind)
    if (taken := _active_loan_in(subscription.resident_id, slot)) is not None:
        raise LoanError(_slot_taken_message(slot, taken))
    return slot


def _start_waiting(loan: Loan) -> None:
    """The reserved device is at the pick-up place: start the keep-until
    period and tell the resident (e-mail, or the point's call list)."""
    reservation = Reservation.objects.filter(loan=loan).select_related(
        "resident", "pickup_point").first()
    if reservation is None or reservation.waiting_since is not None:
        return
    today = timezone.localdate()
    reservation.waiting_since = today
    reservation.expires_on = today + timedelta(days=RESERVATION_KEEP_DAYS)
    reservation.save(update_fields=["waiting_since", "expires_on"])
    _notify(resident=reservation.resident, kind="device_reservation_ready", source=reservation,
            subject=gettext_lazy("Your loan device is ready"),
            message=lambda: _("Your %(kind)s is ready for you at %(place)s. We keep it until "
                              "%(day)s. Bring your identity card.") % {
                "kind": reservation.get_kind_display().lower(),
                "place": _place(reservation.pickup_point),
                "day": reservation.expires_on.strftime("%d/%m/%Y")},
            point=reservation.pickup_point)


@transaction.atomic
def reserve_device(
    *, actor: User | None, device: Device, reservation: Reservation
) -> Loan:
    """Set an available device aside for a waiting reservation. The device
    must be of the kind asked for; when it already is at the pick-up place
    the resident's wait (and the expiry) starts now, otherwise the atelier
    sends it there."""
    reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
    subscription = _lock_subscription(reservation.subscription)
    device = _lock_device(device)
    if reservation.status != ReservationStatus.WAITING:
        raise LoanError(_("This reservation is no longer waiting for a device."))
    if device.kind != reservation.kind:
        raise LoanError(_("This reservation is for a %(kind)s.") % {
            "kind": reservation.get_kind_display().lower()})
    if device.status not in AVAILABLE_STATUSES:
        raise LoanError(_("This device is not available (%(status)s).") % {
            "status": device.get_status_display()})
    # The reservation itself holds the slot; check only other loans.
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise LoanError(_("The subscription is not active."))
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                device=device, subscription=subscription, resident=subscription.resident,
                slot=reservation.slot, status=LoanStatus.RESERVED,
                pickup_point=reservation.pickup_point, reserved_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise LoanError(_integrity_message(exc)) from exc
    reservation.status = ReservationStatus.READY
    reservation.loan = loan
    reservation.save(update_fields=["status", "loan"])
    # No names in event notes: the event links the loan, whose resident can be
    # anonymised; a note would keep the name forever.
    _move(device, DeviceStatus.RESERVED, actor=actor, point=device.point, where=device.point,
          loan=loan)
    if device.point_id == (reservation.pickup_point_id or None):
        _start_waiting(loan)
    return loan


@transaction.atomic
def give_back_after_repair(
    *, actor: User | None, device: Device, loan: Loan, point: Point | None
) -> Loan:
    """A repaired device goes back to the borrower who brought it in (who
    got no replacement): it is reserved for them at ``point`` (None: the
    atelier) and sent there. It is not wiped, as it holds only their
    data; the wipe gate lets it go to them and to nobody else."""
    device = _lock_device(device)
    if device.status != DeviceStatus.IN_REPAIR or device.point_id is not None:
        raise LoanError(_("The device must be in repair at the atelier."))
    last = (device.loans.filter(handed_out_at__isnull=False)
            .order_by("-handed_out_at", "-pk").first())
    if last is None or last.pk != loan.pk:
        raise LoanError(_("This device was last lent to someone else: wipe it first."))
    reservation = request_reservation(actor=actor, subscription=loan.subscription,
                                      kind=device.kind, pickup_point=point)
    subscription = _lock_subscription(reservation.subscription)
    try:
        with transaction.atomic():
            new_loan = Loan.objects.create(
                device=device, subscription=subscription, resident=subscription.resident,
                slot=reservation.slot, status=LoanStatus.RESERVED, pickup_point=point,
                reserved_at=timezone.now())
    except IntegrityError as exc:
        raise LoanError(_integrity_message(exc)) from exc
    reservation.status = ReservationStatus.READY
    reservation.loan = new_loan
    reservation.save(update_fields=["status", "loan"])
    device.data_state = DataState.BORROWER
    _move(device, DeviceStatus.RESERVED, actor=actor, point=None, where=None, loan=new_loan,
          note=_("Repaired: back to its borrower"))
    if point is None:
        _start_waiting(new_loan)
    else:
        _move(device, DeviceStatus.IN_TRANSIT, actor=actor, point=point, where=None,
              loan=new_loan)
    return new_loan


def _cancel_reservation(reservation: Reservation, actor, status=ReservationStatus.CANCELLED):
    """Cancel (or expire) a locked open reservation and release its device."""
    if status not in Reservation.ALLOWED_TRANSITIONS[reservation.status]:
        raise LoanError(_("This reservation is already closed."))
    loan = reservation.loan
    if loan is not None and loan.status == LoanStatus.RESERVED:
        loan.status = LoanStatus.CLOSED
        loan.save(update_fields=["status"])
        device = _lock_device(loan.device)
        if device.status == DeviceStatus.RESERVED and device.data_state != DataState.WIPED:
            # Repaired for this borrower, never wiped: the atelier wipes it first.
            _move(device, DeviceStatus.RETURNED, actor=actor, point=device.point,
                  where=device.point, loan=loan,
                  note=_("Reservation ended; not wiped: back to the atelier"))
        elif device.status == DeviceStatus.RESERVED:
            _move(device, DeviceStatus.AT_POINT if device.point_id else DeviceStatus.READY,
                  actor=actor, point=device.point, where=device.point, loan=loan,
                  note=_("Reservation ended"))
    reservation.status = status
    reservation.save(update_fields=["status"])


@transaction.atomic
def cancel_reservation(*, actor: User | None, reservation: Reservation) -> Reservation:
    """Cancel a reservation; a device set aside becomes available again."""
    reservation = Reservation.objects.select_for_update(of=("self",)).select_related(
        "loan").get(pk=reservation.pk)
    _cancel_reservation(reservation, actor)
    return reservation


# --- Loans -----------------------------------------------------------------


@transaction.atomic
def issue_loan(
    *, actor: User | None, device: Device, subscription: Subscription, point: Point | None,
    agreement: str = AgreementMethod.PAPER,
) -> Loan:
    """Hand a device out at ``point`` (None: the atelier).

    The device must be there and available, or reserved there for this
    resident. The subscription must be active; the resident may have one
    laptop and one tablet-or-smartphone at a time. The subscription row is
    locked so that two hosts serving the same resident queue up.
    """
    subscription = _lock_subscription(subscription)
    device = _lock_device(device)
    if device.point_id != (point.pk if point else None):
        raise LoanError(_("This device is not at %(place)s but at %(where)s.") % {
            "place": _place(point), "where": device.place_label})
    loan = None
    if device.status == DeviceStatus.RESERVED:
        loan = device.loans.filter(status=LoanStatus.RESERVED).first()
        if loan is None or loan.resident_id != subscription.resident_id:
            raise LoanError(_("This device is reserved for someone else."))
        if subscription.status != SubscriptionStatus.ACTIVE:
            raise LoanError(_("No active subscription: a device can only be lent under an "
                              "active subscription."))
        loan.subscription = subscription
    elif device.status in AVAILABLE_STATUSES:
        slot = _check_can_borrow(subscription, device)
        loan = Loan(device=device, subscription=subscription, resident=subscription.resident,
                    slot=slot)
    else:
        raise LoanError(_("This device cannot be handed out: it is “%(status)s”.") % {
            "status": device.get_status_display()})
    now = timezone.now()
    loan.status = LoanStatus.ISSUED
    loan.handed_out_at = now
    loan.handed_out_by = actor
    loan.handed_out_at_point = point
    loan.agreement = agreement
    loan.pickup_point = point
    loan.check_due_on = timezone.localdate() + timedelta(days=365)
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError as exc:
        raise LoanError(_integrity_message(exc)) from exc
    # The reservation that set this device aside, or else the resident's
    # waiting request for this kind of slot, is now fulfilled.
    reservation = (Reservation.objects.filter(loan=loan).first()
                   or Reservation.objects.select_for_update().filter(
                       resident_id=loan.resident_id, slot=loan.slot,
                       status=ReservationStatus.WAITING).first())
    if reservation is not None:
        reservation.status = ReservationStatus.COLLECTED
        reservation.loan = loan
        reservation.save(update_fields=["status", "loan"])
    _move(device, DeviceStatus.ON_LOAN, actor=actor, point=None, where=point, loan=loan)
    record_audit(actor=actor, action=AuditAction.CREATE, resident=subscription.resident,
                 target=loan, summary=_("Device %(tag)s handed out") % {"tag": device.asset_tag})
    touch_resident(subscription.resident)
    return loan


def _lock_active_loan(device: Device) -> Loan:
    loan = (Loan.objects.select_for_update().select_related("resident")
            .filter(device=device, status=LoanStatus.ISSUED).first())
    if loan is None:
        raise LoanError(_("This device is not on loan."))
    return loan


def _take_back(loan: Loan, *, actor, point, condition, note, device_status) -> Device:
    device = _lock_device(loan.device)
    loan.status = LoanStatus.RETURNED
    loan.returned_at = timezone.now()
    loan.returned_at_point = point
    loan.returned_to = actor
    loan.condition_on_return = condition
    loan.return_note = note[:300]
    loan.save()
    _move(device, device_status, actor=actor, point=point, where=point, loan=loan, note=note)
    touch_resident(loan.resident)
    return device


@transaction.atomic
def return_device(
    *, actor: User | None, device: Device, point: Point | None, condition: str, note: str = "",
) -> Loan:
    """Take a lent device back at any point (or the atelier). It waits there,
    "to check", until the atelier collects it."""
    loan = _lock_active_loan(device)
    if condition not in ReturnCondition.values:
        raise LoanError(_("Choose the condition of the device."))
    _take_back(loan, actor=actor, point=point, condition=condition, note=note,
               device_status=DeviceStatus.RETURNED)
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=loan.resident, target=loan,
                 summary=_("Device %(tag)s returned") % {"tag": device.asset_tag})
    return loan


@transaction.atomic
def report_defect(
    *, actor: User | None, device: Device, point: Point | None, problem: str,
) -> DefectReport:
    """Take a broken device in at any point. A lent device's loan ends
    (condition: does not work); the device goes to repair. The report keeps
    the problem in the resident's words for the atelier."""
    problem = problem.strip()
    if not problem:
        raise LoanError(_("Write down what is wrong, in the resident's words."))
    loan = Loan.objects.select_for_update().filter(device=device,
                                                   status=LoanStatus.ISSUED).first()
    if loan is not None:
        _take_back(loan, actor=actor, point=point, condition=ReturnCondition.DEFECT,
                   note=problem, device_status=DeviceStatus.IN_REPAIR)
    else:
        locked = _lock_device(device)
        if locked.loans.active().exists():
            raise LoanError(_("This device is reserved; cancel the reservation first."))
        _move(locked, DeviceStatus.IN_REPAIR, actor=actor, point=point, where=point,
              note=problem)
    report = DefectReport.objects.create(
        device=device, loan=loan, problem=problem, reported_at_point=point, reported_by=actor)
    if loan is not None:
        record_audit(actor=actor, action=AuditAction.CHANGE, resident=loan.resident,
                     target=loan, summary=_("Broken device %(tag)s taken in") % {
                         "tag": device.asset_tag})
    return report


@transaction.atomic
def swap_device(
    *, actor: User | None, device: Device, replacement: Device, point: Point | None,
    problem: str,
) -> Loan:
    """Take a broken lent device in and hand out a replacement at once. The
    old loan links to the new one; the resident's slot is free in between
    because both steps run in one transaction. Raises ``ReplacementError``
    when the replacement cannot be handed out (nothing is saved then)."""
    old_loan = _lock_active_loan(device)
    report_defect(actor=actor, device=device, point=point, problem=problem)
    try:
        new_loan = issue_loan(actor=actor, device=replacement,
                              subscription=old_loan.subscription, point=point)
    except LoanError as exc:
        raise ReplacementError(str(exc)) from exc
    old_loan.refresh_from_db()
    old_loan.replaced_by = new_loan
    old_loan.save(update_fields=["replaced_by"])
    return new_loan


# --- Reminders (Celery beat) -----------------------------------------------


def _notify(*, resident, kind, source, subject: Callable | str, message: Callable | str,
            point) -> bool:
    return notify_resident(resident=resident, kind=kind, source=source, subject=subject,
                           message=message, point=point) is not None


def send_check_reminders(today: date | None = None) -> int:
    """Tell borrowers a few weeks ahead that their device's yearly check is
    due. One message per loan and due date, however often this runs."""
    today = today or timezone.localdate()
    loans = Loan.objects.checks_due(today + timedelta(days=CHECK_NOTICE_DAYS)).select_related(
        "resident", "device", "handed_out_at_point").filter(resident__anonymised_at__isnull=True)
    sent = 0
    for loan in loans.iterator():
        due = loan.check_due_on

        def message(loan=loan, due=due):
            return _("Your loan device %(tag)s needs its yearly check by %(day)s. Bring it to "
                     "any digibank point; it takes a few minutes and is free.") % {
                "tag": loan.device.asset_tag, "day": due.strftime("%d/%m/%Y")}

        sent += _notify(
            resident=loan.resident, kind=f"device_check_{due:%Y%m%d}", source=loan,
            subject=gettext_lazy("Yearly check of your loan device"), message=message,
            point=loan.handed_out_at_point)
    return sent


def send_reservation_reminders(today: date | None = None) -> int:
    """Remind residents whose reserved device has waited a few days at the
    pick-up place; expire reservations past their keep-until date."""
    today = today or timezone.localdate()
    ready = Reservation.objects.filter(status=ReservationStatus.READY,
                                       waiting_since__isnull=False)
    for reservation in ready.filter(expires_on__lt=today):
        with transaction.atomic():
            locked = Reservation.objects.select_for_update(of=("self",)).select_related(
                "loan").get(pk=reservation.pk)
            if locked.status == ReservationStatus.READY:
                _cancel_reservation(locked, None, ReservationStatus.EXPIRED)
    sent = 0
    waiting = ready.filter(status=ReservationStatus.READY,
                           waiting_since__lte=today - timedelta(days=RESERVATION_NUDGE_DAYS))
    for reservation in waiting.select_related("resident", "pickup_point").iterator():

        def message(reservation=reservation):
            return _("Your %(kind)s is waiting for you at %(place)s until %(day)s.") % {
                "kind": reservation.get_kind_display().lower(),
                "place": _place(reservation.pickup_point),
                "day": reservation.expires_on.strftime("%d/%m/%Y")}

        sent += _notify(
            resident=reservation.resident, kind="device_reservation_waiting",
            source=reservation, subject=gettext_lazy("Your loan device is waiting for you"),
            message=message, point=reservation.pickup_point)
    return sent


def send_review_reminders(today: date | None = None) -> int:
    """Tell residents that their subscription's eligibility review is near."""
    today = today or timezone.localdate()
    subscriptions = Subscription.objects.filter(
        status=SubscriptionStatus.ACTIVE,
        next_review_on__lte=today + timedelta(days=REVIEW_NOTICE_DAYS),
        resident__anonymised_at__isnull=True,
    ).select_related("resident", "plan")
    sent = 0
    for subscription in subscriptions.iterator():
        point = (Loan.objects.filter(subscription=subscription)
                 .exclude(handed_out_at_point=None).order_by("-handed_out_at")
                 .values_list("handed_out_at_point", flat=True).first())
        due = subscription.next_review_on
        sent += _notify(
            resident=subscription.resident, kind=f"subscription_review_{due:%Y%m%d}",
            source=subscription, subject=gettext_lazy("Your device subscription"),
            message=lambda due=due: _(
                "Your device subscription is up for its yearly review on %(day)s. Come to a "
                "digibank point with your papers; we check together that you can keep it."
            ) % {"day": due.strftime("%d/%m/%Y")},
            point=Point.objects.filter(pk=point).first() if point else None)
    return sent
