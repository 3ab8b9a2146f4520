"""Digibank points: where they are, what they offer, when they are open
(opening periods, closures, city-wide holidays, mobile deployments) and the
counter's visits.

The time logic lives in one place, ``points.calendar``: the stops of a
point on a day (when it is open and, for a mobile point, where), and
everything built on them. The methods below only hand over to it.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digibank.days import BRUSSELS, Interval, day_bounds, local  # noqa: F401 (used by the apps)
from digibank.models import DATA_LANGUAGE, AuditEvent, HistoryEvent

# How far ahead next_opening looks before it gives up (a point closed longer
# than this shows "no opening planned").
LOOKAHEAD_DAYS = 62


def postal_address(street: str, postcode: str, city: str) -> str:
    """The address as "Street 1, 2800 Mechelen", leaving out empty parts."""
    town = f"{postcode} {city}".strip()
    return ", ".join(part for part in (street, town) if part)


class Service(models.Model):
    """Something a point offers (help at the counter, trainings, loan
    devices, repair drop-off …). Coordinator-managed; residents filter on it."""

    data_language = DATA_LANGUAGE
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class PointKind(models.TextChoices):
    FIXED = "fixed", _("Fixed point")
    MOBILE = "mobile", _("Mobile point")


class PointQuerySet(models.QuerySet):
    def for_staff(self, user):
        """The points a staff member works at (every point for coordinators)."""
        if user.has_role("coordinator"):
            return self
        return self.filter(staff=user)

    def public(self):
        """Points shown to residents: active ones."""
        return self.filter(is_active=True)

    def with_schedule(self, *, since: date | None = None):
        """Prefetch what the time logic needs (periods, closures and
        deployments from ``since`` on), so listing N points costs a
        constant number of queries."""
        since = since or timezone.localdate()
        start = datetime.combine(since, time.min, tzinfo=BRUSSELS)
        return self.prefetch_related(
            "opening_periods",
            Prefetch("closures", queryset=Closure.objects.filter(ends_on__gte=since)),
            Prefetch("deployments", queryset=MobileDeployment.objects.filter(ends_at__gte=start)
                     .select_related("district")),
        )

    def with_details(self):
        return self.select_related("district", "hosting_partner").prefetch_related("services")

    def open_at(self, moment: datetime):
        """The points open at ``moment`` (see ``Point.is_open_at``)."""
        from points.calendar import holidays_between

        day = local(moment).date()
        holidays = holidays_between(day, day)
        # prefetch_related(None): a caller's own with_schedule() must not clash.
        open_ids = [
            point.pk for point in self.prefetch_related(None).with_schedule(since=day)
            if point.is_open_at(moment, holidays=holidays)
        ]
        return self.filter(pk__in=open_ids)

    def open_now(self):
        return self.open_at(timezone.now())


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
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("A few plain sentences for residents: where to go in the building, "
                    "what to bring."),
    )
    hours_note = models.CharField(
        _("note about opening hours"), max_length=200, blank=True,
        help_text=_("For example: “Only during school weeks”."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    # Accessibility
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_note = models.CharField(_("more about accessibility"), max_length=200,
                                          blank=True)
    # Equipment
    has_pc = models.BooleanField(_("computers"), default=False)
    has_printer = models.BooleanField(_("printer"), default=False)
    has_scanner = models.BooleanField(_("scanner"), default=False)
    has_eid_reader = models.BooleanField(_("eID card reader"), default=False)
    has_wifi = models.BooleanField(_("free wifi"), default=False)
    services = models.ManyToManyField(
        Service, verbose_name=_("services offered"), blank=True, related_name="points"
    )

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("point")
        verbose_name_plural = _("points")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="point_active_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return postal_address(self.street, self.postcode, self.city)

    @property
    def is_mobile(self) -> bool:
        return self.kind == PointKind.MOBILE

    @property
    def map_url(self) -> str:
        """OpenStreetMap link: at the coordinates, or a search on the address."""
        if self.latitude is not None and self.longitude is not None:
            return (f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                    f"#map=18/{self.latitude}/{self.longitude}")
        return f"https://www.openstreetmap.org/search?query={quote(self.address)}"

    def accessibility_features(self) -> list[str]:
        return [str(label) for flag, label in (
            (self.wheelchair_accessible, _("wheelchair accessible")),
            (self.induction_loop, _("induction loop")),
            (self.accessible_toilet, _("accessible toilet")),
        ) if flag]

    def equipment(self) -> list[str]:
        return [str(label) for flag, label in (
            (self.has_pc, _("computers")),
            (self.has_printer, _("printer")),
            (self.has_scanner, _("scanner")),
            (self.has_eid_reader, _("eID card reader")),
            (self.has_wifi, _("free wifi")),
        ) if flag]

    # --- time logic: handed over to points.calendar ---

    def is_active_on(self, day: date) -> bool:
        return (
            self.is_active
            and (self.active_from is None or self.active_from <= day)
            and (self.active_until is None or day <= self.active_until)
        )

    def closure_on(self, day: date, holidays: Iterable["Closure"] | None = None):
        """The closure (of this point, or city-wide) covering ``day``, or None."""
        from points import calendar

        return calendar.closure_on(self, day, holidays)

    def intervals_on(self, day: date, holidays: Iterable["Closure"] | None = None
                     ) -> list[Interval]:
        """The opening intervals of ``day`` (``points.calendar.stops_on``)."""
        from points import calendar

        return [(stop.start, stop.end) for stop in calendar.stops_on(self, day, holidays)]

    def is_open_at(self, moment: datetime, holidays: Iterable["Closure"] | None = None) -> bool:
        """Whether the point is open at ``moment`` (any time zone)."""
        from points import calendar

        return calendar.is_open_at(self, moment, holidays)

    def next_opening(self, after: datetime | None = None,
                     holidays: Iterable["Closure"] | None = None) -> datetime | None:
        """The first moment strictly after ``after`` at which the point opens,
        within LOOKAHEAD_DAYS; None when nothing is planned."""
        from points import calendar

        stop = calendar.next_stop(self, after, holidays)
        return stop.start if stop else None


class OpeningPeriodQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """The periods in force on ``day`` (any weekday): the regular week
        schedule printed on posters and flyers."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        ).order_by("weekday", "opens")


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

    objects = OpeningPeriodQuerySet.as_manager()

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

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until)

    def applies_on(self, day: date) -> bool:
        return self.weekday == day.weekday() and self.is_valid_on(day)

    def overlaps(self, other: "OpeningPeriod") -> bool:
        """Same weekday, overlapping times and overlapping validity."""
        if self.weekday != other.weekday:
            return False
        if not (self.opens < other.closes and other.opens < self.closes):
            return False
        far_past, far_future = date.min, date.max
        return (self.valid_from or far_past) <= (other.valid_until or far_future) and (
            other.valid_from or far_past) <= (self.valid_until or far_future)


class ClosureQuerySet(models.QuerySet):
    def ahead(self, today: date | None = None):
        """Closures that end today or later."""
        return self.filter(ends_on__gte=today or timezone.localdate())

    def affecting(self, point: "Point"):
        """The closures of ``point`` plus the city-wide holidays."""
        return self.filter(Q(point=point) | Q(point__isnull=True))


class Closure(models.Model):
    """A point closed for a date range, or, with no point, a city-wide holiday."""

    point = models.ForeignKey(
        Point, verbose_name=_("point"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="closures", help_text=_("Empty for a city-wide holiday."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until and including"))
    reason = models.CharField(_("reason"), max_length=160)

    objects = ClosureQuerySet.as_manager()

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


class DeploymentQuerySet(models.QuerySet):
    def upcoming(self, moment: datetime | None = None):
        """Deployments not yet over at ``moment``."""
        return self.filter(ends_at__gt=moment or timezone.now())

    def overlapping(self, point: "Point", starts_at: datetime, ends_at: datetime):
        return self.filter(point=point, starts_at__lt=ends_at, ends_at__gt=starts_at)

    def usual_place(self, district) -> dict | None:
        """Where mobile points last stopped in ``district`` or one of its
        wijken (place, street, postcode, city, district), else the address
        of an active fixed point there; None when neither is known. A
        suggested deployment gets a real address this way."""
        districts = [district.pk, *district.wijken.values_list("pk", flat=True)]
        last = (self.filter(district__in=districts).exclude(street="")
                .select_related("district").order_by("-starts_at").first())
        if last is not None:
            return {"place": last.place, "street": last.street, "postcode": last.postcode,
                    "city": last.city, "district": last.district}
        point = (Point.objects.filter(district__in=districts, kind=PointKind.FIXED,
                                      is_active=True).exclude(street="")
                 .select_related("district").order_by("name").first())
        if point is not None:
            return {"place": point.name, "street": point.street, "postcode": point.postcode,
                    "city": point.city, "district": point.district}
        return None


class MobileDeployment(models.Model):
    """A mobile point placed at a location for a time span, with a theme."""

    point = models.ForeignKey(
        Point, verbose_name=_("mobile point"), on_delete=models.CASCADE,
        related_name="deployments", limit_choices_to={"kind": PointKind.MOBILE},
    )
    place = models.CharField(_("place"), max_length=120,
                             help_text=_("What residents look for, e.g. “Markt Nekkerspoel”."))
    # A real postal address, so residents, maps and search engines find the stop.
    street = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=4,
                                validators=[RegexValidator(r"^\d{4}$", _("Four digits."))])
    city = models.CharField(_("municipality"), max_length=80, default="Mechelen")
    district = models.ForeignKey(
        "digibank.District", verbose_name=_("district"), on_delete=models.PROTECT,
        related_name="deployments",
        help_text=_("The deelgemeente or wijk of the stop: the finder shows the mobile point "
                    "there."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    theme = models.CharField(_("theme"), max_length=160, blank=True)
    # What the deployment is about, for demand mapping ("already planned");
    # the theme stays the public text. SET_NULL: a topic removed later must
    # not block it or delete a deployment, which then falls back to its theme.
    topic = models.ForeignKey(
        "QuestionTopic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="deployments",
        help_text=_("Optional: the question topic this deployment is about, so demand "
                    "mapping does not suggest it again for this district."),
    )
    partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deployments",
    )

    # Raised by every save through plan_deployment: an edit form carries the
    # version it showed, so a save over someone else's change is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = DeploymentQuerySet.as_manager()

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
        return f"{self.point}, {self.place} ({local(self.starts_at):%d/%m/%Y})"

    @property
    def address(self) -> str:
        return postal_address(self.street, self.postcode, self.city)

    @property
    def is_single_day(self) -> bool:
        return local(self.starts_at).date() == local(self.ends_at).date()

    @property
    def is_outside_service_hours(self) -> bool:
        """Saved before the service-hours rule (07:00–22:00) and outside it;
        see ``calendar.is_outside_service_hours``."""
        from points.calendar import is_outside_service_hours

        return is_outside_service_hours(self)


class QuestionTopic(models.Model):
    """What a visitor asks help with (coordinator-managed, grouped)."""

    data_language = DATA_LANGUAGE
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


OPEN_STATUSES = (VisitStatus.WAITING, VisitStatus.WITH_HOST, VisitStatus.WAITING_FOR_COACH,
                 VisitStatus.WITH_COACH)


class VisitQuerySet(models.QuerySet):
    def for_staff(self, user):
        """Visits at the points ``user`` works at (all for coordinators)."""
        if user.has_role("coordinator"):
            return self
        # A subquery, not a join: a join on staff would need DISTINCT.
        return self.filter(point__in=Point.objects.filter(staff=user))

    def on_day(self, day: date | None = None):
        start, end = day_bounds(day or timezone.localdate())
        return self.filter(arrived_at__gte=start, arrived_at__lt=end)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.exclude(status__in=OPEN_STATUSES)

    def version(self) -> str:
        """A token that changes whenever these visits change: one was added,
        removed or saved, and — while someone waits — every minute, because
        the counter shows how long they have waited. Equal tokens mean the
        counter's queue would look the same (one aggregate query)."""
        figures = self.aggregate(
            count=models.Count("pk"), changed=models.Max("updated_at"),
            waiting=models.Count("pk", filter=models.Q(
                status__in=(VisitStatus.WAITING, VisitStatus.WAITING_FOR_COACH))))
        changed = figures["changed"].timestamp() if figures["changed"] else 0
        minute = int(timezone.now().timestamp() // 60) if figures["waiting"] else 0
        return f"{figures['count']}-{changed:.6f}-{minute}"

    def with_relations(self):
        return self.select_related("resident", "host", "coach", "channel", "point"
                                   ).prefetch_related("topics")


class Visit(models.Model):
    """A visit at a point's counter. Waiting and service times derive from
    the status timestamps (and the VisitEvent history)."""

    ALLOWED_TRANSITIONS = {
        VisitStatus.WAITING: {VisitStatus.WITH_HOST, VisitStatus.LEFT},
        VisitStatus.WITH_HOST: {VisitStatus.WAITING_FOR_COACH, VisitStatus.DONE,
                                VisitStatus.LEFT},
        # Back to the host: "To the coach" taken back before a coach took it.
        VisitStatus.WAITING_FOR_COACH: {VisitStatus.WITH_COACH, VisitStatus.WITH_HOST,
                                        VisitStatus.LEFT},
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
    # A keyed hash (HMAC) of a word the visitor chose, recorded only with
    # their agreement, so unique people can be counted without a name; see
    # digibank.pseudonyms. Never the word itself.
    visitor_key = models.CharField(_("visitor key"), max_length=64, blank=True)
    # The counter form's one-time key: the same form sent twice (a double
    # click, a resubmit) registers one visit.
    submit_key = models.UUIDField(_("form key"), null=True, blank=True, unique=True,
                                  editable=False)
    arrived_at = models.DateTimeField(_("arrived"))
    served_at = models.DateTimeField(_("served"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    coach_started_at = models.DateTimeField(_("taken by coach"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # A safety net for the dashboard's roll-up: a day whose visits changed
    # after it was rolled up is rebuilt by the nightly job (dashboard.rollup).
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["point", "status", "arrived_at"]),
            models.Index(fields=["arrived_at"]),
            models.Index(fields=["visitor_key"], condition=~Q(visitor_key=""),
                         name="visit_visitor_key"),
            # The dashboard's distinct counts per period (unique residents,
            # visitor keys) and its e-service signals read only these small
            # partial indexes (index-only scans on PostgreSQL).
            models.Index(fields=["arrived_at", "point", "resident"],
                         condition=Q(resident__isnull=False), name="visit_resident_by_time"),
            models.Index(fields=["arrived_at", "point", "visitor_key"],
                         condition=Q(resident__isnull=True) & ~Q(visitor_key=""),
                         name="visit_key_by_time"),
            models.Index(fields=["arrived_at", "point", "id"],
                         condition=Q(outcome="not_solved"), name="visit_not_solved_by_time"),
            models.Index(fields=["updated_at"], name="visit_updated_at"),
            # Demand mapping's people who left without help per district
            # and topic (not in the roll-up).
            models.Index(fields=["arrived_at", "point", "resident", "id"],
                         condition=Q(status="left"), name="visit_left_by_time"),
            # The nightly retention job looks for old visits that still hold
            # a note or a key: these hold only those rows, so once they are
            # emptied the job reads next to nothing.
            models.Index(fields=["arrived_at", "id"], condition=~Q(note=""),
                         name="visit_note_by_time"),
            models.Index(fields=["arrived_at"], condition=~Q(visitor_key=""),
                         name="visit_key_kept_by_time"),
        ]
        constraints = [
            # Who serves a visit is known in every state that needs one; the
            # services set both in one update, the database keeps them honest.
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.WITH_HOST) | Q(host__isnull=False),
                name="visit_with_host_has_host",
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.WITH_COACH) | Q(coach__isnull=False),
                name="visit_with_coach_has_coach",
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.DONE) | ~Q(outcome=""),
                name="visit_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {local(self.arrived_at):%d/%m/%Y %H:%M}"

    def can_become(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[VisitStatus(self.status)]

    @property
    def visitor_name(self) -> str:
        """Who the visit is for, in a sentence: the resident's name, or an
        anonymous visitor told apart by the time they came."""
        if self.resident_id:
            return str(self.resident)
        return gettext("an anonymous visitor (arrived at %(time)s)") % {
            "time": f"{local(self.arrived_at):%H:%M}"}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def followup_query(self) -> str:
        """Query string that hands this visit on to a follow-up screen (quick
        enrolment in a training, a device hand-out): ``inwoner=…&bezoek=…``."""
        params = {"inwoner": self.resident_id} if self.resident_id else {}
        return urlencode({**params, "bezoek": self.pk})

    @property
    def is_correctable(self) -> bool:
        """A visit can be corrected on the day it happened."""
        return local(self.arrived_at).date() == timezone.localdate()

    @property
    def waiting_minutes(self) -> int | None:
        """Minutes between arrival and the host taking the visitor."""
        if self.served_at is None:
            return None
        return int((self.served_at - self.arrived_at).total_seconds() // 60)

    @property
    def service_minutes(self) -> int | None:
        """Minutes with a host or coach (not counting waiting for the coach)."""
        if self.finished_at is None or self.served_at is None:
            return None
        waiting_coach = timedelta()
        if self.handed_over_at and self.coach_started_at:
            waiting_coach = self.coach_started_at - self.handed_over_at
        return int((self.finished_at - self.served_at - waiting_coach).total_seconds() // 60)



def cancellations_for(user):
    """The audit rows of cancelled visits (``services.cancel_visit`` removes
    the visit and writes one) that ``user`` may see: those at one of their
    points, all for a coordinator; the same scope as ``Visit.for_staff``."""
    events = AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(Visit),
                                       detail__has_key="cancelled_visit")
    if user.has_role("coordinator"):
        return events
    return events.filter(detail__point__in=list(
        Point.objects.filter(staff=user).values_list("pk", flat=True)))


def cancellation_of(pk: int, user) -> AuditEvent | None:
    """The audit row of visit ``pk``'s cancellation, when ``user`` may see it
    (``cancellations_for``); ``None`` otherwise. A page that asked for the
    visit after another tab cancelled it tells who did, when and why instead
    of a bare 404."""
    return (cancellations_for(user).select_related("actor")
            .filter(target_id=str(pk)).order_by("-created_at", "-pk").first())


class VisitEvent(HistoryEvent):
    """History of a visit: every status change or correction, who and when."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    from_status = models.CharField(
        _("from"), max_length=16, choices=VisitStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=VisitStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        # Retention: the history rows that still hold a note.
        indexes = [models.Index(fields=["at", "visit"], condition=~Q(note=""),
                                name="visit_event_note_by_time")]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_status} -> {self.to_status}"
