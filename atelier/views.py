"""Atelier screens: the board, refurbishing jobs with step sign-off and wipe
records, donations and the donor certificate, repair tickets, the counter's
repair intake, yearly check results, hours worked and the impact page."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView
from openpyxl import Workbook
from openpyxl.styles import Font

from atelier import impact as impact_figures
from atelier import services
from atelier.forms import (
    ATELIER_WORKER_KINDS,
    DonatedDeviceForm,
    DonationForm,
    HoursForm,
    IntakeForm,
    MonthForm,
    PeriodForm,
    ReceivedCountForm,
    ResolveForm,
    ScrapForm,
    StepForm,
    TestStepForm,
    TicketMoveForm,
    WipeForm,
    WorkerForm,
    YearlyCheckForm,
)
from atelier.models import (
    OPEN_TICKET_STATUSES,
    STEPS,
    Donation,
    ErasureCertificate,
    FaultCategory,
    JobStatus,
    RefurbishJob,
    RepairTicket,
    Step,
    TicketStatus,
    Worker,
    WorkerKind,
    WorkLog,
    YearlyCheck,
)
from devices.forms import ATELIER
from devices.models import DefectReport, Device, DeviceStatus, Loan, LoanStatus
from devices.services import CHECK_NOTICE_DAYS, LoanError, ReplacementError
from digibank.access import role_required
from digibank.models import AuditAction
from digibank.services import record_audit
from digibank.spreadsheets import csv_writer, escape_cell
from points.models import Point
from points.workspace import current_point

STAFF = ("atelier", "coordinator")
COUNTER = ("host", "atelier", "coordinator")
COLUMN_SIZE = 8


def _initial_place(request) -> str:
    point = current_point(request)
    return str(point.pk) if point else (ATELIER if request.user.has_role(*STAFF) else "")


# --- The board -------------------------------------------------------------


class _Column:
    """One column of the board: its items a page at a time, its count the
    number of all of them, and links to its other pages that keep the
    pages of the other columns."""

    def __init__(self, request, key: str, label: str, kind: str, items):
        self.key, self.label, self.kind = key, label, kind
        self.page = Paginator(items, COLUMN_SIZE).get_page(request.GET.get(f"p-{key}"))
        self.count = self.page.paginator.count
        self._query = request.GET.copy()

    def _url(self, number: int) -> str:
        query = self._query.copy()
        query[f"p-{self.key}"] = number
        return "?" + query.urlencode()

    @property
    def previous_url(self) -> str | None:
        return self._url(self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        return self._url(self.page.next_page_number()) if self.page.has_next() else None


def board_columns(request) -> tuple[list[_Column], list[_Column]]:
    """Every state a device can be in at the atelier, each in one column
    only: to start (no open job), each step of an open job, every step
    signed off but not yet released, ready at the atelier; and the repairs:
    reported without a ticket, each ticket status, and in repair with
    neither (for example set to "in repair" during its refurbishing)."""
    at_atelier = Device.objects.filter(point__isnull=True)
    open_job = RefurbishJob.objects.open().filter(device=OuterRef("pk"))
    waiting = (at_atelier.filter(Q(status__in=[DeviceStatus.RECEIVED, DeviceStatus.RETURNED])
                                 | Q(status=DeviceStatus.REFURBISHING) & ~Exists(open_job))
               .order_by("status_changed_at", "pk"))
    jobs = (RefurbishJob.objects.open().filter(device__status=DeviceStatus.REFURBISHING)
            .select_related("device").order_by("opened_at", "pk"))
    refurbishing = [_Column(request, "start", _("To start"), "start", waiting)]
    refurbishing += [_Column(request, step, Step(step).label, "job",
                             jobs.filter(_at_step(step))) for step in STEPS]
    refurbishing.append(_Column(request, "release", _("Ready to release"), "job", jobs.filter(
        **{f"{step}_at__isnull": False for step in STEPS})))
    refurbishing.append(_Column(request, "ready", _("Ready at the atelier"), "device",
                                at_atelier.filter(status=DeviceStatus.READY)
                                .order_by("status_changed_at", "pk")))
    reports = (DefectReport.objects.filter(repair_ticket__isnull=True)
               .select_related("device", "reported_at_point").order_by("reported_at", "pk"))
    tickets = RepairTicket.objects.open().with_device().order_by("opened_at", "pk")
    repairs = [_Column(request, "reports", _("Reported, no ticket yet"), "report", reports)]
    repairs += [_Column(request, status, TicketStatus(status).label, "ticket",
                        tickets.filter(status=status)) for status in OPEN_TICKET_STATUSES]
    untracked = (at_atelier.filter(status=DeviceStatus.IN_REPAIR)
                 .exclude(Exists(RepairTicket.objects.open().filter(device=OuterRef("pk"))))
                 .exclude(Exists(reports.filter(device=OuterRef("pk"))))
                 .order_by("status_changed_at", "pk"))
    repairs.append(_Column(request, "in-repair", _("In repair, no ticket"), "device",
                           untracked))
    return refurbishing, repairs


@role_required(*STAFF)
def board(request):
    refurbishing, repairs = board_columns(request)
    template = "atelier/board.html#board" if request.htmx else "atelier/board.html"
    return render(request, template, {
        "columns": refurbishing, "repair_columns": repairs,
        "stale_count": RepairTicket.objects.open().filter(
            flagged_stale_at__isnull=False).count(),
    })


def _at_step(step: str) -> Q:
    earlier = STEPS[: STEPS.index(step)]
    return Q(**{f"{name}_at__isnull": False for name in earlier}, **{f"{step}_at__isnull": True})


# --- Jobs ------------------------------------------------------------------


def _job_or_404(pk: int) -> RefurbishJob:
    return get_object_or_404(RefurbishJob.objects.select_related(
        "device", "donation", "software_profile", *(f"{s}_by" for s in STEPS)), pk=pk)


def _job_page(request, job: RefurbishJob, *, wipe_form=None, test_form=None, status=200):
    return render(request, "atelier/job_detail.html", {
        "job": job, "wipes": job.wipes.select_related("operator", "validator"),
        "wipe_form": wipe_form or WipeForm(), "step_form": StepForm(),
        "test_form": test_form or TestStepForm(), "scrap_form": ScrapForm(),
        "wipe_problem": services.wipe_gate_message(job) if job.status == JobStatus.OPEN
        else None,
        "hardware_problem": services.hardware_test_problem(job)
        if job.status == JobStatus.OPEN else None,
    }, status=status)


@role_required(*STAFF)
def job_detail(request, pk: int):
    return _job_page(request, _job_or_404(pk))


def _done(request, action, success: str):
    """Run a service call; its rule violation becomes an error message."""
    try:
        action()
    except LoanError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


@require_POST
@role_required(*STAFF)
def job_wipe(request, pk: int):
    job = _job_or_404(pk)
    form = WipeForm(request.POST)
    if not form.is_valid():
        return _job_page(request, job, wipe_form=form, status=400)
    _done(request, lambda: services.record_wipe(actor=request.user, job=job, **form.cleaned_data),
          _("Wipe recorded."))
    return redirect("atelier:job-detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def job_step(request, pk: int, step: str):
    job = _job_or_404(pk)
    form = StepForm(request.POST)
    if step == Step.TEST:
        test_form = TestStepForm(request.POST)
        if not test_form.is_valid():
            return _job_page(request, job, test_form=test_form, status=400)
        test = test_form.cleaned_data
        _done(request, lambda: services.sign_off_step(
            actor=request.user, job=job, step=step, battery_health=test["battery_health"],
            screen_ok=test["screen_ok"], keyboard_ok=test["keyboard_ok"],
            ports_ok=test["ports_ok"], test_notes=test["notes"]), _("Step signed off."))
    elif form.is_valid() and step in STEPS:
        data = form.cleaned_data
        _done(request, lambda: services.sign_off_step(
            actor=request.user, job=job, step=step, software_profile=data["software_profile"],
            functional_grade=data["functional_grade"], cosmetic_grade=data["cosmetic_grade"]),
            _("Step signed off."))
    else:
        messages.error(request, _("Check the values you filled in."))
    return redirect("atelier:job-detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def job_retest(request, pk: int):
    """A new hardware test after a repair; it replaces the earlier results."""
    job = _job_or_404(pk)
    form = TestStepForm(request.POST)
    if not form.is_valid():
        return _job_page(request, job, test_form=form, status=400)
    test = form.cleaned_data
    _done(request, lambda: services.retest_hardware(
        actor=request.user, job=job, battery_health=test["battery_health"],
        screen_ok=test["screen_ok"], keyboard_ok=test["keyboard_ok"],
        ports_ok=test["ports_ok"], test_notes=test["notes"]), _("Hardware test recorded."))
    return redirect("atelier:job-detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def job_finish(request, pk: int):
    job = _job_or_404(pk)
    if _done(request, lambda: services.finish_job(actor=request.user, job=job),
             _("%(tag)s is ready to lend.") % {"tag": job.device.asset_tag}):
        return redirect("atelier:board")
    return redirect("atelier:job-detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def job_scrap(request, pk: int):
    job = _job_or_404(pk)
    form = ScrapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the device cannot be used."))
    else:
        _done(request, lambda: services.scrap_job(actor=request.user, job=job,
                                                  note=form.cleaned_data["note"]),
              _("Device retired."))
    return redirect("atelier:job-detail", pk=job.pk)


@require_POST
@role_required(*STAFF)
def job_start(request, tag: str):
    device = get_object_or_404(Device, asset_tag__iexact=tag)
    holder = {}

    def start():
        holder["job"] = services.start_refurbish_job(actor=request.user, device=device)

    if _done(request, start, _("Refurbishing job started.")):
        return redirect("atelier:job-detail", pk=holder["job"].pk)
    return redirect("atelier:board")


@role_required(*STAFF)
def device_story(request, tag: str):
    """A device's whole story on one page: every job with its signed-off
    steps, every wipe (the proof that earlier owners' data is gone), every
    repair and yearly check, and every movement."""
    device = get_object_or_404(Device.objects.with_location(), asset_tag__iexact=tag)
    jobs = device.refurbish_jobs.select_related(
        "donation", "software_profile", *(f"{s}_by" for s in STEPS)).order_by("opened_at")
    return render(request, "atelier/device_story.html", {
        "device": device, "jobs": jobs,
        "wipes": device.wipes.select_related("operator", "validator"),
        "tickets": device.repair_tickets.select_related("reported_at_point").order_by(
            "opened_at"),
        "checks": YearlyCheck.objects.filter(loan__device=device).select_related(
            "checked_by").order_by("checked_on"),
        "events": device.events.select_related("actor", "from_point", "to_point", "where")
        .order_by("at", "pk")[:500],
    })


# --- Donations -------------------------------------------------------------


@role_required(*STAFF)
def donation_list(request):
    # A follow-up donation starts with the donor of the earlier one.
    form = DonationForm(request.POST or None, initial={
        name: request.GET.get(name, "")[:160] for name in ("donor", "donor_contact")})
    if request.method == "POST" and form.is_valid():
        donation = services.register_donation(actor=request.user, **form.cleaned_data)
        return redirect("atelier:donation-detail", pk=donation.pk)
    donations = Donation.objects.annotate(received=Count("jobs")).order_by(
        "-received_on", "-pk")
    page = Paginator(donations, 50).get_page(request.GET.get("page"))
    return render(request, "atelier/donation_list.html", {"form": form, "page": page})


@role_required(*STAFF)
def donation_detail(request, pk: int):
    donation = get_object_or_404(Donation, pk=pk)
    form = DonatedDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.receive_donated_device(actor=request.user, donation=donation,
                                            **form.cleaned_data)
        except LoanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Device registered; its refurbishing job is open."))
            return redirect("atelier:donation-detail", pk=donation.pk)
    return _donation_page(request, donation, form=form)


def _donation_page(request, donation: Donation, *, form=None, count_form=None, status=200):
    jobs = donation.jobs.select_related("device").order_by("device__asset_tag")
    return render(request, "atelier/donation_detail.html", {
        "donation": donation, "jobs": jobs, "form": form or DonatedDeviceForm(),
        "certificate": ErasureCertificate.objects.filter(donation=donation).first(),
        "count_form": count_form or ReceivedCountForm(initial={"count": len(jobs)}),
    }, status=status)


@require_POST
@role_required(*STAFF)
def donation_received(request, pk: int):
    """Record that fewer devices came in than the donor announced."""
    donation = get_object_or_404(Donation, pk=pk)
    form = ReceivedCountForm(request.POST)
    if form.is_valid():
        try:
            services.record_received_count(actor=request.user, donation=donation,
                                           **form.cleaned_data)
        except LoanError as exc:
            form.add_error("count", str(exc))
        else:
            messages.success(request, _("Number of devices received recorded."))
            return redirect("atelier:donation-detail", pk=donation.pk)
    return _donation_page(request, donation, count_form=form, status=400)


@role_required(*STAFF)
def donation_certificate(request, pk: int):
    """The donor's data-erasure certificate: issued (POST) only once every
    disk is proven wiped or destroyed; until then the page says what is
    missing and claims nothing."""
    donation = get_object_or_404(Donation.objects.select_related("certificate__issued_by"),
                                 pk=pk)
    if request.method == "POST":
        try:
            services.issue_erasure_certificate(actor=request.user, donation=donation)
        except services.AtelierError as exc:
            messages.error(request, str(exc))
        return redirect("atelier:donation-certificate", pk=donation.pk)
    proof = services.erasure_proof(donation)
    certificate = getattr(donation, "certificate", None)
    return render(request, "atelier/donation_certificate.html", {
        "donation": donation, "proof": proof, "certificate": certificate,
        "problem": None if certificate else services.erasure_certificate_problem(
            donation, proof),
        "destroyed": [(item.device, medium) for item in proof for medium in item.media
                      if medium.destroyed or medium.failed_before],
        "issuer": settings.ERASURE_CERTIFICATE_ISSUER,
        "issuer_address": settings.ERASURE_CERTIFICATE_ADDRESS})


# --- Repairs ---------------------------------------------------------------


@role_required(*COUNTER)
def intake(request):
    """The counter's one path for a broken device: take it in, open the
    repair ticket, and hand out a replacement if there is one."""
    form = IntakeForm(request.POST or None, user=request.user,
                      initial={"place": _initial_place(request)})
    not_lent = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.take_in_for_repair(
                actor=request.user, device=data["device"], point=data["place"],
                problem=data["problem"], replacement=data["replacement"])
        except LoanError as exc:
            device = data["device"]
            form.add_error("replacement" if isinstance(exc, ReplacementError) else "device",
                           str(exc))
            if not device.loans.filter(status=LoanStatus.ISSUED).exists():
                not_lent = device  # the page offers its device page instead
        else:
            done = _("%(tag)s taken in for repair (ticket %(pk)s). The atelier is told.") % {
                "tag": ticket.device.asset_tag, "pk": ticket.pk}
            if data["replacement"]:
                done += " " + _("%(new)s handed out instead.") % {
                    "new": data["replacement"].asset_tag}
            messages.success(request, done)
            return redirect("atelier:intake-receipt", pk=ticket.pk)
    return render(request, "atelier/intake.html", {"form": form, "not_lent": not_lent})


@role_required(*COUNTER)
def intake_receipt(request, pk: int):
    """The resident's receipt for a device taken in for repair: what they
    said in their words, the ticket number, what happens next and whom to
    ask. Hosts see those of their own points; the atelier all."""
    ticket = get_object_or_404(RepairTicket.objects.select_related(
        "device", "reported_at_point", "return_point", "loan__resident",
        "loan__replaced_by__device"), pk=pk)
    if not (request.user.has_role(*STAFF) or Point.objects.for_staff(request.user).filter(
            pk=ticket.reported_at_point_id).exists()):
        raise PermissionDenied
    loan = ticket.loan
    if loan is not None:
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=loan.resident,
                     target=ticket, summary=_("Repair receipt shown"))
    return render(request, "atelier/intake_receipt.html", {
        "ticket": ticket, "loan": loan, "point": ticket.reported_at_point,
        "replacement": loan.replaced_by if loan and ticket.swap_issued else None})


# The counter's former defect screen (/balie/defect/): old bookmarks land on
# the intake, with their query string.
defect_bookmark = role_required(*COUNTER)(RedirectView.as_view(
    pattern_name="atelier:intake", permanent=True, query_string=True))


@role_required(*STAFF)
def ticket_list(request):
    show = request.GET.get("toon", "open")
    tickets = RepairTicket.objects.with_device()
    tickets = tickets.open() if show == "open" else tickets.filter(status=TicketStatus.RESOLVED)
    page = Paginator(tickets.order_by("opened_at" if show == "open" else "-resolved_at", "pk"),
                     50).get_page(request.GET.get("page"))
    return render(request, "atelier/ticket_list.html", {"page": page, "show": show})


def _ticket_or_404(pk: int) -> RepairTicket:
    return get_object_or_404(RepairTicket.objects.with_device().select_related(
        "resolved_by", "return_point"), pk=pk)


@role_required(*STAFF)
def ticket_detail(request, pk: int):
    ticket = _ticket_or_404(pk)
    # The problem in the resident's words is the borrower's data.
    record_audit(actor=request.user, action=AuditAction.VIEW,
                 resident=ticket.loan.resident if ticket.loan_id else None, target=ticket,
                 summary=_("Repair ticket %(pk)s viewed") % {"pk": ticket.pk})
    return render(request, "atelier/ticket_detail.html", {
        "ticket": ticket,
        "move_form": TicketMoveForm(initial={"fault": ticket.fault}),
        "resolve_form": ResolveForm(initial={"fault": ticket.fault})})


@require_POST
@role_required(*STAFF)
def ticket_move(request, pk: int):
    ticket = _ticket_or_404(pk)
    form = TicketMoveForm(request.POST)
    if form.is_valid():
        _done(request, lambda: services.move_ticket(actor=request.user, ticket=ticket,
                                                    **form.cleaned_data),
              _("Repair status changed."))
    else:
        messages.error(request, _("Check the values you filled in."))
    return redirect("atelier:ticket-detail", pk=ticket.pk)


@role_required(*STAFF)
def ticket_resolve(request, pk: int):
    ticket = _ticket_or_404(pk)
    form = ResolveForm(request.POST or None, initial={"fault": ticket.fault})
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_ticket(actor=request.user, ticket=ticket, **form.cleaned_data)
        except LoanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Repair resolved."))
            return redirect("atelier:ticket-detail", pk=ticket.pk)
    return render(request, "atelier/ticket_detail.html", {
        "ticket": ticket, "move_form": TicketMoveForm(initial={"fault": ticket.fault}),
        "resolve_form": form}, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(*STAFF)
def report_ticket(request, pk: int):
    report = get_object_or_404(DefectReport, pk=pk)
    holder = {}

    def open_ticket():
        holder["ticket"] = services.open_ticket_for_report(actor=request.user, report=report)

    if _done(request, open_ticket, _("Repair ticket opened.")):
        return redirect("atelier:ticket-detail", pk=holder["ticket"].pk)
    return redirect("atelier:board")


@role_required(*STAFF)
def ords_export(request):
    """Repair records in the Open Repair Data Standard's column layout."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ords-herstellingen.csv"'
    writer = csv_writer(response)
    writer.writerow(ORDS_COLUMNS)
    # The export holds the problem in the residents' words.
    record_audit(actor=request.user, action=AuditAction.EXPORT,
                 summary=_("Repair records exported (Open Repair Data Standard)"))
    tickets = (RepairTicket.objects.filter(status=TicketStatus.RESOLVED)
               .select_related("device").order_by("resolved_at", "pk"))
    for ticket in tickets.iterator(chunk_size=2000):
        writer.writerow(ords_row(ticket))
    return response


# The columns of the Open Repair Data Standard v0.3, in its order, as the
# Open Repair Alliance publishes its data (github.com/openrepair/data): one
# row per repair attempt.
ORDS_COLUMNS = ["id", "data_provider", "country", "partner_product_category",
                "product_category", "product_category_id", "brand", "year_of_manufacture",
                "product_age", "repair_status", "repair_barrier_if_end_of_life",
                "group_identifier", "event_date", "problem"]
# ORDS v0.3 product categories (name, id) of the devices the digibank lends.
ORDS_CATEGORY = {"laptop": ("Laptop", 16), "tablet": ("Tablet", 30),
                 "smartphone": ("Mobile", 19)}
ORDS_STATUS = {"fixed": "Fixed", "repairable": "Repairable", "end_of_life": "End of life"}
ORDS_BARRIER = {"parts_unavailable": "Spare parts not available",
                "parts_too_expensive": "Spare parts too expensive",
                "not_repairable": "No way to open the product",
                "no_information": "Repair information not available",
                "too_old": "Item too worn out"}
# Our own device kinds and fault categories, in English as the standard's
# data is (the fault in the resident's words may hold personal data).
ORDS_KIND = {"laptop": "Laptop", "tablet": "Tablet", "smartphone": "Smartphone"}


def ords_row(ticket: RepairTicket) -> list:
    """One repair attempt (a resolved repair ticket) as an ORDS row: the
    product as we categorise it (our device kind, no fault), the standard's
    category, brand, year of manufacture and age in years at the repair
    where known, the outcome, and the fault as the problem."""
    device = ticket.device
    day = timezone.localtime(ticket.resolved_at).date()
    category, category_id = ORDS_CATEGORY[device.kind]
    age = device.age_in_years(day)
    with translation.override("en"):
        problem = str(FaultCategory(ticket.fault).label)
    return [
        f"digibank_{ticket.pk}", "Digibank", "BEL", ORDS_KIND[device.kind], category,
        category_id, device.brand or "Unknown", device.year_of_manufacture or "",
        "" if age is None else age, ORDS_STATUS[ticket.outcome],
        ORDS_BARRIER.get(ticket.barrier, ""), "Digibank atelier", day.isoformat(), problem,
    ]


# --- Yearly checks ---------------------------------------------------------


@role_required(*COUNTER)
def checks(request):
    """Lent devices whose yearly check is due within four weeks, with a
    link to record each result."""
    today = timezone.localdate()
    until = today + timedelta(days=CHECK_NOTICE_DAYS)
    loans = Loan.objects.checks_due(until).with_people().order_by("check_due_on", "pk")
    page = Paginator(loans, 50).get_page(request.GET.get("page"))
    return render(request, "atelier/checks.html", {"page": page, "until": until,
                                                   "today": today})


@role_required(*COUNTER)
def yearly_check(request, pk: int):
    loan = get_object_or_404(Loan.objects.with_people(), pk=pk, status=LoanStatus.ISSUED)
    form = YearlyCheckForm(request.POST or None, user=request.user, initial={
        "place": _initial_place(request), "due_on": loan.check_due_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_yearly_check(
                actor=request.user, loan=loan, result=data["result"], point=data["place"],
                findings=data["findings"], battery_health=data["battery_health"],
                replacement=data["replacement"], due_on=data["due_on"])
        except LoanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Yearly check recorded."))
            return redirect("devices:device-detail", tag=loan.device.asset_tag)
    return render(request, "atelier/yearly_check.html", {"form": form, "loan": loan})


# --- Hours -----------------------------------------------------------------


@role_required(*STAFF)
def hours(request):
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_hours(actor=request.user, **form.cleaned_data)
        except LoanError as exc:
            form.add_error("hours", str(exc))
        else:
            messages.success(request, _("Hours recorded."))
            return redirect("atelier:hours")
    recent = WorkLog.objects.select_related("worker")[:20]
    return render(request, "atelier/hours.html", {"form": form, "recent": recent,
                                                  "month_form": MonthForm()})


def _month_rows(request) -> tuple[MonthForm, date, list[dict]]:
    """The month asked for (this month when none or a wrong one) and its
    hours per worker: kind in words, hours as a number with at most two
    decimals."""
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else timezone.localdate()
    month = month.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    rows = list(WorkLog.objects.filter(day__gte=month, day__lt=next_month)
                .values("worker__name", "worker__kind", "worker__organisation__name")
                .annotate(total=Sum("hours"), days=Count("day", distinct=True))
                .order_by("worker__name"))
    for row in rows:
        row["kind"] = WorkerKind(row["worker__kind"]).label
        row["total"] = hours_number(row["total"])
    return form, month, rows


def hours_number(value) -> Decimal:
    """Hours as a number to show: two decimals at most, no trailing zeros
    (15,2 and 15, never 15,2000000000000)."""
    value = Decimal(value or 0).quantize(Decimal("0.01"))
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


@role_required(*STAFF)
def hours_report(request):
    form, month, rows = _month_rows(request)
    return render(request, "atelier/hours_report.html", {
        "form": form, "month": month, "rows": rows,
        "total": hours_number(sum((row["total"] for row in rows), Decimal(0)))})


@role_required(*STAFF)
def hours_export(request):
    """The month's hours per worker as an Excel workbook."""
    _form, month, rows = _month_rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Hours")[:31]
    sheet.append([escape_cell(_("Hours per worker: %(month)s") % {
        "month": date_format(month, "F Y")})])
    sheet.append([_("Worker"), _("Kind"), _("Employed through"), _("Days"), _("Hours")])
    for row in rows:
        sheet.append([escape_cell(row["worker__name"]), str(row["kind"]),
                      escape_cell(row["worker__organisation__name"] or ""), row["days"],
                      row["total"]])
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    sheet.append([_("Total"), None, None, None,
                  sum((row["total"] for row in rows), Decimal(0))])
    sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    for cell in (*sheet[2], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (30, 24, 30, 8, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    record_audit(actor=request.user, action=AuditAction.EXPORT,
                 summary=_("Hours worked exported (%(month)s)") % {"month": f"{month:%m/%Y}"})
    output = BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="uren-{month:%Y-%m}.xlsx"'
    return response


# --- Workers ---------------------------------------------------------------


@role_required(*STAFF)
def worker_list(request):
    """The atelier's workers, and a form to add a volunteer or a
    social-economy worker."""
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        worker = services.add_worker(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s added.") % {"name": worker.name})
        return redirect("atelier:workers")
    workers = Worker.objects.select_related("organisation").order_by("-is_active", "name")
    page = Paginator(workers, 50).get_page(request.GET.get("page"))
    return render(request, "atelier/workers.html", {
        "form": form, "page": page, "editable": ATELIER_WORKER_KINDS},
        status=400 if request.method == "POST" else 200)


@role_required(*STAFF)
def worker_edit(request, pk: int):
    worker = get_object_or_404(Worker, pk=pk, kind__in=ATELIER_WORKER_KINDS)
    form = WorkerForm(request.POST or None, instance=worker)
    if request.method == "POST" and form.is_valid():
        services.change_worker(actor=request.user, worker=worker, **form.cleaned_data)
        messages.success(request, _("%(name)s saved.") % {"name": form.cleaned_data["name"]})
        return redirect("atelier:workers")
    return render(request, "atelier/worker_edit.html", {"form": form, "worker": worker},
                  status=400 if request.method == "POST" else 200)


# --- Impact ----------------------------------------------------------------


@role_required(*STAFF)
def impact(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = date(today.year, 1, 1), today
    return render(request, "atelier/impact.html", {
        "form": form, "impact": impact_figures.impact_between(start, end),
        "displacement": impact_figures.DISPLACEMENT, "source": impact_figures.SOURCE})
