"""Trainings and individual guidance: courses, their sessions, enrolments
with waiting lists, interest lists and guidance trajectories.

State changes live in ``trainings.services``; the models hold the rules
(allowed transitions, constraints) and the reads.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digibank.models import DATA_LANGUAGE, HistoryEvent


class Course(models.Model):
    """A training the digibank (or a training partner) offers, such as
    "Werken met itsme". Sessions are the dates it is given."""

    data_language = DATA_LANGUAGE
    title = models.CharField(_("title"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary in easy language"),
        help_text=_("Two or three short sentences a resident understands."),
    )
    topics = models.ManyToManyField(
        "points.QuestionTopic", verbose_name=_("topics"), blank=True, related_name="courses",
        help_text=_("The counter's question topics this training helps with."),
    )
    provider = models.ForeignKey(
        "outreach.Partner", verbose_name=_("given by partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="courses",
        limit_choices_to={"is_training_partner": True},
        help_text=_("Empty when the digibank gives it."),
    )
    default_capacity = models.PositiveSmallIntegerField(_("usual number of places"), default=8)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    is_active = models.BooleanField(_("offered"), default=True)
    single_sessions_allowed = models.BooleanField(
        _("one session of a series can be joined alone"), default=False,
        help_text=_("Tick when each session stands on its own, so a resident may join just "
                    "one date of a series."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_capacity__gt=0), name="course_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="course_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourseRun(models.Model):
    """A series (reeks) of sessions of one course, given to one group: one
    enrolment, one waiting list, the same places in every session. Its
    sessions are ``Session`` rows with ``run`` set; a resident enrolled in
    the series holds an ``Enrolment`` in each of its sessions (attendance
    is per session), tied together by one ``RunEnrolment``."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="runs"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        first = self.sessions.order_by("starts_at").first()
        if first is None:
            return str(self.course)
        return _("%(course)s, series from %(day)s") % {
            "course": self.course, "day": f"{timezone.localtime(first.starts_at):%d/%m/%Y}"}

    def waiting_list(self) -> list["RunEnrolment"]:
        """Who waits for a place in the whole series, first come first."""
        return list(self.enrolments.waiting().select_related("resident", "point"))


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


# Enrolment statuses that take a seat in the room.
SEATED = ("enrolled", "attended", "no_show")
# How long after a session's end a walk-in can still be recorded.
WALK_IN_WINDOW = timedelta(hours=2)


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def planned(self):
        return self.filter(status=SessionStatus.PLANNED)

    def with_counts(self):
        """Annotate ``seats_taken`` and ``waiting_count`` (this session's
        waiting list and, for a session of a series, the series') in the
        same query."""
        run_waiting = (RunEnrolment.objects.filter(run=models.OuterRef("run"), status="waiting")
                       .order_by().values("run").annotate(n=Count("pk")).values("n"))
        return self.annotate(
            seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEATED)),
            waiting_count=Count("enrolments", filter=Q(enrolments__status="waiting"))
            + Coalesce(models.Subquery(run_waiting), 0),
        )

    def with_place(self):
        return self.select_related("course", "point", "venue", "trainer")

    def at_point(self, point):
        return self.filter(point=point)

    def first_of_each_run(self, now=None, keep=None):
        """Sessions on their own, and of each series only its next date to
        come (and the session ``keep``, a pk): a list that shows a series
        once."""
        earlier = Session.objects.filter(
            run=models.OuterRef("run"), status=SessionStatus.PLANNED,
            starts_at__gte=now or timezone.now(), starts_at__lt=models.OuterRef("starts_at"))
        shown = Q(run__isnull=True) | ~models.Exists(earlier)
        if keep is not None:
            shown |= Q(pk=keep)
        return self.filter(shown)

    def with_run_free_places(self, now=None):
        """Annotate ``run_free_places``: for a session of a series, the
        fewest free places over its sessions still to come (what a series
        enrolment can get); None outside a series."""
        siblings = (Session.objects.filter(run=models.OuterRef("run"),
                                           status=SessionStatus.PLANNED,
                                           starts_at__gte=now or timezone.now())
                    .annotate(free=models.F("capacity") - Count(
                        "enrolments", filter=Q(enrolments__status__in=SEATED)))
                    .order_by("free").values("free")[:1])
        return self.annotate(run_free_places=models.Subquery(siblings))

    def with_run_position(self):
        """Annotate ``run_number`` and ``run_size`` ("session 2 of 4"; both
        None outside a series) in the same query."""
        siblings = Session.objects.filter(run=models.OuterRef("run")).order_by().values("run")
        count = Count("pk")
        return self.annotate(
            run_number=models.Subquery(
                siblings.filter(Q(starts_at__lt=models.OuterRef("starts_at"))
                                | Q(starts_at=models.OuterRef("starts_at"),
                                    pk__lte=models.OuterRef("pk")))
                .annotate(n=count).values("n")),
            run_size=models.Subquery(siblings.annotate(n=count).values("n")),
        )

    def for_topics(self, topics):
        return self.filter(course__topics__in=topics).distinct()


class Nearness(models.IntegerChoices):
    """How far a session is from a point, in the order the counter offers
    them (see ``Session.nearness_to``)."""

    HERE = 0, pgettext_lazy("sessions by distance", "At this point")
    NEARBY = 1, pgettext_lazy("sessions by distance", "Nearby")
    ONLINE = 2, pgettext_lazy("sessions by distance", "Online")
    FARTHER = 3, pgettext_lazy("sessions by distance", "Other sessions")


def is_nearby(point, other_point) -> bool:
    """The one definition of "nearby": two points in the same deelgemeente
    (a wijk counts under its deelgemeente, so Nekkerspoel is near Mechelen,
    Leest is not). A point without a district is near nothing."""
    def area(district):
        return None if district is None else (district.parent_id or district.pk)
    return (point is not None and other_point is not None
            and area(point.district) is not None
            and area(point.district) == area(other_point.district))


class Session(models.Model):
    """One date of a course, at a digibank point or at a training partner's
    venue (exactly one of the two)."""

    ALLOWED_TRANSITIONS = {
        SessionStatus.PLANNED: {SessionStatus.CANCELLED, SessionStatus.HELD},
        SessionStatus.HELD: set(),
        SessionStatus.CANCELLED: set(),
    }

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    run = models.ForeignKey(
        CourseRun, verbose_name=_("series"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    point = models.ForeignKey(
        "points.Point", verbose_name=_("at digibank point"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="training_sessions",
    )
    venue = models.ForeignKey(
        "outreach.Partner", verbose_name=_("at partner's venue"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="training_sessions",
        limit_choices_to={"is_training_partner": True},
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    is_online = models.BooleanField(
        _("online"), default=False,
        help_text=_("Given by video call: people join from home. The point or partner "
                    "organises it and calls the participants."),
    )
    accessibility = models.CharField(
        _("accessibility"), max_length=200, blank=True,
        help_text=_("For example: wheelchair accessible, induction loop, lift."),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="training_sessions",
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["point", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(point__isnull=False, venue__isnull=True)
                | Q(point__isnull=True, venue__isnull=False),
                name="session_at_point_or_venue",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.course} ({local:%d/%m/%Y %H:%M})"

    @cached_property
    def stop(self):
        """For a session at a mobile point: the deployment it takes place in
        (the calendar plans it inside one); None elsewhere. ``attach_stops``
        sets it for a list of sessions in one query."""
        if self.point_id is None or self.is_online or not self.point.is_mobile:
            return None
        return self.point.deployments.filter(starts_at__lte=self.starts_at,
                                             ends_at__gt=self.starts_at).first()

    @property
    def place_name(self) -> str:
        """The point or venue; at a mobile point, with that day's stop."""
        if self.is_online:
            return _("Online, from %(place)s") % {"place": self.point or self.venue}
        if self.stop is not None:
            return f"{self.point}: {self.stop.place}"
        return str(self.point or self.venue)

    @property
    def address(self) -> str:
        """Where to go: at a mobile point, the address of that day's stop;
        none for an online session (people join from home, so a street
        would send them to the wrong place)."""
        if self.is_online:
            return ""
        if self.stop is not None:
            return self.stop.address
        return self.point.address if self.point_id else self.venue.address

    def nearness_to(self, point) -> "Nearness":
        """Where this session stands for someone at ``point``: given at it
        (not online), nearby (``is_nearby``), online (from anywhere), or
        farther (another deelgemeente, or a partner's venue)."""
        if self.is_online:
            return Nearness.ONLINE
        if point is not None and self.point_id == point.pk:
            return Nearness.HERE
        if self.point_id and is_nearby(point, self.point):
            return Nearness.NEARBY
        return Nearness.FARTHER

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def free_places(self) -> int:
        """Needs ``with_counts()``."""
        return max(0, self.capacity - self.seats_taken)

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.status]

    def can_be_managed_by(self, user) -> bool:
        """Coordinators manage every session, a coach the sessions they give."""
        return user.has_role("coordinator") or (
            user.has_role("coach") and self.trainer_id == user.pk
        )

    def walk_ins_open(self, now=None) -> bool:
        """Someone who is there can be added as a walk-in from the start
        until ``WALK_IN_WINDOW`` after the end (the coach records them after
        the session too), unless the session was cancelled."""
        now = now or timezone.now()
        return (self.status != SessionStatus.CANCELLED
                and self.starts_at <= now <= self.ends_at + WALK_IN_WINDOW)

    @property
    def places_left(self) -> int:
        """Free places for whoever enrols through this session: in the whole
        series for a session of one (needs ``with_run_free_places()``),
        else in the session (needs ``with_counts()``)."""
        if self.run_id and getattr(self, "run_free_places", None) is not None:
            return max(0, self.run_free_places)
        return self.free_places

    @property
    def run_position(self) -> tuple[int, int] | None:
        """(number, size) in its series, from ``with_run_position()`` when
        annotated, else read; None for a session on its own."""
        if not self.run_id:
            return None
        if getattr(self, "run_number", None) is None:
            siblings = list(Session.objects.filter(run_id=self.run_id)
                            .order_by("starts_at", "pk").values_list("pk", flat=True))
            self.run_number, self.run_size = siblings.index(self.pk) + 1, len(siblings)
        return self.run_number, self.run_size

    @property
    def joinable_alone(self) -> bool:
        """A resident may enrol in this session alone (not the whole series)."""
        return not self.run_id or self.course.single_sessions_allowed

    def told_of_cancellation(self) -> list:
        """Who was in this session when it was cancelled and was told: the
        enrolments with a cancellation message, each with ``told_by`` (the
        channel: e-mail or a call by a host), by name."""
        from django.contrib.contenttypes.models import ContentType

        from digibank.models import Notification

        told = {note.source_id: note.get_channel_display() for note in Notification.objects.filter(
            kind="session_cancelled", source_type=ContentType.objects.get_for_model(Enrolment),
            source_id__in=self.enrolments.values("pk"))}
        enrolments = list(self.enrolments.filter(pk__in=told).select_related("resident")
                          .order_by("resident__last_name", "resident__first_name"))
        for enrolment in enrolments:
            enrolment.told_by = told[enrolment.pk]
        return enrolments

    def waiting_list(self) -> list:
        """The one waiting list of this session, in the order places are
        given: for a session of a series first the series' waiting list
        (``RunEnrolment``: they wait for every date), then who waits for
        this date alone (``Enrolment``)."""
        run_waiting = self.run.waiting_list() if self.run_id else []
        return run_waiting + list(self.enrolments.waiting().select_related("resident", "point"))

    def can_take_attendance(self, user) -> bool:
        """Who may mark attendance (and add walk-ins): see ``may_handle_participants``."""
        return may_handle_participants(user, self)


def _staff_point_ids(user) -> set[int]:
    # Cached on the user object: a participant list asks once per row.
    if not hasattr(user, "_training_point_ids"):
        user._training_point_ids = set(user.points.values_list("pk", flat=True))
    return user._training_point_ids


def may_handle_participants(user, session: Session, *, cancelling: bool = False,
                            enrolment: "Enrolment | None" = None) -> bool:
    """The one rule for who handles a session's participants: marks
    attendance, adds walk-ins and (``cancelling``) cancels an enrolment.

    Coordinators everywhere; the session's trainer; coaches who work at the
    session's point; for cancelling also the hosts there, since hosts enrol
    people. A session at a partner's venue has no point: then the point the
    enrolment was made at counts (its hosts phone the resident).
    """
    if not user.is_authenticated:
        return False
    if user.has_role("coordinator"):
        return True
    if user.has_role("coach") and session.trainer_id == user.pk:
        return True
    point_id = session.point_id or (enrolment.point_id if enrolment is not None else None)
    roles = ("coach", "host") if cancelling else ("coach",)
    return point_id is not None and user.has_role(*roles) and point_id in _staff_point_ids(user)


def may_see_participants(user, session: Session) -> bool:
    """Who reads a session's participants (names, phone numbers, waiting
    list, attendance sheet): coordinators, its trainer, and the coaches and
    hosts of its point; for a session at a partner's venue, those of the
    points that partner hosts and of the points its people were enrolled at
    (their hosts phone them). Everyone else sees the session without them."""
    if not user.is_authenticated:
        return False
    if user.has_role("coordinator") or (session.trainer_id and session.trainer_id == user.pk):
        return True
    if not user.has_role("coach", "host"):
        return False
    mine = _staff_point_ids(user)
    if session.point_id is not None:
        return session.point_id in mine
    from points.models import Point

    return (Point.objects.filter(pk__in=mine, hosting_partner_id=session.venue_id).exists()
            or session.enrolments.filter(point_id__in=mine).exists()
            or (session.run_id is not None
                and session.run.enrolments.filter(point_id__in=mine).exists()))


def attach_stops(sessions) -> list:
    """The sessions as a list, each at a mobile point knowing its stop
    (``Session.stop``): one query for all of them, none when no session is
    at a mobile point."""
    from points.models import MobileDeployment

    sessions = list(sessions)
    mobile = [session for session in sessions if session.point_id is not None
              and not session.is_online and session.point.is_mobile]
    if not mobile:
        return sessions
    deployments = list(MobileDeployment.objects.filter(
        point_id__in={session.point_id for session in mobile},
        starts_at__lte=max(session.starts_at for session in mobile),
        ends_at__gt=min(session.starts_at for session in mobile)))
    for session in mobile:
        session.__dict__["stop"] = next(
            (deployment for deployment in deployments
             if deployment.point_id == session.point_id
             and deployment.starts_at <= session.starts_at < deployment.ends_at), None)
    return sessions


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class EnrolmentChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("By phone")
    PUBLIC_FORM = "public", _("Public form on the website")
    COACH = "coach", _("By the coach")
    PARTNER = "partner", _("Through a partner")
    WALK_IN = "walk_in", _("Walked in on the day")


class RunEnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RunEnrolmentQuerySet(models.QuerySet):
    def waiting(self):
        """A series' waiting list, first come first: the one definition the
        series page (``CourseRun.waiting_list``) and the figures count."""
        return self.filter(status=RunEnrolmentStatus.WAITING).order_by("waiting_since", "pk")

    def waiting_per_course(self, now=None) -> dict[int, int]:
        """How many wait for a place in a series still to come, per course
        (``waiting()`` of each series with a planned session ahead)."""
        ahead = Session.objects.planned().upcoming(now).filter(run=models.OuterRef("run"))
        return dict(self.waiting().filter(models.Exists(ahead)).order_by()
                    .values("run__course").annotate(n=Count("pk"))
                    .values_list("run__course", "n"))

    def active(self):
        return self.filter(status__in=(RunEnrolmentStatus.ENROLLED, RunEnrolmentStatus.WAITING))


class RunEnrolment(models.Model):
    """A resident's one enrolment in a whole series, or their place on the
    series' waiting list. While enrolled, they hold a seat (an
    ``Enrolment``) in each of the series' sessions that had not started
    when they got their place; one row per resident and series."""

    ALLOWED_TRANSITIONS = {
        RunEnrolmentStatus.ENROLLED: {RunEnrolmentStatus.CANCELLED},
        RunEnrolmentStatus.WAITING: {RunEnrolmentStatus.ENROLLED, RunEnrolmentStatus.CANCELLED},
        RunEnrolmentStatus.CANCELLED: {RunEnrolmentStatus.ENROLLED, RunEnrolmentStatus.WAITING},
    }

    run = models.ForeignKey(
        CourseRun, verbose_name=_("series"), on_delete=models.CASCADE, related_name="enrolments"
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="run_enrolments",
    )
    status = models.CharField(_("status"), max_length=10, choices=RunEnrolmentStatus.choices)
    channel = models.CharField(
        _("enrolled through"), max_length=10, choices=EnrolmentChannel.choices,
        default=EnrolmentChannel.COUNTER,
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("enrolled at point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The point whose hosts phone this resident when needed."),
    )
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RunEnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("series enrolment")
        verbose_name_plural = _("series enrolments")
        indexes = [models.Index(fields=["run", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "resident"], name="enrolment_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.run}"

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.status]


class RunEnrolmentEvent(HistoryEvent):
    """History of a series enrolment: every status change, who and when (a
    note on why goes on the history of its session enrolments)."""

    enrolment = models.ForeignKey(
        RunEnrolment, verbose_name=_("series enrolment"), on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=RunEnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=RunEnrolmentStatus.choices)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("series enrolment event")
        verbose_name_plural = _("series enrolment events")

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.from_status} -> {self.to_status}"


class EnrolmentQuerySet(models.QuerySet):
    def seated(self):
        return self.filter(status__in=SEATED)

    def waiting(self):
        return self.filter(status=EnrolmentStatus.WAITING).order_by("waiting_since", "pk")

    def active(self):
        return self.filter(status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING))


class Enrolment(models.Model):
    """A resident's place (or waiting-list place) in one session. One row
    per resident and session: enrolling again reuses a cancelled row."""

    ALLOWED_TRANSITIONS = {
        EnrolmentStatus.ENROLLED: {EnrolmentStatus.CANCELLED, EnrolmentStatus.ATTENDED,
                                   EnrolmentStatus.NO_SHOW},
        EnrolmentStatus.WAITING: {EnrolmentStatus.ENROLLED, EnrolmentStatus.CANCELLED},
        EnrolmentStatus.CANCELLED: {EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING},
        # Attendance can be corrected both ways.
        EnrolmentStatus.ATTENDED: {EnrolmentStatus.NO_SHOW},
        EnrolmentStatus.NO_SHOW: {EnrolmentStatus.ATTENDED},
    }

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="enrolments"
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    channel = models.CharField(
        _("enrolled through"), max_length=10, choices=EnrolmentChannel.choices,
        default=EnrolmentChannel.COUNTER,
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("enrolled at point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The point whose hosts phone this resident when needed."),
    )
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    run_enrolment = models.ForeignKey(
        RunEnrolment, verbose_name=_("part of the series enrolment"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="session_enrolments",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["resident", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resident"], name="enrolment_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident}, {self.session}"

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.status]

    @property
    def call_point(self):
        """The point whose hosts phone this resident about the session."""
        return self.session.point or self.point

    def can_be_cancelled_by(self, user) -> bool:
        return may_handle_participants(user, self.session, cancelling=True, enrolment=self)


class EnrolmentEvent(HistoryEvent):
    """History of an enrolment: every status change, who and when."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=EnrolmentStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.from_status} -> {self.to_status}"


class SessionEvent(HistoryEvent):
    """History of a session: planned, changed, cancelled, held."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=SessionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=SessionStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("session event")
        verbose_name_plural = _("session events")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.from_status} -> {self.to_status}"


class InterestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def fits(self, session: "Session"):
        """Entries a session of this course answers: for the course, or for
        one of its topics without a course chosen."""
        return self.filter(Q(course_id=session.course_id) | Q(
            course__isnull=True, topic__in=session.course.topics.all()))


class InterestEntry(models.Model):
    """A resident who wants a training that has no suitable session yet:
    the demand for trainings nobody has scheduled."""

    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="training_interests",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="interests",
    )
    topic = models.ForeignKey(
        "points.QuestionTopic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="training_interests",
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("preferred point"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="training_interests",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    told_at = models.DateTimeField(_("told about a place"), null=True, blank=True)
    offered_session = models.ForeignKey(
        "Session", verbose_name=_("place offered in"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="offered_to",
        help_text=_("The session (or first date of a series) with a free place they were "
                    "told about."),
    )

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interest list entry")
        verbose_name_plural = _("interest list entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False) | Q(topic__isnull=False),
                name="interest_has_course_or_topic",
            ),
            models.UniqueConstraint(
                fields=["resident", "course"], condition=Q(closed_at__isnull=True),
                name="interest_once_per_open_course",
            ),
            models.UniqueConstraint(
                fields=["resident", "topic"],
                condition=Q(closed_at__isnull=True, course__isnull=True),
                name="interest_once_per_open_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident}: {self.course or self.topic}"


class GuidanceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", pgettext_lazy("guidance status", "Closed")


class GuidanceOutcome(models.TextChoices):
    GOAL_REACHED = "reached", _("Goal reached")
    PARTLY = "partly", _("Partly reached")
    REFERRED = "referred", _("Referred to a partner")
    STOPPED = "stopped", _("Stopped by the resident")
    UNREACHABLE = "unreachable", _("No longer reachable")


class GuidanceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Coordinators see every trajectory, a coach their own."""
        if user.has_role("coordinator"):
            return self
        return self.filter(coach=user)

    def open(self):
        return self.filter(status=GuidanceStatus.OPEN)


class Guidance(models.Model):
    """A coach's individual guidance trajectory (begeleiding) with a resident."""

    ALLOWED_TRANSITIONS = {
        GuidanceStatus.OPEN: {GuidanceStatus.CLOSED},
        GuidanceStatus.CLOSED: {GuidanceStatus.OPEN},
    }

    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), on_delete=models.CASCADE,
        related_name="guidances",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), on_delete=models.PROTECT,
        related_name="guidances",
    )
    goal = models.CharField(
        _("goal"), max_length=300,
        help_text=_("What the resident wants to be able to do, in their words."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=GuidanceStatus.choices, default=GuidanceStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=GuidanceOutcome.choices, blank=True
    )
    referred_to = models.ForeignKey(
        "outreach.Partner", verbose_name=_("referred to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="guidance_referrals",
    )
    opened_on = models.DateField(_("started on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("guidance trajectory")
        verbose_name_plural = _("guidance trajectories")
        indexes = [models.Index(fields=["coach", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="guidance_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(referred_to__isnull=True) | Q(outcome="referred"),
                name="guidance_referral_only_when_referred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident}: {self.goal[:60]}"

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.status]

    def allows_meeting_on(self, day) -> bool:
        """A meeting falls within the trajectory: from its start until
        today, or until it was closed."""
        return self.opened_on <= day <= (self.closed_on or timezone.localdate())


class GuidanceMeeting(models.Model):
    """One meeting of a guidance trajectory, with a short note."""

    guidance = models.ForeignKey(
        Guidance, verbose_name=_("guidance"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.TextField(_("short note"), max_length=1000)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("guidance meeting")
        verbose_name_plural = _("guidance meetings")

    def __str__(self) -> str:
        return f"{self.guidance_id} {self.held_on:%d/%m/%Y}"


class GuidanceMeetingEdit(HistoryEvent):
    """A correction of a meeting: what it said before, who changed it and
    when. Deleted with the trajectory."""

    meeting = models.ForeignKey(
        GuidanceMeeting, verbose_name=_("guidance meeting"), on_delete=models.CASCADE,
        related_name="edits",
    )
    previous_held_on = models.DateField(_("date before"))
    previous_note = models.TextField(_("note before"), max_length=1000)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("correction of a guidance meeting")
        verbose_name_plural = _("corrections of guidance meetings")

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.at:%d/%m/%Y}"


class GuidanceEvent(HistoryEvent):
    """History of a trajectory: opened, closed, reopened."""

    guidance = models.ForeignKey(
        Guidance, verbose_name=_("guidance"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=8, choices=GuidanceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=8, choices=GuidanceStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("guidance event")
        verbose_name_plural = _("guidance events")

    def __str__(self) -> str:
        return f"{self.guidance_id}: {self.from_status} -> {self.to_status}"
