"""The atelier: donations, refurbishing jobs with their signed-off steps and
wipe records, repair tickets, yearly check results, workers and their hours.

The devices themselves, their status and their history (``DeviceEvent``)
live in the devices app; the atelier imports from devices, never the other
way. Every device status change goes through ``devices.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from devices.models import DeviceKind


class DonationMethod(models.TextChoices):
    PICKUP = "pickup", _("We picked it up")
    DROPOFF = "dropoff", _("Dropped off at the atelier")


class Donation(models.Model):
    """A batch of donated devices from one donor (a company, the city, a
    person). Its devices are the refurbishing jobs that name it."""

    donor = models.CharField(_("donor"), max_length=120)
    donor_contact = models.CharField(_("contact person or e-mail"), max_length=160, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    expected_count = models.PositiveSmallIntegerField(_("devices announced"), default=0)
    # Fewer devices came in than announced: how many did, and why, recorded
    # by the atelier (``record_received_count``) so the certificate may be
    # issued for the devices that are there.
    received_count = models.PositiveSmallIntegerField(_("devices received"), null=True,
                                                      blank=True)
    received_count_reason = models.CharField(_("why fewer were received"), max_length=300,
                                             blank=True)
    method = models.CharField(_("how it came in"), max_length=8, choices=DonationMethod.choices,
                              default=DonationMethod.DROPOFF)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self) -> str:
        return f"{self.donor} ({self.received_on:%d/%m/%Y})"

    @property
    def count_to_register(self) -> int:
        """How many devices the donation should hold: the number announced,
        or the number received when fewer came in (0: not announced)."""
        if self.received_count is not None:
            return self.received_count
        return self.expected_count


class SoftwareProfile(models.Model):
    """An installation image: what goes on a device for whom."""

    name = models.CharField(_("name"), max_length=80)
    version = models.CharField(_("version"), max_length=30)
    contents = models.TextField(_("what it contains"), blank=True)
    device_profile = models.CharField(
        _("profile on the device"), max_length=10,
        choices=[("basic", _("Basic")), ("school", _("School"))], default="basic",
        help_text=_("The profile the device list shows."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("software profile")
        verbose_name_plural = _("software profiles")
        constraints = [models.UniqueConstraint(fields=["name", "version"],
                                               name="software_profile_unique_version")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class JobReason(models.TextChoices):
    DONATION = "donation", _("Donated device")
    RETURN = "return", _("Back from a borrower")
    REPAIR = "repair", _("After a repair")


class JobStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Ready")
    SCRAPPED = "scrapped", _("Scrapped")


class Step(models.TextChoices):
    """The refurbishing steps, in the order the atelier does them."""

    WIPE = "wipe", _("Data wipe")
    TEST = "test", _("Hardware test")
    INSTALL = "install", _("OS and software")
    CLEAN = "clean", _("Cleaning")
    GRADE = "grade", _("Grading")


STEPS: tuple[str, ...] = tuple(Step.values)


class RefurbishJobQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=JobStatus.OPEN)

    def at_step(self, step: str):
        """Open jobs whose next step to sign off is ``step``."""
        earlier = STEPS[: STEPS.index(step)]
        return self.open().filter(
            **{f"{name}_at__isnull": False for name in earlier}, **{f"{step}_at__isnull": True})


class RefurbishJob(models.Model):
    """One pass of a device through the atelier, from intake to ready.

    Each step is signed off by who and when. A device returned by a borrower
    gets a new job, so it is wiped and re-imaged before its next loan.
    """

    ALLOWED_TRANSITIONS = {
        JobStatus.OPEN: {JobStatus.DONE, JobStatus.SCRAPPED},
        JobStatus.DONE: set(),
        JobStatus.SCRAPPED: set(),
    }

    device = models.ForeignKey("devices.Device", verbose_name=_("device"),
                               on_delete=models.PROTECT, related_name="refurbish_jobs")
    donation = models.ForeignKey(Donation, verbose_name=_("donation"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="jobs")
    reason = models.CharField(_("why"), max_length=10, choices=JobReason.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.OPEN)
    opened_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    software_profile = models.ForeignKey(
        SoftwareProfile, verbose_name=_("software profile"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="jobs")
    note = models.CharField(_("note"), max_length=300, blank=True)
    wipe_at = models.DateTimeField(_("wipe signed off"), null=True, blank=True)
    wipe_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    test_at = models.DateTimeField(_("test signed off"), null=True, blank=True)
    test_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # What the hardware test found, saved with its sign-off.
    test_battery_health = models.PositiveSmallIntegerField(
        _("battery health at the test (%)"), null=True, blank=True)
    test_screen_ok = models.BooleanField(_("screen works"), null=True, blank=True)
    test_keyboard_ok = models.BooleanField(_("keyboard, touchpad and buttons work"),
                                           null=True, blank=True)
    test_ports_ok = models.BooleanField(_("ports, Wi-Fi and Bluetooth work"), null=True,
                                        blank=True)
    test_notes = models.CharField(_("test notes"), max_length=300, blank=True)
    install_at = models.DateTimeField(_("installation signed off"), null=True, blank=True)
    install_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    clean_at = models.DateTimeField(_("cleaning signed off"), null=True, blank=True)
    clean_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    grade_at = models.DateTimeField(_("grading signed off"), null=True, blank=True)
    grade_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    objects = RefurbishJobQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("refurbishing job")
        verbose_name_plural = _("refurbishing jobs")
        indexes = [models.Index(fields=["status", "opened_at"]),
                   models.Index(fields=["status", "finished_at"]),
                   models.Index(fields=["device", "-opened_at"])]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(status="open"),
                                    name="refurbish_job_one_open_per_device"),
            models.CheckConstraint(condition=Q(status="open") | Q(finished_at__isnull=False),
                                   name="refurbish_job_closed_has_finish"),
            models.CheckConstraint(
                condition=Q(test_battery_health__isnull=True) | Q(test_battery_health__lte=100),
                name="refurbish_job_test_battery_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.device.asset_tag} – {self.get_reason_display()}"

    def test_results(self) -> list[tuple[str, bool | None]]:
        """What the hardware test checked, each with its result."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name))
                for name in ("test_screen_ok", "test_keyboard_ok", "test_ports_ok")]

    @property
    def next_step(self) -> str | None:
        return next((step for step in STEPS if getattr(self, f"{step}_at") is None), None)

    def steps(self) -> list[dict]:
        """Each step with its label, when and by whom it was signed off."""
        return [{"step": step, "label": Step(step).label, "at": getattr(self, f"{step}_at"),
                 "by": getattr(self, f"{step}_by"), "is_next": step == self.next_step}
                for step in STEPS]


class WipeMethod(models.TextChoices):
    """The sanitisation levels of NIST SP 800-88 Rev. 1."""

    CLEAR = "clear", _("Clear (overwrite)")
    PURGE = "purge", _("Purge (secure erase, crypto erase)")
    DESTROY = "destroy", _("Destroy (shred the medium)")


class WipeResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    WARNING = "warning", _("Passed with warning")
    FAILED = "failed", _("Failed")


PASSING_WIPE_RESULTS = (WipeResult.PASSED, WipeResult.WARNING)


class WipeRecord(models.Model):
    """The erasure of one storage medium of a device, as proof for the
    previous owner that their data is gone."""

    job = models.ForeignKey(RefurbishJob, verbose_name=_("job"), on_delete=models.PROTECT,
                            related_name="wipes")
    device = models.ForeignKey("devices.Device", verbose_name=_("device"),
                               on_delete=models.PROTECT, related_name="wipes")
    medium_serial = models.CharField(_("serial number of the disk"), max_length=80)
    medium_model = models.CharField(_("disk model"), max_length=80, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=WipeMethod.choices)
    tool = models.CharField(_("tool"), max_length=60, blank=True)
    tool_version = models.CharField(_("tool version"), max_length=30, blank=True)
    verification = models.CharField(_("how it was verified"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=WipeResult.choices)
    warning = models.CharField(_("warning"), max_length=200, blank=True,
                               help_text=_("What the tool warned about (passed with warning)."))
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"),
                                 null=True, on_delete=models.SET_NULL, related_name="+")
    validator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    wiped_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["wiped_at", "pk"]
        verbose_name = _("wipe record")
        verbose_name_plural = _("wipe records")
        indexes = [models.Index(fields=["device", "wiped_at"])]

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def passed(self) -> bool:
        return self.result in PASSING_WIPE_RESULTS


class ErasureCertificate(models.Model):
    """The data-erasure certificate of a donation, issued once every storage
    medium of every device in it is proven wiped or destroyed. Its number is
    fixed at issue and never changes; reprints show the same certificate."""

    donation = models.OneToOneField(Donation, verbose_name=_("donation"),
                                    on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("data erasure certificate")
        verbose_name_plural = _("data erasure certificates")

    def __str__(self) -> str:
        return self.number


class CertificateSequence(models.Model):
    """The last data-erasure certificate number given out in a year, so
    numbers run on without gaps (``issue_erasure_certificate`` locks the
    row, in the transaction that issues the certificate)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class FaultCategory(models.TextChoices):
    """Fault types after the Open Repair Data Standard for computers,
    tablets and phones."""

    POWER = "power", _("Power or battery")
    CHARGER = "charger", _("Charger or charging port")
    SCREEN = "screen", _("Screen")
    INPUT = "input", _("Keyboard, touchpad or buttons")
    STORAGE = "storage", _("Storage (disk)")
    PERFORMANCE = "performance", _("Slow or freezes")
    SOFTWARE = "software", _("Software or operating system")
    CONNECTIVITY = "connectivity", _("Wi-Fi, Bluetooth or ports")
    CASE = "case", _("Case or hinges")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known yet")


# Which fault categories make sense per kind of device (the form offers these).
FAULTS_BY_KIND: dict[str, tuple[str, ...]] = {
    DeviceKind.LAPTOP: tuple(FaultCategory.values),
    DeviceKind.TABLET: tuple(v for v in FaultCategory.values if v != FaultCategory.INPUT),
    DeviceKind.SMARTPHONE: tuple(v for v in FaultCategory.values if v != FaultCategory.INPUT),
}


class TicketStatus(models.TextChoices):
    ASSESS = "assess", _("To assess")
    WAITING_PARTS = "parts", _("Waiting for parts")
    REPAIRING = "repairing", _("Being repaired")
    RESOLVED = "resolved", _("Resolved")


OPEN_TICKET_STATUSES = (TicketStatus.ASSESS, TicketStatus.WAITING_PARTS, TicketStatus.REPAIRING)


class RepairOutcome(models.TextChoices):
    """The repair status of the Open Repair Data Standard."""

    FIXED = "fixed", _("Fixed")
    REPAIRABLE = "repairable", _("Repairable")
    END_OF_LIFE = "end_of_life", _("End of life")


class RepairBarrier(models.TextChoices):
    """Why an end-of-life device could not be repaired (ORDS barriers)."""

    PARTS_UNAVAILABLE = "parts_unavailable", _("Spare parts not available")
    PARTS_TOO_EXPENSIVE = "parts_too_expensive", _("Spare parts too expensive")
    NOT_REPAIRABLE = "not_repairable", _("Item not designed for repair")
    NO_INFORMATION = "no_information", _("Repair information not available")
    TOO_OLD = "too_old", _("Too old to be worth it")


class RepairTicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_TICKET_STATUSES)

    def with_device(self):
        return self.select_related("device", "reported_at_point", "reported_by")

    def stale(self, before):
        """Open tickets whose status has not moved since ``before``."""
        return self.open().filter(status_changed_at__lt=before)


class RepairTicket(models.Model):
    """A repair of one device, from intake (at a point or the atelier) to
    its outcome. Hangs on the host's ``DefectReport`` where there is one."""

    ALLOWED_TRANSITIONS = {
        TicketStatus.ASSESS: {TicketStatus.WAITING_PARTS, TicketStatus.REPAIRING,
                              TicketStatus.RESOLVED},
        TicketStatus.WAITING_PARTS: {TicketStatus.REPAIRING, TicketStatus.RESOLVED},
        TicketStatus.REPAIRING: {TicketStatus.WAITING_PARTS, TicketStatus.RESOLVED},
        TicketStatus.RESOLVED: set(),
    }

    device = models.ForeignKey("devices.Device", verbose_name=_("device"),
                               on_delete=models.PROTECT, related_name="repair_tickets")
    defect_report = models.OneToOneField(
        "devices.DefectReport", verbose_name=_("defect report"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="repair_ticket")
    loan = models.ForeignKey("devices.Loan", verbose_name=_("loan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="repair_tickets")
    return_point = models.ForeignKey(
        "points.Point", verbose_name=_("give back at"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Where the borrower collects the repaired device; empty: the atelier."))
    problem = models.TextField(_("the problem in the resident's words"))
    reported_at_point = models.ForeignKey(
        "points.Point", verbose_name=_("reported at"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", help_text=_("Empty: the atelier."))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken in by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    fault = models.CharField(_("fault category"), max_length=12, choices=FaultCategory.choices,
                             default=FaultCategory.UNKNOWN)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices,
                              default=TicketStatus.ASSESS)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=RepairOutcome.choices,
                               blank=True)
    barrier = models.CharField(_("barrier to repair"), max_length=20,
                               choices=RepairBarrier.choices, blank=True)
    parts_used = models.CharField(_("parts used"), max_length=200, blank=True)
    minutes_spent = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    swap_issued = models.BooleanField(_("replacement device given"), default=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    flagged_stale_at = models.DateTimeField(_("flagged as stale"), null=True, blank=True)

    objects = RepairTicketQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        indexes = [models.Index(fields=["status", "status_changed_at"]),
                   models.Index(fields=["resolved_at", "outcome"]),
                   models.Index(fields=["device", "-opened_at"])]
        constraints = [
            models.UniqueConstraint(fields=["device"],
                                    condition=Q(status__in=["assess", "parts", "repairing"]),
                                    name="repair_ticket_one_open_per_device"),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                & ~Q(outcome="") | ~Q(status="resolved"),
                name="repair_ticket_resolved_has_outcome"),
            models.CheckConstraint(condition=~Q(outcome="end_of_life") | ~Q(barrier=""),
                                   name="repair_ticket_end_of_life_has_barrier"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.device.asset_tag}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TICKET_STATUSES

    @property
    def turnaround_days(self) -> int | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).days


class CheckResult(models.TextChoices):
    PASS = "pass", _("Fine: lend on for a year")
    REPAIR = "repair", _("Needs a repair")
    SWAP = "swap", _("Swap for another device")
    END = "end", pgettext_lazy("yearly check", "End the loan")


class YearlyCheck(models.Model):
    """The result of a lent device's yearly check. One per loan and due date."""

    loan = models.ForeignKey("devices.Loan", verbose_name=_("loan"), on_delete=models.PROTECT,
                             related_name="yearly_checks")
    due_on = models.DateField(_("was due"))
    checked_on = models.DateField(_("checked on"), default=timezone.localdate)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    findings = models.TextField(_("findings"), blank=True)
    battery_health = models.PositiveSmallIntegerField(_("battery health (%)"), null=True,
                                                      blank=True)
    result = models.CharField(_("result"), max_length=6, choices=CheckResult.choices)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("yearly check")
        verbose_name_plural = _("yearly checks")
        constraints = [
            models.UniqueConstraint(fields=["loan", "due_on"], name="yearly_check_once_per_due"),
            models.CheckConstraint(
                condition=Q(battery_health__isnull=True) | Q(battery_health__lte=100),
                name="yearly_check_battery_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.checked_on:%d/%m/%Y}"


class WorkerKind(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    VOLUNTEER = "volunteer", _("Volunteer")
    SOCIAL_ECONOMY = "social", _("Social-economy worker")


class Worker(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=WorkerKind.choices)
    organisation = models.ForeignKey(
        "outreach.Partner", verbose_name=_("employed through"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="atelier_workers",
        help_text=_("For example the sheltered-employment company."))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="atelier_worker")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.name


class WorkLog(models.Model):
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT,
                               related_name="logs")
    day = models.DateField(_("day"), default=timezone.localdate)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    tasks = models.CharField(_("what was done"), max_length=300)
    competences = models.CharField(_("competences signed off"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("hours worked")
        verbose_name_plural = _("hours worked")
        indexes = [models.Index(fields=["worker", "day"])]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=12),
                                              name="worklog_hours_in_a_day")]

    def __str__(self) -> str:
        return f"{self.worker} {self.day:%d/%m/%Y}: {self.hours}"
