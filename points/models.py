"""Digibank points. Opening hours, closures, mobile deployments and the
counter's visits arrive with the points issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    FIXED = "fixed", _("Fixed point")
    MOBILE = "mobile", _("Mobile point")


class PointQuerySet(models.QuerySet):
    def for_staff(self, user):
        """The points a staff member works at (every point for coordinators)."""
        if user.has_role("coordinator"):
            return self
        return self.filter(staff=user)


class Point(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PointKind.choices, default=PointKind.FIXED
    )
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("municipality"), max_length=80, default="Mechelen")
    district = models.ForeignKey(
        "digibank.District", verbose_name=_("district"), on_delete=models.PROTECT,
        related_name="points",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    hosting_partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("hosting partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hosted_points",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True,
        related_name="points",
        help_text=_("Hosts and coaches who work at this point."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("point")
        verbose_name_plural = _("points")

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (self.street, town) if part)


class OpeningPeriod(models.Model):
    """One opening period of a point on a weekday (several per day allowed),
    optionally valid only between two dates (seasonal hours)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    point = models.ForeignKey(
        Point, verbose_name=_("point"), on_delete=models.CASCADE, related_name="opening_periods"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["point", "weekday", "opens"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_period_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="opening_period_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point}: {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A point closed for a date range, or, with no point, a city-wide holiday."""

    point = models.ForeignKey(
        Point, verbose_name=_("point"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="closures", help_text=_("Empty for a city-wide holiday."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until and including"))
    reason = models.CharField(_("reason"), max_length=160)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = self.point or _("whole city")
        return f"{where}: {self.starts_on:%d/%m/%Y}-{self.ends_on:%d/%m/%Y} ({self.reason})"


class MobileDeployment(models.Model):
    """A mobile point placed at a location for a time span, with a theme."""

    point = models.ForeignKey(
        Point, verbose_name=_("mobile point"), on_delete=models.CASCADE,
        related_name="deployments", limit_choices_to={"kind": PointKind.MOBILE},
    )
    place = models.CharField(_("place"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        "digibank.District", verbose_name=_("district"), on_delete=models.PROTECT,
        related_name="deployments",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    theme = models.CharField(_("theme"), max_length=160, blank=True)
    partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deployments",
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("mobile deployment")
        verbose_name_plural = _("mobile deployments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="deployment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} @ {self.place} ({self.starts_at:%d/%m/%Y})"


class QuestionTopic(models.Model):
    """What a visitor asks help with (coordinator-managed, grouped)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    external_service = models.CharField(
        _("external service"), max_length=80, blank=True,
        help_text=_("The e-service concerned (itsme, Tax-on-web …), for signals to providers."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("question topic")
        verbose_name_plural = _("question topics")

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """How a visitor heard of the digibank (poster, flyer, city magazine,
    info pillar, screen, partner, roadshow, word of mouth, website).
    Coordinator-managed; recorded on visits; outreach reports reach by it."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    WITH_HOST = "with_host", _("With host")
    WAITING_FOR_COACH = "waiting_coach", _("Waiting for coach")
    WITH_COACH = "with_coach", _("With coach")
    DONE = "done", _("Done")
    LEFT = "left", _("Left without help")


class VisitOutcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    TRAINING_PROPOSED = "training", _("Training proposed")
    REFERRED = "referred", _("Referred to a partner")
    DEVICE_LOAN = "device", _("Device loan")
    COME_BACK = "come_back", _("Come back later")
    NOT_SOLVED = "not_solved", _("Could not be solved")


class Visit(models.Model):
    """A visit at a point's counter. Waiting and service times derive from
    the status timestamps (and the VisitEvent history)."""

    ALLOWED_TRANSITIONS = {
        VisitStatus.WAITING: {VisitStatus.WITH_HOST, VisitStatus.LEFT},
        VisitStatus.WITH_HOST: {VisitStatus.WAITING_FOR_COACH, VisitStatus.DONE,
                                VisitStatus.LEFT},
        VisitStatus.WAITING_FOR_COACH: {VisitStatus.WITH_COACH, VisitStatus.LEFT},
        VisitStatus.WITH_COACH: {VisitStatus.DONE, VisitStatus.LEFT},
        VisitStatus.DONE: set(),
        VisitStatus.LEFT: set(),
    }

    point = models.ForeignKey(
        Point, verbose_name=_("point"), on_delete=models.PROTECT, related_name="visits"
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="visits",
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("host"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="visits_hosted",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="visits_coached",
    )
    topics = models.ManyToManyField(
        QuestionTopic, verbose_name=_("topics"), blank=True, related_name="visits"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("heard of us through"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="visits",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.WAITING
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=VisitOutcome.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    served_at = models.DateTimeField(_("served"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    coach_started_at = models.DateTimeField(_("taken by coach"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["point", "status", "arrived_at"]),
            models.Index(fields=["arrived_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.arrived_at:%d/%m/%Y %H:%M}"


class VisitEvent(models.Model):
    """History of a visit: every status change or correction, who and when."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=VisitStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=VisitStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_status} -> {self.to_status}"
