"""Sounding boards (klankbordgroepen) and advisory councils: their members,
the six-weekly meetings, the feedback the groups give, the steps the
digibank takes, and the digest that tells the group what happened.

State changes live in ``soundboard.services``; this module holds the
schema, the allowed status transitions and the reads.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digibank.models import HistoryEvent, Language, OutboxEmail


class BoardKind(models.TextChoices):
    SOUNDING_BOARD = "group", _("Sounding-board group")
    ADVISORY_COUNCIL = "council", _("Advisory council")


class SoundingBoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Boards a user may read: every board for coordinators, hosts and
        coaches; the boards their organisation takes part in for partner
        users; and always the boards they facilitate."""
        if user.has_role("coordinator", "host", "coach"):
            return self
        query = Q(facilitator=user)
        if user.has_role("partner") and user.partner_id:
            query |= Q(partners=user.partner_id)
        return self.filter(query).distinct()

    def with_counts(self, today: date | None = None):
        """Annotate current members, unanswered and overdue items and the next
        meeting. Subqueries, so the counts stay cheap as boards grow."""
        today = today or timezone.localdate()

        def count(queryset):
            counted = queryset.order_by().values("board").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), 0)

        items = FeedbackItem.objects.filter(board=OuterRef("pk"), answered_at__isnull=True)
        return self.annotate(
            member_count=count(Member.objects.current(today).filter(board=OuterRef("pk"))),
            unanswered_count=count(items),
            overdue_count=count(items.filter(answer_due_on__lt=today)),
            next_meeting_at=Subquery(
                Meeting.objects.filter(board=OuterRef("pk"), starts_at__gte=timezone.now())
                .order_by("starts_at").values("starts_at")[:1]
            ),
        )


class SoundingBoard(models.Model):
    """A klankbordgroep for one target group, or one of the city's advisory
    councils. It meets every ``cadence_weeks`` weeks; the digest is built
    ``digest_days_ahead`` days before each meeting."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=BoardKind.choices, default=BoardKind.SOUNDING_BOARD
    )
    target_group = models.ForeignKey(
        "digibank.TargetGroup", verbose_name=_("target group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="sounding_boards",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitator"), on_delete=models.PROTECT,
        related_name="facilitated_boards",
    )
    partners = models.ManyToManyField(
        "outreach.Partner", verbose_name=_("partner organisations"), blank=True,
        related_name="sounding_boards",
        help_text=_("Organisations that bring members. Their users can read this board."),
    )
    cadence_weeks = models.PositiveSmallIntegerField(
        _("meets every (weeks)"), default=6,
        help_text=_("The next meeting is planned this many weeks after the last one."),
    )
    digest_days_ahead = models.PositiveSmallIntegerField(
        _("digest days before the meeting"), default=7,
        help_text=_("The digest is built and sent this many days before each meeting."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = SoundingBoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sounding board")
        verbose_name_plural = _("sounding boards")
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_weeks__gte=1, cadence_weeks__lte=52),
                name="board_cadence_between_1_and_52_weeks",
            ),
            models.CheckConstraint(
                condition=Q(digest_days_ahead__lte=28),
                name="board_digest_at_most_28_days_ahead",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def can_edit(self, user) -> bool:
        """Facilitators and coordinators edit; everyone else who sees it reads."""
        return user.has_role("coordinator") or self.facilitator_id == user.pk

    @property
    def cadence(self) -> timedelta:
        return timedelta(weeks=self.cadence_weeks)


class ContactBy(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    POST = "post", _("Letter by post")
    PARTNER = "partner", _("Via the partner organisation")


class MemberQuerySet(models.QuerySet):
    def current(self, day: date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)


class Member(models.Model):
    """A resident, or a partner organisation's representative, on a board."""

    board = models.ForeignKey(
        SoundingBoard, verbose_name=_("sounding board"), on_delete=models.CASCADE,
        related_name="members",
    )
    resident = models.ForeignKey(
        "digibank.Resident", verbose_name=_("resident"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="board_memberships",
    )
    partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("represents organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="board_representatives",
    )
    name = models.CharField(
        _("representative's name"), max_length=120, blank=True,
        help_text=_("Only for a partner organisation's representative."),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    interpreter_language = models.CharField(
        _("needs an interpreter for"), max_length=8, choices=Language.choices, blank=True
    )
    needs_easy_read = models.BooleanField(_("easy-read texts"), default=False)
    needs_wheelchair_access = models.BooleanField(_("wheelchair access"), default=False)
    needs_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    contact_by = models.CharField(
        _("reach them by"), max_length=8, choices=ContactBy.choices, default=ContactBy.PHONE
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["board", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, partner__isnull=True)
                | Q(resident__isnull=True, partner__isnull=False) & ~Q(name=""),
                name="member_is_resident_or_named_representative",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["board", "resident"], condition=Q(left_on__isnull=True),
                name="member_once_per_board",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.resident_id:
            return str(self.resident)
        return f"{self.name} ({self.partner})"

    @property
    def access_needs(self) -> list[str]:
        needs = []
        if self.interpreter_language:
            language = self.get_interpreter_language_display()
            needs.append(_("interpreter: %(language)s") % {"language": language})
        if self.needs_easy_read:
            needs.append(str(_("easy-read texts")))
        if self.needs_wheelchair_access:
            needs.append(str(_("wheelchair access")))
        if self.needs_hearing_loop:
            needs.append(str(_("hearing loop")))
        return needs


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())


class Meeting(models.Model):
    """One meeting of a board: at a point or at a partner's venue."""

    board = models.ForeignKey(
        SoundingBoard, verbose_name=_("sounding board"), on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    point = models.ForeignKey(
        "points.Point", verbose_name=_("at point"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="board_meetings",
    )
    venue_partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("or at partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="board_meetings",
    )
    venue = models.CharField(
        _("venue"), max_length=200, blank=True,
        help_text=_("Room or address, when the meeting is not at a digibank point."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("short minutes"), blank=True)
    attendees = models.ManyToManyField(
        Member, verbose_name=_("present"), blank=True, through="Attendance",
        related_name="meetings_attended",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        get_latest_by = "starts_at"
        constraints = [
            models.UniqueConstraint(fields=["board", "starts_at"], name="meeting_once_per_time"),
            models.CheckConstraint(
                condition=Q(point__isnull=False) | Q(venue_partner__isnull=False) | ~Q(venue=""),
                name="meeting_has_a_place",
            ),
        ]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.board} {local:%d/%m/%Y %H:%M}"

    @property
    def place(self) -> str:
        if self.point_id:
            return str(self.point)
        return ", ".join(str(part) for part in (self.venue_partner, self.venue) if part)

    @property
    def digest_due_on(self) -> date:
        return timezone.localtime(self.starts_at).date() - timedelta(
            days=self.board.digest_days_ahead
        )

    def suggested_agenda(self) -> str:
        """An agenda built from the board's open feedback: first the answers
        the group has not heard yet, then what is still waiting."""
        items = FeedbackItem.objects.filter(board_id=self.board_id).open().exclude(raised_at=self)
        to_tell = [str(item) for item in items.to_tell_back()[:20]]
        waiting = [str(item) for item in items.unanswered()[:20]]
        lines = [str(_("1. Welcome")), str(_("2. What we did with your feedback"))]
        lines += [f"   - {text}" for text in to_tell]
        lines.append(str(_("3. Still waiting for an answer")))
        lines += [f"   - {text}" for text in waiting]
        lines.append(str(_("4. What else do you want to tell us?")))
        return "\n".join(lines)

    def following(self) -> "Meeting | None":
        """The board's meeting after this one, if one is planned."""
        return (
            Meeting.objects.filter(board_id=self.board_id, starts_at__gt=self.starts_at)
            .select_related("point", "venue_partner").order_by("starts_at").first()
        )

    def previous(self) -> "Meeting | None":
        return (
            Meeting.objects.filter(board_id=self.board_id, starts_at__lt=self.starts_at)
            .order_by("-starts_at").first()
        )


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}, {self.meeting_id}"


class FeedbackTopic(models.TextChoices):
    INITIATIVE = "initiative", _("An initiative of the digibank")
    PLACE = "place", _("A place and how easy it is to reach")
    MISSING_SERVICE = "missing", _("A service that is missing")
    OTHER = "other", pgettext_lazy("feedback topic", "Other")


class FeedbackStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("feedback status", "New")
    CONSIDERING = "considering", _("Under consideration")
    PLANNED = "planned", _("Planned")
    DONE = "done", pgettext_lazy("feedback status", "Done")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


# How the easy-read sheet says each status to members: short and concrete.
EASY_STATUS = {
    FeedbackStatus.NEW: _("We heard you. We will answer soon."),
    FeedbackStatus.CONSIDERING: _("We are looking into it."),
    FeedbackStatus.PLANNED: _("We are going to do this."),
    FeedbackStatus.DONE: _("We did this."),
    FeedbackStatus.NOT_TAKEN_UP: _("We will not do this."),
}


class FeedbackItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[FeedbackStatus.DONE, FeedbackStatus.NOT_TAKEN_UP])

    def closed(self):
        return self.filter(status__in=[FeedbackStatus.DONE, FeedbackStatus.NOT_TAKEN_UP])

    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def overdue(self, today: date | None = None):
        """Waiting for an answer longer than one cycle of their board."""
        return self.unanswered().filter(answer_due_on__lt=today or timezone.localdate())

    def to_tell_back(self):
        """Answered, but the group has not heard the current status yet."""
        return self.filter(answered_at__isnull=False).exclude(
            told_back_status=models.F("status")
        )

    def with_relations(self):
        return self.select_related(
            "board", "point", "course", "device_plan", "raised_at", "told_back_at")


class FeedbackItem(models.Model):
    """What a group said, in its own words, and what became of it."""

    ALLOWED_TRANSITIONS = {
        FeedbackStatus.NEW: {
            FeedbackStatus.CONSIDERING, FeedbackStatus.PLANNED, FeedbackStatus.DONE,
            FeedbackStatus.NOT_TAKEN_UP,
        },
        FeedbackStatus.CONSIDERING: {
            FeedbackStatus.CONSIDERING, FeedbackStatus.PLANNED, FeedbackStatus.DONE,
            FeedbackStatus.NOT_TAKEN_UP,
        },
        FeedbackStatus.PLANNED: {
            FeedbackStatus.PLANNED, FeedbackStatus.DONE, FeedbackStatus.NOT_TAKEN_UP,
        },
        FeedbackStatus.DONE: set(),
        # A refusal can be reconsidered when circumstances change.
        FeedbackStatus.NOT_TAKEN_UP: {FeedbackStatus.CONSIDERING},
    }

    board = models.ForeignKey(
        SoundingBoard, verbose_name=_("sounding board"), on_delete=models.CASCADE,
        related_name="items",
    )
    raised_at = models.ForeignKey(
        Meeting, verbose_name=_("raised at meeting"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="items_raised",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    topic = models.CharField(_("about"), max_length=12, choices=FeedbackTopic.choices)
    about = models.CharField(
        _("what it is about"), max_length=200, blank=True,
        help_text=_("For example the initiative, the place or the service."),
    )
    point = models.ForeignKey(
        "points.Point", verbose_name=_("point concerned"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="board_feedback",
    )
    course = models.ForeignKey(
        "trainings.Course", verbose_name=_("training concerned"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="feedback_items",
    )
    device_plan = models.ForeignKey(
        "devices.SubscriptionPlan", verbose_name=_("loan plan concerned"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="feedback_items",
    )
    words = models.TextField(_("what the group said"))
    status = models.CharField(
        _("status"), max_length=14, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    answer = models.TextField(_("our answer"), blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due"))
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    told_back_at = models.ForeignKey(
        Meeting, verbose_name=_("told back at meeting"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="items_told_back",
    )
    told_back_status = models.CharField(
        _("status told back"), max_length=14, choices=FeedbackStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = FeedbackItemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.NOT_TAKEN_UP) | ~Q(answer=""),
                name="feedback_not_taken_up_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=FeedbackStatus.NEW) | Q(answered_at__isnull=False),
                name="feedback_status_change_is_answered",
            ),
        ]
        indexes = [
            models.Index(fields=["board", "status"]),
            models.Index(fields=["board", "status_changed_at"]),
            models.Index(fields=["answered_at", "answer_due_on"]),
        ]

    def __str__(self) -> str:
        return self.about or self.words[:60]

    # Faster than get_FOO_display(), which rebuilds the choices dict per call:
    # lists show hundreds of items.
    @property
    def status_label(self) -> str:
        return FeedbackStatus(self.status).label

    @property
    def topic_label(self) -> str:
        return FeedbackTopic(self.topic).label

    @property
    def easy_status(self) -> str:
        return EASY_STATUS[self.status]

    def can_become(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.answered_at is None and self.answer_due_on < timezone.localdate()

    @property
    def needs_telling_back(self) -> bool:
        return self.answered_at is not None and self.told_back_status != self.status


class FeedbackEventKind(models.TextChoices):
    RAISED = "raised", _("Raised by the group")
    ANSWERED = "answered", _("Answered")
    STEP = "step", _("Step taken")
    TOLD_BACK = "told_back", _("Told back to the group")


class FeedbackEvent(HistoryEvent):
    """The timeline of one item: raised, every answer and status change,
    each step that answers it, and each time the group was told."""

    item = models.ForeignKey(
        FeedbackItem, verbose_name=_("feedback item"), on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=10, choices=FeedbackEventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=14, choices=FeedbackStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=14, choices=FeedbackStatus.choices)
    note = models.TextField(_("note"), blank=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(HistoryEvent.Meta):
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.kind} {self.from_status} -> {self.to_status}"


class Step(models.Model):
    """Something the digibank did, told to the boards it concerns and linked
    to the feedback items it answers. Internal steps stay off the members'
    sheet."""

    title = models.CharField(_("what we did"), max_length=200)
    description = models.TextField(_("more about it"), blank=True)
    taken_on = models.DateField(_("done on"), default=timezone.localdate)
    is_public = models.BooleanField(
        _("tell the members"), default=True,
        help_text=_("Untick for internal steps: they stay off the members' sheet."),
    )
    boards = models.ManyToManyField(
        SoundingBoard, verbose_name=_("sounding boards"), related_name="steps"
    )
    items = models.ManyToManyField(
        FeedbackItem, verbose_name=_("answers feedback"), blank=True, related_name="steps"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-taken_on", "-pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        indexes = [models.Index(fields=["taken_on"])]

    def __str__(self) -> str:
        return self.title


class Digest(models.Model):
    """What a board is told before a meeting: the items raised or changed
    and the steps taken since the previous meeting. One per meeting (the
    constraint is what keeps the beat job from sending it twice); a
    coordinator may rebuild it on purpose."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="digests"
    )
    since = models.DateTimeField(_("since"), null=True, blank=True)
    built_at = models.DateTimeField(_("built"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("built by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", help_text=_("Empty for the nightly job."),
    )
    rebuilt_count = models.PositiveSmallIntegerField(_("times rebuilt"), default=0)
    items = models.ManyToManyField(FeedbackItem, verbose_name=_("feedback items"), blank=True)
    steps = models.ManyToManyField(Step, verbose_name=_("steps"), blank=True)

    class Meta:
        ordering = ["-built_at"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["meeting"], name="digest_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def email_topic(self) -> str:
        # Per meeting, not per digest row: a digest is e-mailed once per meeting.
        return f"soundboard.digest:{self.meeting_id}"

    @cached_property
    def sent_at(self):
        """When the last recipient's e-mail left, once every one has; None
        while one is still in the outbox (or there was nobody to send to)."""
        from django.db.models import Max

        rows = OutboxEmail.objects.filter(topic=self.email_topic).aggregate(
            total=Count("pk"), sent=Count("sent_at"), last=Max("sent_at"))
        return rows["last"] if rows["total"] and rows["sent"] == rows["total"] else None


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    CALL = "call", _("Call list")
    SHEET = "sheet", _("Printed easy-read sheet")


class DigestDelivery(models.Model):
    """How one member hears a digest: by e-mail, a call from the point, or
    the printed easy-read sheet at the meeting. One per member per digest
    (the constraint keeps a second run of the job from telling twice)."""

    digest = models.ForeignKey(Digest, verbose_name=_("digest"), on_delete=models.CASCADE,
                               related_name="deliveries")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="digest_deliveries")
    channel = models.CharField(_("how"), max_length=8, choices=DeliveryChannel.choices)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["digest", "member"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["digest", "member"], name="digest_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.digest_id} → {self.member_id}: {self.channel}"
