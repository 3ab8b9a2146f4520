"""Trainings and individual guidance: courses, their sessions, enrolments
with waiting lists, interest lists and guidance trajectories.

State changes live in ``trainings.services``; the models hold the rules
(allowed transitions, constraints) and the reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digibank.models import HistoryEvent


class Course(models.Model):
    """A training the digibank (or a training partner) offers, such as
    "Werken met itsme". Sessions are the dates it is given."""

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


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


# Enrolment statuses that take a seat in the room.
SEATED = ("enrolled", "attended", "no_show")


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def planned(self):
        return self.filter(status=SessionStatus.PLANNED)

    def with_counts(self):
        """Annotate ``seats_taken`` and ``waiting_count`` in the same query."""
        return self.annotate(
            seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEATED)),
            waiting_count=Count("enrolments", filter=Q(enrolments__status="waiting")),
        )

    def with_place(self):
        return self.select_related("course", "point", "venue", "trainer")

    def at_point(self, point):
        return self.filter(point=point)

    def for_topics(self, topics):
        return self.filter(course__topics__in=topics).distinct()


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

    @property
    def place_name(self) -> str:
        return str(self.point or self.venue)

    @property
    def address(self) -> str:
        return self.point.address if self.point_id else self.venue.address

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
