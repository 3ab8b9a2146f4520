"""State changes of the sounding boards. Each is one transaction that also
writes its history (a FeedbackEvent, or an audit row for residents' data)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.links import absolute_reverse
from digibank.models import AuditAction, Resident, Role
from digibank.outbox import queue_email
from digibank.services import (
    add_call_task,
    may_be_called,
    notify_resident,
    record_audit,
    touch_resident,
)
from points.calendar import is_closed_on
from points.models import Point
from soundboard.models import (
    Attendance,
    ContactBy,
    DeliveryChannel,
    Digest,
    DigestDelivery,
    FeedbackEvent,
    FeedbackEventKind,
    FeedbackItem,
    FeedbackStatus,
    Meeting,
    Member,
    SoundingBoard,
    Step,
)

# How far plan_next_meeting looks for a free date before giving up.
MAX_WEEKS_MOVED = 12


class SoundboardError(Exception):
    """A sounding-board rule was broken; the message is for the user."""


# --- Members ---------------------------------------------------------------


@transaction.atomic
def add_member(
    *, actor, board: SoundingBoard, resident: Resident | None = None, partner=None,
    name: str = "", joined_on: date | None = None, **needs,
) -> Member:
    """Add a resident, or a partner's named representative, to a board.
    ``needs`` are the access-need and contact fields of Member."""
    if (resident is None) == (partner is None):
        raise SoundboardError(_("Choose a resident or a partner organisation."))
    if partner is not None and not name.strip():
        raise SoundboardError(_("Give the name of the organisation's representative."))
    already = _("This resident is already a member of this board.")
    if resident is not None and board.members.filter(
        resident=resident, left_on__isnull=True
    ).exists():
        raise SoundboardError(already)
    try:
        with transaction.atomic():
            member = Member.objects.create(
                board=board, resident=resident, partner=partner, name=name.strip(),
                joined_on=joined_on or timezone.localdate(), **needs,
            )
    except IntegrityError:
        # Someone added the same resident a moment ago (member_once_per_board).
        raise SoundboardError(already) from None
    if resident is not None:
        touch_resident(resident)
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=resident, target=member,
            summary=_("Joined sounding board %(board)s") % {"board": board},
        )
    return member


MEMBER_NEEDS = (
    "contact_by", "interpreter_language", "needs_easy_read", "needs_wheelchair_access",
    "needs_hearing_loop",
)


@transaction.atomic
def update_member_needs(*, actor, member: Member, **needs) -> Member:
    """Change how a member is reached and what they need to take part."""
    unknown = set(needs) - set(MEMBER_NEEDS)
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    member = Member.objects.select_for_update(of=("self",)).select_related("resident").get(
        pk=member.pk)
    changed = sorted(name for name, value in needs.items() if getattr(member, name) != value)
    for name in changed:
        setattr(member, name, needs[name])
    if changed:
        member.save(update_fields=changed)
        if member.resident_id:
            record_audit(
                actor=actor, action=AuditAction.CHANGE, resident=member.resident, target=member,
                summary=_("Sounding-board needs changed"), detail={"fields": changed},
            )
    return member


@transaction.atomic
def end_membership(*, actor, member: Member, left_on: date | None = None) -> Member:
    """Record that a member left the board (their history stays)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise SoundboardError(_("This member already left the board."))
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise SoundboardError(_("A member cannot leave before joining."))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    if member.resident_id:
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=member.resident, target=member,
            summary=_("Left sounding board %(board)s") % {"board": member.board},
        )
    return member


# --- Meetings --------------------------------------------------------------


def is_closed_for_meetings(day: date, point: Point | None) -> bool:
    """True on a city-wide holiday, or on a closure of ``point`` (the one
    time logic of the points app decides)."""
    return is_closed_on(point, day)


@transaction.atomic
def schedule_meeting(
    *, actor, board: SoundingBoard, starts_at: datetime, point: Point | None = None,
    venue_partner=None, venue: str = "", agenda: str = "",
) -> Meeting:
    """Put a meeting in the calendar at a chosen time (the first one, or a
    change to the rhythm). Refuses a moment that has passed, a holiday or a
    closure of the point."""
    SoundingBoard.objects.select_for_update().get(pk=board.pk)
    if point is None and venue_partner is None and not venue.strip():
        raise SoundboardError(_("Choose a point or give the partner venue."))
    _check_meeting_day(board, starts_at, point)
    meeting = Meeting.objects.create(
        board=board, starts_at=starts_at, point=point, venue_partner=venue_partner,
        venue=venue.strip(), agenda=agenda,
    )
    _record_meeting_history(actor, meeting, AuditAction.CREATE, _("Meeting planned"))
    return meeting


def _record_meeting_history(actor, meeting: Meeting, action: str, what: str,
                            detail: dict | None = None) -> None:
    """Meetings carry no residents' data; the shared audit trail is their history."""
    when = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    record_audit(actor=actor, action=action, target=meeting, detail=detail,
                 summary=f"{what}: {meeting.board} {when}")


def _check_meeting_day(board: SoundingBoard, starts_at: datetime, point: Point | None,
                       exclude: Meeting | None = None) -> None:
    if starts_at < timezone.now():
        # A meeting planned in the past would be listed nowhere to come.
        raise SoundboardError(_("This moment has passed. Choose a day and time to come."))
    day = timezone.localtime(starts_at).date()
    if is_closed_for_meetings(day, point):
        raise SoundboardError(
            _("%(day)s is a holiday or the point is closed. Choose another day.")
            % {"day": day.strftime("%d/%m/%Y")}
        )
    same_time = board.meetings.filter(starts_at=starts_at)
    if exclude is not None:
        same_time = same_time.exclude(pk=exclude.pk)
    if same_time.exists():
        raise SoundboardError(_("This board already meets at that time."))


@transaction.atomic
def reschedule_meeting(
    *, actor, meeting: Meeting, starts_at: datetime, point: Point | None = None,
    venue_partner=None, venue: str = "",
) -> Meeting:
    """Move a meeting that has not taken place yet to another time or place."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if meeting.starts_at < timezone.now():
        raise SoundboardError(_("This meeting already took place; it cannot be moved."))
    if point is None and venue_partner is None and not venue.strip():
        raise SoundboardError(_("Choose a point or give the partner venue."))
    _check_meeting_day(meeting.board, starts_at, point, exclude=meeting)
    before = timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    meeting.starts_at, meeting.point, meeting.venue_partner = starts_at, point, venue_partner
    meeting.venue = venue.strip()
    meeting.save(update_fields=["starts_at", "point", "venue_partner", "venue"])
    _record_meeting_history(actor, meeting, AuditAction.CHANGE, _("Meeting moved"),
                            {"from": before, "place": meeting.place})
    return meeting


DEFAULT_MEETING_TIME = time(14, 0)


def suggested_meeting(board: SoundingBoard, today: date | None = None) -> dict:
    """What the plan form starts from: one cycle (six weeks by default)
    after the board's last meeting, at its time and place; one cycle from
    today when that day has passed or there is no meeting yet."""
    today = today or timezone.localdate()
    last = board.meetings.order_by("-starts_at").first()
    if last is None:
        return {"day": today + board.cadence, "time": DEFAULT_MEETING_TIME}
    local = timezone.localtime(last.starts_at)
    day = local.date() + board.cadence
    if day <= today:
        day = today + board.cadence
    return {"day": day, "time": local.time().replace(tzinfo=None), "point": last.point,
            "venue_partner": last.venue_partner, "venue": last.venue}


@transaction.atomic
def plan_next_meeting(*, actor, board: SoundingBoard) -> Meeting:
    """Plan the next meeting ``cadence_weeks`` after the last one, at the
    same time and place. A date on a holiday or a closure of the point moves
    a week later (members keep their weekday) until it is free.

    Raises SoundboardError when the board has no meeting yet, or already has
    one planned in the future.
    """
    board = SoundingBoard.objects.select_for_update().get(pk=board.pk)
    last = board.meetings.order_by("-starts_at").first()
    if last is None:
        raise SoundboardError(_("Plan the first meeting by hand; the next ones follow from it."))
    if last.starts_at >= timezone.now():
        raise SoundboardError(
            _("The next meeting is already planned on %(day)s.")
            % {"day": timezone.localtime(last.starts_at).strftime("%d/%m/%Y")}
        )
    local = timezone.localtime(last.starts_at)
    day = local.date() + board.cadence
    weeks_moved = 0
    while is_closed_for_meetings(day, last.point):
        weeks_moved += 1
        if weeks_moved > MAX_WEEKS_MOVED:
            raise SoundboardError(
                _("No free day found in the next weeks. Plan the meeting by hand.")
            )
        day += timedelta(weeks=1)
    starts_at = timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
    meeting = Meeting.objects.create(
        board=board, starts_at=starts_at, point=last.point, venue_partner=last.venue_partner,
        venue=last.venue,
    )
    _record_meeting_history(actor, meeting, AuditAction.CREATE, _("Meeting planned"),
                            {"weeks_moved_off_closures": weeks_moved})
    return meeting


@transaction.atomic
def update_meeting_notes(*, actor, meeting: Meeting, agenda: str, minutes: str) -> Meeting:
    """Save the agenda and the short minutes of a meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.agenda = agenda
    meeting.minutes = minutes
    meeting.save(update_fields=["agenda", "minutes"])
    return meeting


@transaction.atomic
def set_attendance(*, actor, meeting: Meeting, member: Member, present: bool) -> bool:
    """Mark a member present or absent. Returns whether they are present."""
    if member.board_id != meeting.board_id:
        raise SoundboardError(_("This person is not a member of this board."))
    if present:
        _attendance, created = Attendance.objects.get_or_create(meeting=meeting, member=member)
        if created and member.resident_id:
            touch_resident(member.resident, timezone.localtime(meeting.starts_at).date())
    else:
        Attendance.objects.filter(meeting=meeting, member=member).delete()
    return present


# --- Feedback --------------------------------------------------------------


@transaction.atomic
def record_feedback(
    *, actor, board: SoundingBoard, words: str, topic: str, about: str = "",
    point: Point | None = None, meeting: Meeting | None = None, course=None,
    device_plan=None,
) -> FeedbackItem:
    """Write down what a group said, in its own words, optionally linked to
    the point, training or loan plan it is about. The answer is due one
    cycle of the board later."""
    if not words.strip():
        raise SoundboardError(_("Write down what the group said."))
    if meeting is not None and meeting.board_id != board.pk:
        raise SoundboardError(_("This meeting belongs to another board."))
    now = timezone.now()
    raised_on = timezone.localtime(meeting.starts_at).date() if meeting else timezone.localdate()
    item = FeedbackItem.objects.create(
        board=board, raised_at=meeting, raised_on=raised_on, topic=topic, about=about.strip(),
        point=point, course=course, device_plan=device_plan, words=words.strip(),
        answer_due_on=raised_on + board.cadence,
        status_changed_at=now, created_at=now, created_by=actor,
    )
    FeedbackEvent.objects.create(
        item=item, at=now, actor=actor, kind=FeedbackEventKind.RAISED,
        to_status=FeedbackStatus.NEW, meeting=meeting,
    )
    return item


@transaction.atomic
def answer_feedback(*, actor, item: FeedbackItem, status: str, answer: str) -> FeedbackItem:
    """Give (or update) the digibank's answer and move the item's status.

    Every answer needs words; "not taken up" needs the reason. Raises
    SoundboardError for a transition the table does not allow.
    """
    item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
    answer = answer.strip()
    if status not in FeedbackStatus.values or status == FeedbackStatus.NEW:
        raise SoundboardError(_("Choose what happens with this feedback."))
    if not item.can_become(status):
        raise SoundboardError(
            _("Feedback that is “%(current)s” cannot become “%(new)s”.")
            % {"current": item.get_status_display(), "new": FeedbackStatus(status).label}
        )
    if not answer:
        if status == FeedbackStatus.NOT_TAKEN_UP:
            raise SoundboardError(_("Say why this is not taken up: the group will hear it."))
        raise SoundboardError(_("Write the answer the group will hear."))
    now = timezone.now()
    previous = item.status
    item.status = status
    item.answer = answer
    if item.answered_at is None:
        item.answered_at = now
    if previous != status:
        item.status_changed_at = now
    item.save(update_fields=["status", "answer", "answered_at", "status_changed_at"])
    FeedbackEvent.objects.create(
        item=item, at=now, actor=actor, kind=FeedbackEventKind.ANSWERED,
        from_status=previous, to_status=status, note=answer,
    )
    return item


@transaction.atomic
def mark_told_back(*, actor, item: FeedbackItem, meeting: Meeting) -> FeedbackItem:
    """Record that the group heard the item's current status and answer at
    ``meeting``. Refuses an unanswered item or one already told."""
    item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
    if meeting.board_id != item.board_id:
        raise SoundboardError(_("This meeting belongs to another board."))
    if item.answered_at is None:
        raise SoundboardError(_("Answer this feedback before telling the group."))
    if item.told_back_status == item.status:
        raise SoundboardError(_("The group already heard this answer."))
    item.told_back_at = meeting
    item.told_back_status = item.status
    item.save(update_fields=["told_back_at", "told_back_status"])
    FeedbackEvent.objects.create(
        item=item, actor=actor, kind=FeedbackEventKind.TOLD_BACK, from_status=item.status,
        to_status=item.status, meeting=meeting,
    )
    return item


@transaction.atomic
def record_step(
    *, actor, title: str, taken_on: date, boards: Iterable[SoundingBoard] = (),
    items: Iterable[FeedbackItem] = (), description: str = "", is_public: bool = True,
) -> Step:
    """Record something the digibank did. It is told to the given boards and
    to the boards of the feedback it answers; each item's timeline shows it."""
    items = list(items)
    board_ids = {board.pk for board in boards} | {item.board_id for item in items}
    if not title.strip():
        raise SoundboardError(_("Say what the digibank did."))
    if not board_ids:
        raise SoundboardError(_("Choose the boards to tell, or the feedback this answers."))
    if taken_on > timezone.localdate():
        raise SoundboardError(_("The date cannot be later than today."))
    step = Step.objects.create(
        title=title.strip(), description=description.strip(), taken_on=taken_on,
        is_public=is_public, created_by=actor,
    )
    step.boards.set(board_ids)
    step.items.set(items)
    FeedbackEvent.objects.bulk_create([
        FeedbackEvent(
            item=item, actor=actor, kind=FeedbackEventKind.STEP, from_status=item.status,
            to_status=item.status, note=step.title,
        )
        for item in items
    ])
    return step


# --- Digest ----------------------------------------------------------------


def _digest_content(meeting: Meeting, since: datetime | None, until: datetime):
    """The items raised or changed, and the steps taken, between the
    previous meeting (``since``) and ``until``."""
    items = meeting.board.items.filter(created_at__lte=until)
    steps = meeting.board.steps.filter(created_at__lte=until)
    if since is not None:
        since_day = timezone.localtime(since).date()
        items = items.filter(
            Q(created_at__gt=since) | Q(status_changed_at__gt=since)
            | Q(raised_at__starts_at__gte=since)
        )
        steps = steps.filter(taken_on__gt=since_day)
    return items, steps


@transaction.atomic
def build_digest(*, meeting: Meeting, actor=None, rebuild: bool = False) -> Digest | None:
    """Build the digest for ``meeting`` and put its e-mail in the outbox.

    Once per meeting: a second call returns None (the unique constraint on
    Digest.meeting backs this under concurrency). ``rebuild=True`` refreshes
    an existing digest's content (the page and the printable sheet); its
    e-mail goes once per meeting and address however often it is rebuilt
    (``queue_email``), so only someone who did not get it yet (a coordinator
    added since) is sent the rebuilt version.
    """
    meeting = Meeting.objects.select_related("board").get(pk=meeting.pk)
    previous = meeting.previous()
    since = previous.starts_at if previous else None
    now = timezone.now()
    digest = Digest.objects.select_for_update().filter(meeting=meeting).first()
    if digest is not None and not rebuild:
        return None
    if digest is None:
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    meeting=meeting, since=since, built_at=now, built_by=actor
                )
        except IntegrityError:
            return None  # another worker built it a moment ago
    else:
        digest.since, digest.built_at, digest.built_by = since, now, actor
        digest.rebuilt_count += 1
        digest.save(update_fields=["since", "built_at", "built_by", "rebuilt_count"])
    items, steps = _digest_content(meeting, since, now)
    digest.items.set(items)
    digest.steps.set(steps)
    if rebuild:
        record_audit(actor=actor, action=AuditAction.CHANGE, target=digest,
                     summary=_("Digest rebuilt: %(meeting)s") % {"meeting": meeting})
    deliver_digest_to_members(digest)
    queue_digest_email(digest)
    return digest


def build_due_digests(today: date | None = None) -> int:
    """The beat job: build the digest of every upcoming meeting whose digest
    day has come. Idempotent: a meeting that has a digest is skipped."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.upcoming().filter(digests__isnull=True, board__is_active=True)
        .select_related("board")
    )
    built = 0
    for meeting in meetings:
        if meeting.digest_due_on <= today and build_digest(meeting=meeting):
            built += 1
    return built


def digest_recipients(board: SoundingBoard) -> list[str]:
    """The facilitator and every active coordinator with an e-mail address."""
    users = get_user_model().objects.filter(
        Q(pk=board.facilitator_id) | Q(groups__name=Role.COORDINATOR), is_active=True
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


DIGEST_KIND = "soundboard.digest"


def member_channel(member: Member) -> str:
    """How a member hears the digest: by their own channel. E-mail when
    they chose it and we have an address; a call from the point when they
    chose the phone (or e-mail without an address) and may be called; the
    printed easy-read sheet otherwise (by post, via their organisation, a
    partner's representative, or nobody to write or call)."""
    resident = member.resident
    if resident is None or member.contact_by in (ContactBy.POST, ContactBy.PARTNER):
        return DeliveryChannel.SHEET
    callable_ = bool(resident.phone) and may_be_called(resident)
    if member.contact_by == ContactBy.EMAIL and resident.email:
        return DeliveryChannel.EMAIL
    if callable_:
        return DeliveryChannel.CALL
    if resident.email:
        return DeliveryChannel.EMAIL
    return DeliveryChannel.SHEET


def deliver_digest_to_members(digest: Digest) -> dict[str, int]:
    """Tell every current member of the board what happened to their
    feedback, each by their own channel (``member_channel``): an e-mail in
    their language through the outbox, a line on the call list of the
    meeting's point, or the printed sheet. Recorded once per member per
    digest (``DigestDelivery``): building or rebuilding it again reaches
    only members added since. Call inside the digest's transaction.
    Returns how many members were reached per channel this time."""
    meeting = digest.meeting
    done = set(digest.deliveries.values_list("member", flat=True))
    members = (meeting.board.members.current().exclude(pk__in=done)
               .select_related("resident", "partner"))
    counts: dict[str, int] = {}
    for member in members:
        channel = member_channel(member)
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(digest=digest, member=member, channel=channel)
        except IntegrityError:
            continue  # another run told this member a moment ago
        _tell_member(digest, member, channel)
        counts[channel] = counts.get(channel, 0) + 1
    return counts


def delivery_counts(digest: Digest) -> list[tuple[str, int]]:
    """How many members hear the digest by each channel, in the channels' order."""
    counts = dict(digest.deliveries.values_list("channel").annotate(n=Count("pk"))
                  .values_list("channel", "n"))
    return [(str(label), counts[value]) for value, label in DeliveryChannel.choices
            if counts.get(value)]


def _member_message(digest: Digest) -> str:
    """The digest in easy words for a member, in the active language."""
    return render_to_string("soundboard/digest_member.txt",
                            digest_context(digest, public_only=True))


def _tell_member(digest: Digest, member: Member, channel: str) -> None:
    board = digest.meeting.board
    if channel == DeliveryChannel.EMAIL:
        notify_resident(
            resident=member.resident, kind=DIGEST_KIND, source=digest,
            subject=lambda: _("What we did with what you said: %(board)s") % {
                "board": board.name},
            message=lambda: _member_message(digest), point=digest.meeting.point)
    elif channel == DeliveryChannel.CALL:
        with translation.override("nl"):
            add_call_task(
                resident=member.resident, kind=DIGEST_KIND, source=digest,
                point=digest.meeting.point,
                subject=_("Tell what we did with the feedback of %(board)s") % {
                    "board": board.name},
                message=_member_message(digest))


def queue_digest_email(digest: Digest) -> int:
    """Put the digest's e-mail to the facilitator and coordinators in the
    outbox, in the caller's transaction: once per meeting and address.
    Returns how many addresses were added."""
    recipients = digest_recipients(digest.meeting.board)
    if not recipients:
        return 0  # nobody to write to: the page says it was not sent
    with translation.override("nl"):
        subject = _("Digest for %(meeting)s") % {"meeting": digest.meeting}
        body = render_to_string("soundboard/digest_email.txt", {
            **digest_context(digest), "deliveries": delivery_counts(digest)})
    return len(queue_email(topic=digest.email_topic, to=recipients, subject=subject, body=body))


def digest_context(digest: Digest, public_only: bool = False) -> dict:
    """What a digest shows: new items, items whose status changed, steps."""
    items = list(
        digest.items.select_related("point", "raised_at").prefetch_related("steps")
        .order_by("raised_on", "pk")
    )
    steps = digest.steps.order_by("taken_on", "pk")
    if public_only:
        steps = steps.filter(is_public=True)
    since = digest.since
    new = [i for i in items if since is None or i.created_at > since
           or (i.raised_at is not None and i.raised_at.starts_at >= since)]
    changed = [i for i in items if i not in new]
    board = digest.meeting.board
    # Items still without an answer after one cycle, whenever they were raised:
    # the digest keeps naming them until they are answered.
    overdue = [] if public_only else list(board.items.overdue().order_by("raised_on", "pk"))
    # Steps already told under the item they answer are not told again.
    told = {step.pk for item in items for step in item.steps.all()}
    return {"digest": digest, "meeting": digest.meeting, "board": board,
            "next_meeting": digest.meeting.following(),
            "new_items": new, "changed_items": changed, "steps": list(steps),
            "other_steps": [step for step in steps if step.pk not in told], "overdue": overdue,
            "sheet_path": reverse("soundboard:digest-sheet", args=[digest.pk]),
            "sheet_url": absolute_reverse("soundboard:digest-sheet", digest.pk),
            "digest_url": absolute_reverse("soundboard:digest-detail", digest.pk)}
