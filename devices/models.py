"""Loan devices: the devices themselves and their lifecycle, subscription
plans, subscriptions, loans and reservations.

Where a device is: ``Device.point`` is the point it sits at, NULL means the
atelier; while it is on loan (status ON_LOAN) it is with the borrower and
``point`` is NULL. The atelier app builds on these models (atelier ->
devices); code branches only on the fixed ``DeviceStatus`` values.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digibank.models import HistoryEvent
from points.models import Point

# No loan device is older than this (the first laptops sold as such).
FIRST_YEAR_OF_MANUFACTURE = 1980


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    TABLET = "tablet", _("Tablet")
    SMARTPHONE = "smartphone", _("Smartphone")


class LoanSlot(models.TextChoices):
    """The quota a loan counts against: one laptop, plus one tablet *or*
    smartphone, per person at a time."""

    LAPTOP = "laptop", _("Laptop")
    MOBILE = "mobile", _("Tablet or smartphone")


def slot_for_kind(kind: str) -> str:
    return LoanSlot.LAPTOP if kind == DeviceKind.LAPTOP else LoanSlot.MOBILE


class DeviceStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REFURBISHING = "refurbishing", _("Being refurbished")
    READY = "ready", _("Ready at the atelier")
    IN_TRANSIT = "in_transit", _("On its way to a point")
    AT_POINT = "at_point", _("Available at a point")
    RESERVED = "reserved", _("Reserved")
    ON_LOAN = "on_loan", _("On loan")
    RETURNED = "returned", _("Returned, to check")
    IN_REPAIR = "in_repair", _("In repair")
    RETIRED = "retired", _("Retired")


# Where each status may go next. Retiring (recycling, parts, end of life) is
# allowed from anywhere except from a loan: a device on loan first comes back.
# A device holding a borrower's data that is not going to that borrower
# (a reservation after a repair that ends) goes back "to check".
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DeviceStatus.RECEIVED: {DeviceStatus.REFURBISHING, DeviceStatus.RETIRED},
    DeviceStatus.REFURBISHING: {DeviceStatus.READY, DeviceStatus.IN_REPAIR,
                                DeviceStatus.RETIRED},
    DeviceStatus.READY: {DeviceStatus.IN_TRANSIT, DeviceStatus.RESERVED, DeviceStatus.ON_LOAN,
                         DeviceStatus.REFURBISHING, DeviceStatus.RETIRED},
    DeviceStatus.IN_TRANSIT: {DeviceStatus.AT_POINT, DeviceStatus.RESERVED, DeviceStatus.READY,
                              DeviceStatus.RETURNED, DeviceStatus.RETIRED},
    DeviceStatus.AT_POINT: {DeviceStatus.RESERVED, DeviceStatus.ON_LOAN, DeviceStatus.READY,
                            DeviceStatus.IN_TRANSIT, DeviceStatus.IN_REPAIR,
                            DeviceStatus.RETIRED},
    DeviceStatus.RESERVED: {DeviceStatus.ON_LOAN, DeviceStatus.AT_POINT, DeviceStatus.READY,
                            DeviceStatus.IN_TRANSIT, DeviceStatus.RETURNED,
                            DeviceStatus.RETIRED},
    DeviceStatus.ON_LOAN: {DeviceStatus.RETURNED, DeviceStatus.IN_REPAIR},
    DeviceStatus.RETURNED: {DeviceStatus.REFURBISHING, DeviceStatus.READY,
                            DeviceStatus.IN_TRANSIT, DeviceStatus.IN_REPAIR,
                            DeviceStatus.RETIRED},
    # Reserved straight from repair only to go back to its own borrower
    # (``give_back_after_repair``); "ready" needs a wipe.
    DeviceStatus.IN_REPAIR: {DeviceStatus.READY, DeviceStatus.REFURBISHING,
                             DeviceStatus.RESERVED, DeviceStatus.RETIRED},
    DeviceStatus.RETIRED: set(),
}

# A device in one of these statuses can be handed out (or reserved) where it is.
AVAILABLE_STATUSES = (DeviceStatus.READY, DeviceStatus.AT_POINT)

# Statuses in which a device is on its way to a borrower: available, on its
# way to a point, set aside for someone, lent. The wipe gate
# (``devices.services.check_wipe_gate``) stands before each of them.
LENDING_STATUSES = (DeviceStatus.READY, DeviceStatus.IN_TRANSIT, DeviceStatus.AT_POINT,
                    DeviceStatus.RESERVED, DeviceStatus.ON_LOAN)


class DataState(models.TextChoices):
    """What is known about the data on a device's storage. Kept by the
    services: a refurbishing job whose every disk passed its wipe makes it
    "wiped"; a loan makes it "borrower"; the end of a loan, a repair or a
    new job make it "unproven" again. The database refuses a device that
    is available, on its way or set aside without it."""

    UNPROVEN = "unproven", _("No proven wipe since it was last used")
    WIPED = "wiped", _("Wiped, unused since")
    BORROWER = "borrower", _("Holds its borrower's data")


class SoftwareProfile(models.TextChoices):
    BASIC = "basic", _("Basic")
    SCHOOL = "school", _("School")


class Grade(models.TextChoices):
    A = "A", _("A: as new")
    B = "B", _("B: good")
    C = "C", _("C: usable")


class DeviceLabel(models.Model):
    """A staff-defined label that refines a status ("waiting for parts",
    "on the shelf"). Code never branches on it."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    status = models.CharField(_("refines status"), max_length=14, choices=DeviceStatus.choices)

    class Meta:
        ordering = ["status", "name"]
        verbose_name = _("device label")
        verbose_name_plural = _("device labels")

    def __str__(self) -> str:
        return self.name


class DeviceQuerySet(models.QuerySet):
    def available(self):
        return self.filter(status__in=AVAILABLE_STATUSES)

    def at(self, point):
        """Devices at ``point`` (None: at the atelier), not on loan."""
        qs = self.exclude(status__in=[DeviceStatus.ON_LOAN, DeviceStatus.RETIRED])
        return qs.filter(point__isnull=True) if point is None else qs.filter(point=point)

    def with_location(self):
        return self.select_related("point", "label")


class Device(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=DeviceKind.choices)
    brand = models.CharField(_("brand"), max_length=60)
    model_name = models.CharField(_("model"), max_length=80, blank=True)
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    asset_tag = models.SlugField(
        _("asset tag"), max_length=30, unique=True,
        help_text=_("The code on the device's label, for example DB-00123."),
    )
    specs = models.CharField(_("specifications"), max_length=200, blank=True)
    software_profile = models.CharField(
        _("software profile"), max_length=10, choices=SoftwareProfile.choices,
        default=SoftwareProfile.BASIC,
    )
    functional_grade = models.CharField(
        _("functional grade"), max_length=1, choices=Grade.choices, blank=True
    )
    cosmetic_grade = models.CharField(
        _("cosmetic grade"), max_length=1, choices=Grade.choices, blank=True
    )
    battery_health = models.PositiveSmallIntegerField(
        _("battery health (%)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=14, choices=DeviceStatus.choices, default=DeviceStatus.RECEIVED
    )
    label = models.ForeignKey(
        DeviceLabel, verbose_name=_("label"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="devices",
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("at point"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="devices",
        help_text=_("Empty: at the atelier (or with the borrower while on loan)."),
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    data_state = models.CharField(
        _("data on the device"), max_length=10, choices=DataState.choices,
        default=DataState.UNPROVEN,
        help_text=_("Kept by the atelier's wipe records; never set by hand."),
    )
    year_of_manufacture = models.PositiveSmallIntegerField(
        _("year of manufacture"), null=True, blank=True,
        validators=[MinValueValidator(FIRST_YEAR_OF_MANUFACTURE)],
        help_text=_("For example 2019; on the label or in the BIOS. Empty when not known."),
    )
    storage_media = models.PositiveSmallIntegerField(
        _("storage media (disks)"), default=1,
        help_text=_("How many disks or memory chips hold data: each needs its own wipe "
                    "record."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["point", "status"]),
            models.Index(fields=["kind", "asset_tag"]),
        ]
        constraints = [
            # Tags are typed or scanned in any case: "db-1" and "DB-1" are one device.
            models.UniqueConstraint(Upper("asset_tag"), name="device_asset_tag_unique_any_case"),
            models.CheckConstraint(
                condition=Q(battery_health__isnull=True) | Q(battery_health__lte=100),
                name="device_battery_health_percent",
            ),
            # With a borrower means at no point.
            models.CheckConstraint(
                condition=~Q(status="on_loan") | Q(point__isnull=True),
                name="device_on_loan_at_no_point",
            ),
            models.CheckConstraint(
                condition=~Q(status="at_point") | Q(point__isnull=False),
                name="device_at_point_has_point",
            ),
            # The wipe gate, backed by the database: available only when
            # wiped since its last use; on its way or set aside also when it
            # goes back, repaired, to the borrower whose data it holds.
            models.CheckConstraint(
                condition=~Q(status__in=["ready", "at_point"]) | Q(data_state="wiped"),
                name="device_available_only_wiped",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_transit", "reserved", "on_loan"])
                | Q(data_state__in=["wiped", "borrower"]),
                name="device_lent_only_wiped_or_to_its_borrower",
            ),
            models.CheckConstraint(condition=Q(storage_media__gte=1),
                                   name="device_has_a_storage_medium"),
            models.CheckConstraint(
                condition=Q(year_of_manufacture__isnull=True)
                | Q(year_of_manufacture__gte=FIRST_YEAR_OF_MANUFACTURE),
                name="device_year_of_manufacture_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.get_kind_display()} {self.brand} {self.model_name})"

    @property
    def is_available(self) -> bool:
        return self.status in AVAILABLE_STATUSES

    def clean(self) -> None:
        super().clean()
        if self.year_of_manufacture and self.year_of_manufacture > timezone.localdate().year:
            raise ValidationError({"year_of_manufacture": _(
                "The year of manufacture cannot be in the future.")})

    def age_in_years(self, on: date) -> int | None:
        """Whole years since its year of manufacture on ``on``, or None
        when the year is not known."""
        if self.year_of_manufacture is None:
            return None
        return max(0, on.year - self.year_of_manufacture)

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]

    @property
    def place_label(self) -> str:
        if self.status == DeviceStatus.ON_LOAN:
            return str(_("With the borrower"))
        if self.status == DeviceStatus.RETIRED:
            return str(_("Retired"))
        return str(self.point) if self.point_id else str(_("Atelier"))


class DeviceEvent(HistoryEvent):
    """One movement or status change of a device: who, when, where, from, to."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=14, choices=DeviceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=14, choices=DeviceStatus.choices)
    from_point = models.ForeignKey(
        "points.Point", verbose_name=_("from point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    to_point = models.ForeignKey(
        "points.Point", verbose_name=_("to point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    where = models.ForeignKey(
        "points.Point", verbose_name=_("where"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The point where it happened; empty: the atelier."),
    )
    loan = models.ForeignKey(
        "Loan", verbose_name=_("loan"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="events",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(HistoryEvent.Meta):
        ordering = ["-at", "-pk"]
        verbose_name = _("device event")
        verbose_name_plural = _("device events")
        indexes = [
            models.Index(fields=["device", "-at"]),
            # Retention: the history rows that still hold a note.
            models.Index(fields=["at"], condition=~Q(note=""), name="device_event_note_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.from_status} -> {self.to_status}"


class SubscriptionPlan(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    monthly_fee = models.DecimalField(
        _("monthly fee (EUR)"), max_digits=6, decimal_places=2, default=0
    )
    deposit = models.DecimalField(_("deposit (EUR)"), max_digits=6, decimal_places=2, default=0)
    includes = models.TextField(_("what it includes"), blank=True)
    eligibility_note = models.TextField(_("who can get it"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["monthly_fee", "name"]
        verbose_name = _("subscription plan")
        verbose_name_plural = _("subscription plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_fee__gte=0) & Q(deposit__gte=0),
                name="plan_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubscriptionStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


OPEN_SUBSCRIPTION_STATUSES = (
    SubscriptionStatus.REFERRED, SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED,
)


class SubscriptionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_SUBSCRIPTION_STATUSES)


class Subscription(models.Model):
    """A resident's abonnement on a plan. For a school loan the resident is
    the pupil, the signer a guardian and the referrer the partner school."""

    ALLOWED_TRANSITIONS = {
        SubscriptionStatus.REFERRED: {SubscriptionStatus.ACTIVE, SubscriptionStatus.ENDED},
        SubscriptionStatus.ACTIVE: {SubscriptionStatus.SUSPENDED, SubscriptionStatus.ENDED},
        SubscriptionStatus.SUSPENDED: {SubscriptionStatus.ACTIVE, SubscriptionStatus.ENDED},
        SubscriptionStatus.ENDED: set(),
    }

    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    plan = models.ForeignKey(
        SubscriptionPlan, verbose_name=_("plan"), on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    referred_by = models.ForeignKey(
        "outreach.Partner", verbose_name=_("referred by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="device_subscriptions",
        help_text=_("Empty: the resident came to the counter."),
    )
    guardian = models.ForeignKey(
        "digibank.Resident", verbose_name=_("parent or guardian"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="guarded_subscriptions",
    )
    guardian_name = models.CharField(_("name of parent or guardian"), max_length=120,
                                     blank=True)
    guardian_phone = models.CharField(_("phone of parent or guardian"), max_length=20,
                                      blank=True)
    starts_on = models.DateField(_("start"), default=timezone.localdate)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.ACTIVE,
    )
    next_review_on = models.DateField(_("next eligibility review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["status", "next_review_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(status__in=["referred", "active", "suspended"]),
                name="subscription_one_open_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="subscription_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.resident}"

    @property
    def is_school_loan(self) -> bool:
        return bool(self.guardian_id or self.guardian_name)

    @property
    def signer_name(self) -> str:
        if self.guardian_id:
            return self.guardian.full_name
        return self.guardian_name or self.resident.full_name


class LoanStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    ISSUED = "issued", _("Handed out")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", pgettext_lazy("loan status", "Closed")


ACTIVE_LOAN_STATUSES = (LoanStatus.RESERVED, LoanStatus.ISSUED)


class ReturnCondition(models.TextChoices):
    GOOD = "good", _("Works, looks fine")
    WORN = "worn", _("Works, signs of use")
    DAMAGED = "damaged", _("Damaged")
    DEFECT = "defect", _("Does not work")
    INCOMPLETE = "incomplete", _("Parts missing (charger …)")


class AgreementMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper")
    SCREEN = "screen", _("Agreed on screen")


class LoanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_LOAN_STATUSES)

    def checks_due(self, until: date):
        """Handed-out loans whose yearly check falls on or before ``until``."""
        return self.filter(status=LoanStatus.ISSUED, check_due_on__lte=until)

    def with_people(self):
        return self.select_related(
            "device", "resident", "subscription__plan", "pickup_point", "handed_out_at_point"
        )

    def for_staff(self, user):
        """The loans ``user`` may open (agreement, borrower): all for the
        atelier and coordinators, otherwise those handed out or to be
        picked up at the user's points."""
        if user.has_role("atelier", "coordinator"):
            return self
        points = Point.objects.for_staff(user)
        return self.filter(Q(handed_out_at_point__in=points) | Q(pickup_point__in=points))


class Loan(models.Model):
    """One device lent to one resident under a subscription.

    ``resident`` and ``slot`` repeat what the subscription and device say so
    that the database itself can refuse a second active loan per device and
    per resident and slot (laptop; tablet-or-smartphone).
    """

    ALLOWED_TRANSITIONS = {
        LoanStatus.RESERVED: {LoanStatus.ISSUED, LoanStatus.CLOSED},
        LoanStatus.ISSUED: {LoanStatus.RETURNED},
        LoanStatus.RETURNED: {LoanStatus.CLOSED},
        LoanStatus.CLOSED: set(),
    }

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="loans"
    )
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.PROTECT,
        related_name="loans",
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("borrower"), on_delete=models.PROTECT,
        related_name="device_loans",
    )
    slot = models.CharField(_("counts as"), max_length=8, choices=LoanSlot.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.ISSUED
    )
    pickup_point = models.ForeignKey(
        "points.Point", verbose_name=_("pick-up place"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty: the atelier."),
    )
    reserved_at = models.DateTimeField(_("reserved"), null=True, blank=True)
    handed_out_at = models.DateTimeField(_("handed out"), null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed out by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    handed_out_at_point = models.ForeignKey(
        "points.Point", verbose_name=_("handed out at"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    agreement = models.CharField(
        _("borrower agreement"), max_length=8, choices=AgreementMethod.choices, blank=True
    )
    check_due_on = models.DateField(_("yearly check due"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_at_point = models.ForeignKey(
        "points.Point", verbose_name=_("returned at"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken back by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    condition_on_return = models.CharField(
        _("condition on return"), max_length=12, choices=ReturnCondition.choices, blank=True
    )
    return_note = models.CharField(_("note on return"), max_length=300, blank=True)
    replaced_by = models.OneToOneField(
        "self", verbose_name=_("replaced by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="replaces",
        help_text=_("The loan of the replacement device after a swap."),
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-handed_out_at", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["status", "check_due_on"]),
            models.Index(fields=["device", "-handed_out_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["device"], condition=Q(status__in=["reserved", "issued"]),
                name="loan_one_active_per_device",
            ),
            models.UniqueConstraint(
                fields=["resident", "slot"], condition=Q(status__in=["reserved", "issued"]),
                name="loan_one_active_per_resident_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.asset_tag} → {self.resident}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_LOAN_STATUSES


class ReservationStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a device")
    READY = "ready", _("Device reserved")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_RESERVATION_STATUSES = (ReservationStatus.WAITING, ReservationStatus.READY)


class ReservationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_RESERVATION_STATUSES)

    def for_place(self, point):
        return self.filter(pickup_point__isnull=True) if point is None else self.filter(
            pickup_point=point)


class Reservation(models.Model):
    """A resident asks for a kind of device, to pick up at a chosen place.

    Waiting reservations form a queue per place and kind (oldest first).
    When a device is set aside (``reserve_device``) the reservation holds a
    loan in status RESERVED; ``expires_on`` counts from the day the device
    is waiting at the pick-up place.
    """

    ALLOWED_TRANSITIONS = {
        # A waiting resident may get a device at the counter before one is set
        # aside: the request is then collected straight away.
        ReservationStatus.WAITING: {ReservationStatus.READY, ReservationStatus.COLLECTED,
                                    ReservationStatus.CANCELLED},
        ReservationStatus.READY: {ReservationStatus.COLLECTED, ReservationStatus.CANCELLED,
                                  ReservationStatus.EXPIRED},
        ReservationStatus.COLLECTED: set(),
        ReservationStatus.CANCELLED: set(),
        ReservationStatus.EXPIRED: set(),
    }

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.PROTECT,
        related_name="reservations",
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.PROTECT,
        related_name="device_reservations",
    )
    kind = models.CharField(_("kind of device"), max_length=12, choices=DeviceKind.choices)
    slot = models.CharField(_("counts as"), max_length=8, choices=LoanSlot.choices)
    pickup_point = models.ForeignKey(
        "points.Point", verbose_name=_("pick-up place"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="device_reservations",
        help_text=_("Empty: the atelier."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReservationStatus.choices,
        default=ReservationStatus.WAITING,
    )
    loan = models.OneToOneField(
        Loan, verbose_name=_("loan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reservation",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    waiting_since = models.DateField(
        _("waiting at the pick-up place since"), null=True, blank=True
    )
    expires_on = models.DateField(_("keep until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [models.Index(fields=["pickup_point", "status", "kind", "requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "slot"], condition=Q(status__in=["waiting", "ready"]),
                name="reservation_one_open_per_resident_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.resident}"

    @property
    def queue_position(self) -> int | None:
        """1 for the first in the queue for this kind at this place; None
        once a device is set aside or the reservation is closed."""
        if self.status != ReservationStatus.WAITING:
            return None
        earlier = Reservation.objects.filter(
            status=ReservationStatus.WAITING, kind=self.kind, pickup_point=self.pickup_point,
        ).filter(Q(requested_at__lt=self.requested_at)
                 | Q(requested_at=self.requested_at, pk__lt=self.pk))
        return earlier.count() + 1


class DefectReport(models.Model):
    """A broken device taken in: the problem in the resident's words, where
    and by whom. The atelier's repair ticket points to it."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="defects"
    )
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="defects",
    )
    problem = models.TextField(
        _("the problem in the resident's words"),
    )
    reported_at_point = models.ForeignKey(
        "points.Point", verbose_name=_("reported at"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", help_text=_("Empty: the atelier."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken in by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reported_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("defect report")
        verbose_name_plural = _("defect reports")

    def __str__(self) -> str:
        return f"{self.device.asset_tag}: {self.problem[:40]}"
