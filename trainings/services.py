"""State changes of trainings and guidance. Each is one transaction that
locks the row whose state changes and writes its history row.

Lock order, to avoid deadlocks: the series (when the session is part of
one), then its sessions (by id), then the enrolments.
"""

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from digibank.cache import current_version, version_changed
from digibank.models import (
    DATA_LANGUAGE,
    AuditAction,
    CallResult,
    CallTask,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Resident,
    User,
)
from digibank.services import (
    create_resident,
    notify_resident,
    record_audit,
    record_call_result,
    touch_resident,
)
from outreach.models import Partner
from points import calendar
from points.calendar import PlanError, PlannedItem
from points.models import Point, QuestionTopic
from trainings.models import (
    Course,
    CourseRun,
    Enrolment,
    EnrolmentChannel,
    EnrolmentEvent,
    EnrolmentStatus,
    Guidance,
    GuidanceEvent,
    GuidanceMeeting,
    GuidanceMeetingEdit,
    GuidanceOutcome,
    GuidanceStatus,
    InterestEntry,
    RunEnrolment,
    RunEnrolmentEvent,
    RunEnrolmentStatus,
    Session,
    SessionEvent,
    SessionStatus,
)

INTEREST_KIND = "training_interest_place"
# How long a place someone on the interest list was told about stays
# counted as offered to them (not offered to the next person).
INTEREST_OFFER_HOLD = timedelta(days=7)
REMINDER_KIND = "training_reminder"
CANCELLED_KIND = "session_cancelled"
PROMOTED_KIND = "waiting_list_promoted"
CHANGED_KIND = "session_changed"


logger = logging.getLogger(__name__)


class TrainingError(Exception):
    """A rule about trainings or guidance was broken; the message is for the
    user, ``field`` names the form field it belongs next to ("day",
    "start", "end", or "" for the form as a whole)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# --- Messages to residents (rendered later in the resident's language) ---


FEEDS_VERSION_KEY = "trainings:feeds:version"


def feeds_changed() -> None:
    """The public calendar feeds show sessions and series as they are:
    every write that changes a session, a series or its course calls this
    in its transaction, and the cached feeds move on after the commit."""
    version_changed(FEEDS_VERSION_KEY)


def feeds_version() -> str | None:
    return current_version(FEEDS_VERSION_KEY)


def _course_label(session: Session) -> str:
    """The course's title, with "session 2 of 4" for a session of a series."""
    position = session.run_position
    if position is None:
        return session.course.title
    return _("%(course)s (session %(number)s of %(size)s)") % {
        "course": session.course.title, "number": position[0], "size": position[1]}


def contact_phone(session: Session) -> str:
    """The number a resident calls about this session (to cancel, to ask):
    its point's, else the digibank's public contact number."""
    return (session.point.phone if session.point_id else "") or settings.CONTACT_PHONE


def _when(session: Session) -> dict:
    start = timezone.localtime(session.starts_at)
    return {
        "course": _course_label(session),
        "day": formats.date_format(start, "l j F Y"),
        "time": formats.time_format(start, "H:i"),
        "place": session.place_name,
        "address": session.address or _("by video call"),
        "phone": contact_phone(session),
    }


def _reminder_message(session: Session):
    return lambda: _(
        "Hello,\n\nA reminder: tomorrow, %(day)s at %(time)s, you have the training "
        "\"%(course)s\" at %(place)s (%(address)s).\n\nCan you not come? Please call "
        "%(phone)s or let us know at any digibank point, so someone else can take your "
        "place.\n\nSee you "
        "tomorrow!\nThe digibank"
    ) % _when(session)


def _cancelled_message(session: Session):
    return lambda: _(
        "Hello,\n\nThe training \"%(course)s\" on %(day)s at %(time)s at %(place)s does "
        "not take place. We are sorry.\n\nAsk at any digibank point for another date."
        "\n\nThe digibank"
    ) % _when(session)


def _promoted_message(session: Session):
    return lambda: _(
        "Hello,\n\nGood news: a place became free. You now have a place in the training "
        "\"%(course)s\" on %(day)s at %(time)s at %(place)s (%(address)s).\n\nCan you "
        "not come? Please call %(phone)s or let us know at any digibank point.\n\n"
        "The digibank"
    ) % _when(session)


def _changed_message(session: Session):
    return lambda: _(
        "Hello,\n\nThe training \"%(course)s\" has a new time or place. It is now on "
        "%(day)s at %(time)s at %(place)s (%(address)s).\n\nCan you not come then? Please "
        "call %(phone)s or let us know at any digibank point.\n\nThe digibank"
    ) % _when(session)


def _series_dates(sessions) -> str:
    return ", ".join(
        formats.date_format(timezone.localtime(s.starts_at), "D j/m H:i") for s in sessions)


def _run_promoted_message(run: CourseRun, sessions: list[Session]):
    first = sessions[0]
    return lambda: _(
        "Hello,\n\nGood news: a place became free. You now have a place in the series "
        "\"%(course)s\" at %(place)s (%(address)s), %(count)s sessions: %(dates)s.\n\nCan "
        "you not come? Please call %(phone)s or let us know at any digibank point.\n\n"
        "The digibank"
    ) % {"course": run.course.title, "place": first.place_name, "address": first.address,
         "count": len(sessions), "dates": _series_dates(sessions),
         "phone": contact_phone(first)}


def _place_for_you_message(session: Session, dates: list[Session]):
    when = _when(session)
    series = (_("It is a series of %(count)s sessions: %(dates)s.") % {
        "count": len(dates), "dates": _series_dates(dates)}) if len(dates) > 1 else ""
    phone = contact_phone(session)  # the same number as every other message
    how = (_("To enrol, call %(phone)s or come to any digibank point.") % {"phone": phone}
           if phone else _("To enrol, come to any digibank point or call us."))
    return lambda: _(
        "Hello,\n\nYou asked us for a training. There is now a place in \"%(course)s\" on "
        "%(day)s at %(time)s at %(place)s (%(address)s). %(series)s\n\n%(how)s\n\n"
        "The digibank"
    ) % {**when, "series": series, "how": how}


def _subject(text, session: Session):
    # ``text`` is lazy: str() renders it in the language active at send time.
    return lambda: str(text) % {"course": session.course.title}


# --- Enrolments ----------------------------------------------------------


def _move(enrolment: Enrolment, status: str, *, actor: User | None, note: str = "",
          new: bool = False) -> None:
    """Move an enrolment to ``status`` and write its history row. ``new``:
    the enrolment was just created, so its history starts with no "from"
    (not with the placeholder status it was created in)."""
    if not new and not enrolment.can_move_to(status):
        raise TrainingError(_("This enrolment cannot change from “%(from)s” to “%(to)s”.") % {
            "from": enrolment.get_status_display(), "to": EnrolmentStatus(status).label})
    EnrolmentEvent.objects.create(
        enrolment=enrolment, actor=_person(actor), from_status="" if new else enrolment.status,
        to_status=status, note=note[:200],
    )
    enrolment.status = status
    if status == EnrolmentStatus.WAITING:
        enrolment.waiting_since = timezone.now()
    enrolment.save(update_fields=["status", "waiting_since"])


def _person(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _lock_session(session: Session) -> Session:
    """Lock a session, and first its series when it is part of one: every
    change of a series' seats holds the series' lock."""
    if session.run_id:
        CourseRun.objects.select_for_update().get(pk=session.run_id)
    return Session.objects.select_for_update(of=("self",)).select_related(
        "course", "point", "venue").get(pk=session.pk)


def _seats_taken(sessions) -> dict[int, int]:
    """Seats taken per session id, in one query."""
    rows = (Enrolment.objects.seated().filter(session__in=[s.pk for s in sessions])
            .values("session").annotate(n=Count("pk")).values_list("session", "n"))
    return {session.pk: 0 for session in sessions} | dict(rows)


@transaction.atomic
def enrol(
    *,
    actor: User | None,
    session: Session,
    resident: Resident,
    channel: str = EnrolmentChannel.COUNTER,
    point: Point | None = None,
    allow_waiting_list: bool = True,
) -> Enrolment:
    """Give ``resident`` a place in ``session``, or a waiting-list place when
    it is full (unless ``allow_waiting_list`` is False).

    The session row is locked before the seats are counted, so two hosts
    enrolling at once can never exceed its capacity. Raises TrainingError
    when the session is not open for enrolment, the resident is already in
    it, or it is full and no waiting list was wanted.
    """
    session = _lock_session(session)
    if not session.joinable_alone:
        raise TrainingError(_("This session is part of a series: enrol in the whole series."))
    if session.status != SessionStatus.PLANNED:
        raise TrainingError(_("This session is no longer open for enrolment."))
    if session.starts_at <= timezone.now():
        raise TrainingError(_("This session has already started."))
    if resident.is_anonymised:
        raise TrainingError(_("This resident was anonymised and cannot be enrolled."))
    enrolment = Enrolment.objects.filter(session=session, resident=resident).first()
    if enrolment is not None and enrolment.status != EnrolmentStatus.CANCELLED:
        if enrolment.status == EnrolmentStatus.WAITING:
            raise TrainingError(_("%(name)s is already on the waiting list of this session.")
                                % {"name": resident})
        raise TrainingError(_("%(name)s is already enrolled in this session.")
                            % {"name": resident})
    seats_taken = session.enrolments.seated().count()
    # The series' waiting list goes first: someone waiting for every date
    # must not lose a free seat to someone joining one date.
    someone_waiting = session.enrolments.waiting().exists() or (
        session.run_id is not None
        and RunEnrolment.objects.filter(run_id=session.run_id).waiting().exists())
    if seats_taken < session.capacity and not someone_waiting:
        status = EnrolmentStatus.ENROLLED
    elif allow_waiting_list:
        status = EnrolmentStatus.WAITING
    else:
        raise TrainingError(_("This session is full."))
    new = enrolment is None
    if new:
        # Created as "cancelled" only until ``_move`` sets its status in
        # this transaction; its history starts empty ("new").
        enrolment = Enrolment.objects.create(
            session=session, resident=resident, status=EnrolmentStatus.CANCELLED,
            channel=channel, enrolled_by=_person(actor), point=point,
        )
    else:
        enrolment.channel, enrolment.enrolled_by, enrolment.point = channel, _person(actor), point
        enrolment.save(update_fields=["channel", "enrolled_by", "point"])
    _move(enrolment, status, actor=actor, new=new)
    InterestEntry.objects.open().filter(resident=resident, course=session.course).update(
        closed_at=timezone.now()
    )
    with translation.override(DATA_LANGUAGE):  # it names the course (see record_audit)
        record_audit(
            actor=actor, action=AuditAction.CREATE, resident=resident, target=enrolment,
            summary=(_("Enrolled in %(session)s") if status == EnrolmentStatus.ENROLLED
                     else _("Put on the waiting list of %(session)s")) % {"session": session},
        )
    touch_resident(resident)
    return enrolment


@transaction.atomic
def promote_from_waiting_list(*, actor: User | None, session: Session) -> list:
    """Give free places to the first people on the waiting list, in order,
    and tell each of them: for a session of a series, first the series'
    waiting list (a place in every session left), then this session's.
    Does nothing for a session that is cancelled, held or already started.
    Returns the promoted enrolments (``RunEnrolment`` for a series place)."""
    session = _lock_session(session)
    promoted: list = []
    if session.run_id:
        promoted += _promote_in_run(actor=actor, run=session.run)
    if session.status != SessionStatus.PLANNED or session.starts_at <= timezone.now():
        return promoted
    free = session.capacity - session.enrolments.seated().count()
    if free <= 0:
        return promoted
    waiting = list(
        session.enrolments.waiting().select_for_update(of=("self",))
        .select_related("resident")[:free]
    )
    for enrolment in waiting:
        _move(enrolment, EnrolmentStatus.ENROLLED, actor=actor,
              note=_("A place became free"))
        notify_resident(
            resident=enrolment.resident, kind=PROMOTED_KIND, source=enrolment,
            subject=_subject(gettext_lazy("You have a place: %(course)s"), session),
            message=_promoted_message(session), point=enrolment.call_point,
        )
    return promoted + waiting


@transaction.atomic
def cancel_enrolment(*, actor: User | None, enrolment: Enrolment, note: str = "") -> list:
    """Cancel an enrolment or a waiting-list place. A seat that becomes free
    goes to the first person on the waiting list, who is told. A seat that
    is part of a series enrolment cancels the whole series enrolment (see
    ``cancel_run_enrolment``). Returns the people who got the place (their
    enrolments), for the message."""
    if enrolment.run_enrolment_id and enrolment.status == EnrolmentStatus.ENROLLED:
        return cancel_run_enrolment(actor=actor, run_enrolment=enrolment.run_enrolment,
                                    note=note)
    session = _lock_session(enrolment.session)
    enrolment = Enrolment.objects.select_for_update().select_related("resident").get(
        pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise _already_cancelled(enrolment)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        raise TrainingError(_("Only an enrolment or a waiting-list place can be cancelled."))
    had_seat = enrolment.status == EnrolmentStatus.ENROLLED
    _move(enrolment, EnrolmentStatus.CANCELLED, actor=actor, note=note)
    with translation.override(DATA_LANGUAGE):
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=enrolment.resident,
            target=enrolment, summary=_("Enrolment cancelled: %(session)s") % {
                "session": session},
        )
    if had_seat:
        return promote_from_waiting_list(actor=actor, session=session)
    return []


# --- Series (course runs) --------------------------------------------------


def _lock_run(run: CourseRun) -> CourseRun:
    return CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)


def _open_run_sessions(run: CourseRun) -> list[Session]:
    """The series' sessions still to come (not started, not cancelled),
    locked in id order; the caller holds the series' lock. Every session
    not given yet follows the series: its seats are taken, freed and given
    on with the series enrolment (a started one keeps its attendance)."""
    return list(Session.objects.select_for_update(of=("self",))
                .filter(run=run, starts_at__gt=timezone.now())
                .exclude(status=SessionStatus.CANCELLED)
                .select_related("course", "point", "venue").order_by("pk"))


def _has_seat_everywhere(sessions: list[Session], resident: Resident) -> bool:
    """A free seat for ``resident`` in each of ``sessions`` (a seat they
    already hold counts as theirs)."""
    taken = _seats_taken(sessions)
    held = set(Enrolment.objects.seated().filter(
        session__in=[s.pk for s in sessions], resident=resident).values_list("session", flat=True))
    return all(s.pk in held or taken[s.pk] < s.capacity for s in sessions)


def _move_run(run_enrolment: RunEnrolment, status: str, *, actor: User | None,
              new: bool = False) -> None:
    """As ``_move``, for a place in a whole series."""
    if not new and not run_enrolment.can_move_to(status):
        raise TrainingError(_("This enrolment cannot change from “%(from)s” to “%(to)s”.") % {
            "from": run_enrolment.get_status_display(), "to": RunEnrolmentStatus(status).label})
    RunEnrolmentEvent.objects.create(enrolment=run_enrolment, actor=_person(actor),
                                     from_status="" if new else run_enrolment.status,
                                     to_status=status)
    run_enrolment.status = status
    if status == RunEnrolmentStatus.WAITING:
        run_enrolment.waiting_since = timezone.now()
    run_enrolment.save(update_fields=["status", "waiting_since"])


def _seat_in_sessions(run_enrolment: RunEnrolment, sessions: list[Session], *,
                      actor: User | None) -> None:
    """Give the series enrolment its seat in each of ``sessions``: a seat
    or waiting-list place the resident already had in one becomes part of
    it, a cancelled one is taken again."""
    existing = {e.session_id: e for e in Enrolment.objects.select_for_update().filter(
        session__in=[s.pk for s in sessions], resident=run_enrolment.resident_id)}
    for session in sessions:
        enrolment = existing.get(session.pk)
        if enrolment is None:
            enrolment = Enrolment.objects.create(
                session=session, resident=run_enrolment.resident,
                status=EnrolmentStatus.CANCELLED, channel=run_enrolment.channel,
                enrolled_by=run_enrolment.enrolled_by, point=run_enrolment.point)
        enrolment.run_enrolment = run_enrolment
        enrolment.save(update_fields=["run_enrolment"])
        if enrolment.status != EnrolmentStatus.ENROLLED:
            _move(enrolment, EnrolmentStatus.ENROLLED, actor=actor,
                  note=_("Enrolled in the series"))


@transaction.atomic
def enrol_in_run(
    *,
    actor: User | None,
    run: CourseRun,
    resident: Resident,
    channel: str = EnrolmentChannel.COUNTER,
    point: Point | None = None,
    allow_waiting_list: bool = True,
) -> RunEnrolment:
    """Enrol ``resident`` in a whole series: one enrolment, a seat in each
    of its sessions still to come; or a place on the series' waiting list
    when a session is full (unless ``allow_waiting_list`` is False).

    The series row is locked before any seat is counted, so parallel
    enrolments never exceed the places. Raises TrainingError when no
    session is left, the resident is already in it, or it is full and no
    waiting list was wanted.
    """
    run = _lock_run(run)
    sessions = _open_run_sessions(run)
    if not sessions:
        raise TrainingError(_("This series has no sessions left to enrol in."))
    if resident.is_anonymised:
        raise TrainingError(_("This resident was anonymised and cannot be enrolled."))
    run_enrolment = RunEnrolment.objects.filter(run=run, resident=resident).first()
    if run_enrolment is not None and run_enrolment.status != RunEnrolmentStatus.CANCELLED:
        if run_enrolment.status == RunEnrolmentStatus.WAITING:
            raise TrainingError(_("%(name)s is already on the waiting list of this series.")
                                % {"name": resident})
        raise TrainingError(_("%(name)s is already enrolled in this series.")
                            % {"name": resident})
    if _has_seat_everywhere(sessions, resident) and not run.enrolments.waiting().exists():
        status = RunEnrolmentStatus.ENROLLED
    elif allow_waiting_list:
        status = RunEnrolmentStatus.WAITING
    else:
        raise TrainingError(_("This series is full."))
    new = run_enrolment is None
    if new:
        run_enrolment = RunEnrolment.objects.create(
            run=run, resident=resident, status=RunEnrolmentStatus.CANCELLED, channel=channel,
            enrolled_by=_person(actor), point=point)
    else:
        run_enrolment.channel, run_enrolment.enrolled_by = channel, _person(actor)
        run_enrolment.point = point
        run_enrolment.save(update_fields=["channel", "enrolled_by", "point"])
    _move_run(run_enrolment, status, actor=actor, new=new)
    if status == RunEnrolmentStatus.ENROLLED:
        _seat_in_sessions(run_enrolment, sessions, actor=actor)
    InterestEntry.objects.open().filter(resident=resident, course=run.course).update(
        closed_at=timezone.now())
    with translation.override(DATA_LANGUAGE):
        record_audit(
            actor=actor, action=AuditAction.CREATE, resident=resident, target=run_enrolment,
            summary=(_("Enrolled in the series %(run)s")
                     if status == RunEnrolmentStatus.ENROLLED
                     else _("Put on the waiting list of the series %(run)s")) % {"run": run},
        )
    touch_resident(resident)
    return run_enrolment


def _promote_in_run(*, actor: User | None, run: CourseRun) -> list[RunEnrolment]:
    """Give the first people on the series' waiting list a seat in every
    session still to come, in order, while there is one; tell each. The
    caller holds the series' lock."""
    sessions = _open_run_sessions(run)
    promoted = []
    if not sessions:
        return promoted
    for waiting in run.enrolments.waiting().select_for_update(of=("self",)).select_related(
            "resident"):
        if not _has_seat_everywhere(sessions, waiting.resident):
            break
        _move_run(waiting, RunEnrolmentStatus.ENROLLED, actor=actor)
        _seat_in_sessions(waiting, sessions, actor=actor)
        notify_resident(
            resident=waiting.resident, kind=PROMOTED_KIND, source=waiting,
            subject=_subject(gettext_lazy("You have a place: %(course)s"), sessions[0]),
            message=_run_promoted_message(run, sorted(sessions, key=lambda s: s.starts_at)),
            point=sessions[0].point or waiting.point,
        )
        promoted.append(waiting)
    return promoted


@transaction.atomic
def cancel_run_enrolment(*, actor: User | None, run_enrolment: RunEnrolment,
                         note: str = "") -> list:
    """Cancel a series enrolment (or its waiting-list place): its seats in
    the sessions still to come are freed (attendance already taken stays)
    and go to the series' waiting list first, then to each session's.
    Returns the people who got a place (their enrolments)."""
    run = _lock_run(run_enrolment.run)
    sessions = _open_run_sessions(run)
    run_enrolment = RunEnrolment.objects.select_for_update().select_related("resident").get(
        pk=run_enrolment.pk)
    if run_enrolment.status == RunEnrolmentStatus.CANCELLED:
        raise _already_cancelled(run_enrolment)
    if run_enrolment.status not in (RunEnrolmentStatus.ENROLLED, RunEnrolmentStatus.WAITING):
        raise TrainingError(_("Only an enrolment or a waiting-list place can be cancelled."))
    had_seats = run_enrolment.status == RunEnrolmentStatus.ENROLLED
    _move_run(run_enrolment, RunEnrolmentStatus.CANCELLED, actor=actor)
    for enrolment in run_enrolment.session_enrolments.select_for_update().filter(
            session__in=[s.pk for s in sessions], status=EnrolmentStatus.ENROLLED):
        _move(enrolment, EnrolmentStatus.CANCELLED, actor=actor,
              note=note or _("Series enrolment cancelled"))
    with translation.override(DATA_LANGUAGE):
        record_audit(
            actor=actor, action=AuditAction.CHANGE, resident=run_enrolment.resident,
            target=run_enrolment, summary=_("Series enrolment cancelled: %(run)s") % {
                "run": run},
        )
    if not had_seats:
        return []
    promoted = _promote_in_run(actor=actor, run=run)
    for session in sorted(sessions, key=lambda s: s.pk):
        promoted += [e for e in promote_from_waiting_list(actor=actor, session=session)
                     if isinstance(e, Enrolment)]
    return promoted


@transaction.atomic
def mark_attendance(*, actor: User, enrolment: Enrolment, attended: bool) -> Enrolment:
    """Record that a resident came (or did not), from the session's start.
    Can be corrected both ways. The first attendance marks the session as
    held."""
    session = _lock_session(enrolment.session)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if session.status == SessionStatus.CANCELLED:
        raise TrainingError(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        # Before the start the session is still open for enrolment: marking
        # someone present would end it (held) too early.
        raise TrainingError(_("Attendance can be taken from the start of the session."))
    target = EnrolmentStatus.ATTENDED if attended else EnrolmentStatus.NO_SHOW
    if enrolment.status == target:
        return enrolment
    _move(enrolment, target, actor=actor)
    if attended:
        touch_resident(enrolment.resident)
    if session.status == SessionStatus.PLANNED:
        _move_session(session, SessionStatus.HELD, actor=actor)
    return enrolment


class AlreadyCancelled(TrainingError):
    """The enrolment was cancelled before (in another tab, by someone else):
    nothing to do, and the message says who and when."""


def _already_cancelled(enrolment: Enrolment | RunEnrolment) -> AlreadyCancelled:
    event = enrolment.events.filter(to_status="cancelled").select_related("actor").last()
    if event is None:
        return AlreadyCancelled(_("The enrolment of %(name)s is already cancelled.")
                                % {"name": enrolment.resident})
    who = (event.actor.get_full_name() or event.actor.username) if event.actor else _(
        "the resident or the system")
    local = timezone.localtime(event.at)
    return AlreadyCancelled(
        _("The enrolment of %(name)s is already cancelled (by %(who)s, %(when)s).") % {
            "name": enrolment.resident, "who": who, "when": f"{local:%d/%m/%Y %H:%M}"})


class SessionFull(TrainingError):
    """A walk-in would go over the session's places and nobody said that is fine."""


@transaction.atomic
def add_walk_in(*, actor: User, session: Session, resident: Resident | None = None,
                new_resident: dict | None = None, over_capacity: bool = False) -> Enrolment:
    """Record someone who is there as present: a walk-in (an enrolment made
    on the day, channel ``walk_in``), from the session's start until
    ``WALK_IN_WINDOW`` after its end. Someone already holding a seat is
    simply marked present. A walk-in takes a seat of its own, over the
    places only when ``over_capacity`` (the coach says the room allows it);
    otherwise a full session raises SessionFull. One enrolment per
    resident and session: a waiting-list place or a cancelled enrolment is
    taken again. ``new_resident`` (first_name, last_name, phone) is someone
    without a record yet: found by name and phone, or created, in the same
    transaction (a refusal leaves no record behind)."""
    session = _lock_session(session)
    if not session.walk_ins_open():
        raise TrainingError(_("Walk-ins can be added from the start of the session until two "
                              "hours after its end."))
    if resident is None:
        # digibank's one door for new residents: the known person, or a new record.
        resident = create_resident(actor=actor, **new_resident)
    if resident.is_anonymised:
        raise TrainingError(_("This resident was anonymised and cannot be enrolled."))
    enrolment = (Enrolment.objects.select_for_update().filter(session=session, resident=resident)
                 .first())
    if enrolment is not None and enrolment.status == EnrolmentStatus.ATTENDED:
        raise TrainingError(_("%(name)s is already marked present.") % {"name": resident})
    if enrolment is None or enrolment.status in (EnrolmentStatus.WAITING,
                                                 EnrolmentStatus.CANCELLED):
        seats_taken = session.enrolments.seated().count()
        if seats_taken >= session.capacity and not over_capacity:
            raise SessionFull(ngettext(
                "The only place is taken. Add %(name)s anyway only when there is room and "
                "a device for them.",
                "All %(count)s places are taken. Add %(name)s anyway only when "
                "there is room and a device for them.",
                session.capacity) % {"count": session.capacity, "name": resident})
        note = _("Walk-in") if seats_taken < session.capacity else _("Walk-in, over the places")
        new = enrolment is None
        if new:
            enrolment = Enrolment.objects.create(
                session=session, resident=resident, status=EnrolmentStatus.CANCELLED,
                channel=EnrolmentChannel.WALK_IN, enrolled_by=_person(actor),
                point=session.point)
        else:
            enrolment.channel, enrolment.enrolled_by = EnrolmentChannel.WALK_IN, _person(actor)
            enrolment.save(update_fields=["channel", "enrolled_by"])
        _move(enrolment, EnrolmentStatus.ENROLLED, actor=actor, note=note, new=new)
        with translation.override(DATA_LANGUAGE):
            record_audit(actor=actor, action=AuditAction.CREATE, resident=resident,
                         target=enrolment,
                         summary=_("Walked in at %(session)s") % {"session": session})
    _move(enrolment, EnrolmentStatus.ATTENDED, actor=actor)
    touch_resident(resident)
    if session.status == SessionStatus.PLANNED:
        _move_session(session, SessionStatus.HELD, actor=actor)
    return enrolment


def _move_session(session: Session, status: str, *, actor: User | None, note: str = "") -> None:
    if not session.can_move_to(status):
        raise TrainingError(_("This session cannot change from “%(from)s” to “%(to)s”.") % {
            "from": session.get_status_display(), "to": SessionStatus(status).label})
    SessionEvent.objects.create(session=session, actor=_person(actor),
                                from_status=session.status, to_status=status, note=note[:200])
    session.status = status
    session.save(update_fields=["status", "cancel_reason"])
    feeds_changed()


@transaction.atomic
def cancel_session(*, actor: User, session: Session, reason: str) -> int:
    """Cancel a session: every enrolment and waiting-list place is cancelled
    and each person is told (by e-mail, or on the call list). Returns how
    many people were told."""
    return len(_cancel_session(actor=actor, session=session, reason=reason))


def _cancel_session(*, actor: User, session: Session, reason: str) -> set[int]:
    """``cancel_session``; returns the ids of the residents told, so
    cancelling several sessions of a series counts each person once."""
    session = _lock_session(session)
    if not reason.strip():
        raise TrainingError(_("Give a reason, so we can tell the participants."))
    session.cancel_reason = reason.strip()[:200]
    _move_session(session, SessionStatus.CANCELLED, actor=actor, note=reason)
    told: set[int] = set()
    enrolments = (session.enrolments.active().select_for_update(of=("self",))
                  .select_related("resident"))
    for enrolment in enrolments:
        _move(enrolment, EnrolmentStatus.CANCELLED, actor=actor, note=_("Session cancelled"))
        notification = notify_resident(
            resident=enrolment.resident, kind=CANCELLED_KIND, source=enrolment,
            subject=_subject(gettext_lazy("Cancelled: %(course)s"), session),
            message=_cancelled_message(session), point=enrolment.call_point,
        )
        if notification is not None:
            told.add(enrolment.resident_id)
    return told


def send_session_reminders(*, day: date | None = None) -> int:
    """The daily job: remind everyone enrolled in a session that starts the
    day after ``day`` (today). Each reminder is recorded once per enrolment
    (a unique notification), so running the job again sends nothing new.
    Returns how many reminders were recorded now."""
    day = day or timezone.localdate()
    tomorrow = day + timedelta(days=1)
    enrolments = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, session__status=SessionStatus.PLANNED,
        session__starts_at__date=tomorrow,
    ).select_related("resident", "session__course", "session__point", "session__venue", "point")
    sent = 0
    for enrolment in enrolments.iterator(chunk_size=200):
        session = enrolment.session
        with transaction.atomic():
            notification = notify_resident(
                resident=enrolment.resident, kind=REMINDER_KIND, source=enrolment,
                subject=_subject(gettext_lazy("Tomorrow: %(course)s"), session),
                message=_reminder_message(session), point=enrolment.call_point, due_on=day,
            )
        sent += notification is not None
    return sent


@transaction.atomic
def enrol_from_public_form(
    *, session: Session, first_name: str, last_name: str, phone: str
) -> Enrolment:
    """A resident enrols through the public website. Finds the resident by
    name and phone (or creates one with only that), records their consent to
    be contacted and enrols them (or puts them on the waiting list). All or
    nothing: a broken rule leaves no resident or consent behind. The same
    person enrolling twice at once is one resident (``create_resident`` locks
    on the name) and one enrolment."""
    resident = create_resident(actor=None, first_name=first_name, last_name=last_name,
                               phone=phone)
    Consent.objects.create(
        resident=resident, purpose=ConsentPurpose.CONTACT, method=ConsentMethod.DIGITAL,
        scope=_("About the training %(course)s") % {"course": session.course.title},
    )
    return enrol_in_session_or_run(actor=None, session=session, resident=resident,
                                   channel=EnrolmentChannel.PUBLIC_FORM)


def enrol_in_session_or_run(*, session: Session, alone: bool = False, **kwargs):
    """Enrol through one of a session's dates: in the whole series when the
    session is part of one (unless ``alone``: then in that session alone,
    which ``enrol`` allows only where the course does), else in the session. Returns the
    ``RunEnrolment`` or the ``Enrolment``; keyword arguments as ``enrol``."""
    if session.run_id and not alone:
        return enrol_in_run(run=session.run, **kwargs)
    return enrol(session=session, **kwargs)


@transaction.atomic
def register_interest(
    *,
    actor: User,
    resident: Resident,
    course: Course | None = None,
    topic: QuestionTopic | None = None,
    point: Point | None = None,
) -> InterestEntry:
    """Put a resident on the interest list of a course (or a topic) for which
    no suitable session is planned. Raises TrainingError when they are
    already on that list (the database refuses a second open entry too)."""
    if course is None and topic is None:
        raise TrainingError(_("Choose a training or a topic."))
    Resident.objects.select_for_update().get(pk=resident.pk)
    open_entries = InterestEntry.objects.open().filter(resident=resident)
    if course is not None and open_entries.filter(course=course).exists():
        raise TrainingError(_("%(name)s is already on the interest list for this training.")
                            % {"name": resident})
    if course is None and open_entries.filter(course__isnull=True, topic=topic).exists():
        raise TrainingError(_("%(name)s is already on the interest list for this topic.")
                            % {"name": resident})
    entry = InterestEntry.objects.create(
        resident=resident, course=course, topic=topic, point=point, registered_by=_person(actor)
    )
    record_audit(actor=actor, action=AuditAction.CREATE, resident=resident, target=entry,
                 summary=_("Put on a training interest list"))
    touch_resident(resident)
    return entry


# --- Interest becomes places ----------------------------------------------


def _fits(entry: InterestEntry, session: Session) -> bool:
    if entry.course_id is not None:
        return entry.course_id == session.course_id
    return entry.topic_id in {topic.pk for topic in session.course.topics.all()}


def tell_interest_about_places(*, now=None) -> int:
    """The job that turns interest into places: everyone on an open interest
    list for whom a session (or series) with free places is planned is told
    once (``notify_resident``: an e-mail, or a line on the call list whose
    host enrols them in one click), about one offer: at their preferred
    point first, then the soonest. People who prefer the session's point go
    first, then who asked first; no more people are told about a session
    than it has free places (a place told about stays held for
    ``INTEREST_OFFER_HOLD``). Idempotent: an entry is told once, so running
    the job again tells nobody twice. Returns how many were told now."""
    now = now or timezone.now()
    offers = [s for s in Session.objects.planned().filter(starts_at__gt=now)
              .first_of_each_run(now=now).with_place().with_counts()
              .with_run_free_places(now=now).prefetch_related("course__topics")
              .filter(course__is_active=True).order_by("starts_at", "pk")
              if s.places_left > 0 and not s.waiting_count]
    if not offers:
        return 0
    held = dict(InterestEntry.objects.open().filter(
        offered_session__in=[s.pk for s in offers], told_at__gte=now - INTEREST_OFFER_HOLD)
        .values("offered_session").annotate(n=Count("pk")).values_list("offered_session", "n"))
    room = {s.pk: s.places_left - held.get(s.pk, 0) for s in offers}
    entries = list(InterestEntry.objects.open().filter(told_at__isnull=True)
                   .filter(Q(course__in={s.course_id for s in offers})
                           | Q(course__isnull=True, topic__courses__in={s.course_id
                                                                        for s in offers}))
                   .distinct().select_related("resident", "point").order_by("created_at", "pk"))
    told = 0
    # First only the offers at each person's preferred point, then any.
    for at_preferred_point in (True, False):
        for entry in entries:
            if entry.told_at is not None:
                continue
            fitting = [s for s in offers if room[s.pk] > 0 and _fits(entry, s)
                       and (not at_preferred_point or s.point_id == entry.point_id)]
            if not fitting:
                continue
            session = fitting[0]  # the soonest
            if _tell_about_place(entry=entry, session=session, now=now):
                room[session.pk] -= 1
                told += 1
    return told


@transaction.atomic
def _tell_about_place(*, entry: InterestEntry, session: Session, now) -> bool:
    entry = InterestEntry.objects.select_for_update(of=("self",)).select_related(
        "resident", "point").get(pk=entry.pk)
    if entry.told_at is not None or entry.closed_at is not None:
        return False
    dates = list(Session.objects.planned().filter(run_id=session.run_id, starts_at__gt=now)
                 .order_by("starts_at")) if session.run_id else [session]
    notification = notify_resident(
        resident=entry.resident, kind=INTEREST_KIND, source=entry,
        subject=_subject(gettext_lazy("A place for you: %(course)s"), session),
        message=_place_for_you_message(session, dates),
        point=entry.point or session.point,
    )
    entry.told_at, entry.offered_session = now, session
    entry.save(update_fields=["told_at", "offered_session"])
    return notification is not None


def tell_interest_after_commit() -> None:
    """Ask a worker to tell the interest lists once this transaction
    commits (a session was planned). When the broker is down the job's
    schedule does it a little later: never an error for this."""
    transaction.on_commit(_kick_interest)


def _kick_interest() -> None:
    from trainings.tasks import tell_interest_about_places as task

    try:
        task.apply_async(retry=False)
    except Exception:
        logger.warning("Could not queue the interest job; its schedule runs it.", exc_info=True)


@transaction.atomic
def enrol_from_interest(*, actor: User, entry: InterestEntry,
                        point: Point | None = None) -> Enrolment | RunEnrolment:
    """The host's one click on the call list: enrol the resident in the
    session (or series) they were told about. The enrolment closes the
    interest entry."""
    entry = InterestEntry.objects.select_for_update(of=("self",)).select_related(
        "resident", "offered_session").get(pk=entry.pk)
    if entry.offered_session is None:
        raise TrainingError(_("No place was offered to this person."))
    result = enrol_in_session_or_run(actor=actor, session=entry.offered_session,
                                     resident=entry.resident, channel=EnrolmentChannel.PHONE,
                                     point=point)
    InterestEntry.objects.filter(pk=entry.pk, closed_at__isnull=True).update(
        closed_at=timezone.now())
    return result


@transaction.atomic
def enrol_from_interest_call(*, actor: User, task: CallTask) -> Enrolment | RunEnrolment:
    """The host reached the resident on the call list and enrols them in
    the place they were told about: the enrolment and the call's result
    ("reached") in one transaction."""
    if task.kind != INTEREST_KIND or task.source_type.model_class() is not InterestEntry:
        raise TrainingError(_("This call is not about a place in a training."))
    entry = InterestEntry.objects.get(pk=task.source_id)
    result = enrol_from_interest(actor=actor, entry=entry, point=task.point)
    record_call_result(actor=actor, task=task, result=CallResult.REACHED,
                       note=_("Enrolled in %(course)s") % {"course": entry.offered_session.course})
    return result


# --- Guidance ------------------------------------------------------------


@transaction.atomic
def open_guidance(*, actor: User, resident: Resident, coach: User, goal: str) -> Guidance:
    """Start an individual guidance trajectory."""
    if not coach.has_role("coach"):
        raise TrainingError(_("Only a coach can follow a guidance trajectory."))
    if not goal.strip():
        raise TrainingError(_("Describe the goal."))
    guidance = Guidance.objects.create(resident=resident, coach=coach, goal=goal.strip())
    GuidanceEvent.objects.create(guidance=guidance, actor=actor, to_status=GuidanceStatus.OPEN)
    record_audit(actor=actor, action=AuditAction.CREATE, resident=resident, target=guidance,
                 summary=_("Guidance trajectory started"))
    touch_resident(resident)
    return guidance


@transaction.atomic
def add_guidance_meeting(
    *, actor: User, guidance: Guidance, held_on: date, note: str
) -> GuidanceMeeting:
    """Record one meeting of an open trajectory."""
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if guidance.status != GuidanceStatus.OPEN:
        raise TrainingError(_("This trajectory is closed. Reopen it first."))
    _check_meeting_day(guidance, held_on)
    meeting = GuidanceMeeting.objects.create(
        guidance=guidance, held_on=held_on, coach=actor, note=note.strip()
    )
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=guidance.resident,
                 target=guidance, summary=_("Guidance meeting recorded"))
    touch_resident(guidance.resident)
    return meeting


def _check_meeting_day(guidance: Guidance, held_on: date) -> None:
    if held_on > timezone.localdate():
        raise TrainingError(_("A meeting cannot be in the future."), "held_on")
    if not guidance.allows_meeting_on(held_on):
        limit = {"start": formats.date_format(guidance.opened_on, "SHORT_DATE_FORMAT"),
                 "end": formats.date_format(guidance.closed_on or timezone.localdate(),
                                            "SHORT_DATE_FORMAT")}
        raise TrainingError(
            (_("A meeting falls within the trajectory: from %(start)s, when it started, to "
               "%(end)s, when it was closed.") if guidance.closed_on else
             _("A meeting falls within the trajectory: not before %(start)s, when it "
               "started.")) % limit, "held_on")


@transaction.atomic
def edit_guidance_meeting(*, actor: User, meeting: GuidanceMeeting, held_on: date,
                          note: str) -> GuidanceMeeting:
    """Correct a meeting's date or note. What it said before is kept in
    its history (``GuidanceMeetingEdit``), with who changed it. The date
    stays within the trajectory. Nothing changed: nothing recorded."""
    meeting = GuidanceMeeting.objects.select_for_update().select_related("guidance").get(
        pk=meeting.pk)
    note = note.strip()
    if not note:
        raise TrainingError(_("Write a short note."), "note")
    _check_meeting_day(meeting.guidance, held_on)
    if (meeting.held_on, meeting.note) == (held_on, note):
        return meeting
    GuidanceMeetingEdit.objects.create(meeting=meeting, actor=_person(actor),
                                       previous_held_on=meeting.held_on,
                                       previous_note=meeting.note)
    meeting.held_on, meeting.note = held_on, note
    meeting.save(update_fields=["held_on", "note"])
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=meeting.guidance.resident,
                 target=meeting.guidance, summary=_("Guidance meeting corrected"))
    return meeting


@transaction.atomic
def close_guidance(
    *, actor: User, guidance: Guidance, outcome: str, referred_to: Partner | None = None,
    note: str = "",
) -> Guidance:
    """Close a trajectory with its outcome; a referral names the partner."""
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if not guidance.can_move_to(GuidanceStatus.CLOSED):
        raise TrainingError(_("This trajectory is already closed."))
    if outcome not in GuidanceOutcome.values:
        raise TrainingError(_("Choose the outcome."))
    if (outcome == GuidanceOutcome.REFERRED) != (referred_to is not None):
        raise TrainingError(_("Choose a partner when, and only when, you referred the resident."))
    GuidanceEvent.objects.create(guidance=guidance, actor=actor, from_status=guidance.status,
                                 to_status=GuidanceStatus.CLOSED, note=note[:200])
    guidance.status = GuidanceStatus.CLOSED
    guidance.outcome = outcome
    guidance.referred_to = referred_to
    guidance.closed_on = timezone.localdate()
    guidance.save()
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=guidance.resident,
                 target=guidance, summary=_("Guidance trajectory closed"))
    return guidance


@transaction.atomic
def reopen_guidance(*, actor: User, guidance: Guidance) -> Guidance:
    """Open a closed trajectory again (the resident came back)."""
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if not guidance.can_move_to(GuidanceStatus.OPEN):
        raise TrainingError(_("This trajectory is already open."))
    GuidanceEvent.objects.create(guidance=guidance, actor=actor, from_status=guidance.status,
                                 to_status=GuidanceStatus.OPEN)
    guidance.status = GuidanceStatus.OPEN
    guidance.outcome = ""
    guidance.referred_to = None
    guidance.closed_on = None
    guidance.save()
    touch_resident(guidance.resident)
    return guidance


# --- Retention -----------------------------------------------------------


def residents_with_active_trainings(residents: QuerySet) -> QuerySet:
    """Residents with an upcoming enrolment or waiting-list place, or an open
    guidance trajectory: the retention job must keep them."""
    upcoming = Enrolment.objects.active().filter(
        session__status=SessionStatus.PLANNED, session__starts_at__gte=timezone.now()
    ).values("resident")
    # Waiting for a series holds no session place yet.
    run_waiting = RunEnrolment.objects.waiting().filter(
        run__sessions__status=SessionStatus.PLANNED,
        run__sessions__starts_at__gte=timezone.now()).values("resident")
    guided = Guidance.objects.open().values("resident")
    return (residents.filter(pk__in=upcoming) | residents.filter(pk__in=run_waiting)
            | residents.filter(pk__in=guided))


# --- Planning ------------------------------------------------------------


def _lock_points(*points: Point | None) -> None:
    """Lock the points a session is (or will be) at, in a fixed order, so a
    closure being added at the same moment waits (or this plan does)."""
    ids = sorted({point.pk for point in points if point is not None})
    if ids:
        list(Point.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def check_session_times(point: Point | None, moments: Sequence[tuple[datetime, datetime]]) -> None:
    """Each (start, end) must lie in the future and, at a point, inside one
    of its stops (open, not closed, the mobile point there): the calendar's
    reason otherwise, prefixed with the week of a series."""
    since = timezone.localdate(moments[0][0])
    fresh = Point.objects.with_schedule(since=since).get(pk=point.pk) if point else None
    for week, (starts_at, ends_at) in enumerate(moments, start=1):
        try:
            if fresh is None:
                calendar.check_not_past(starts_at)
            else:
                calendar.check_slot(fresh, starts_at, ends_at)
        except PlanError as exc:
            message = str(exc)
            if len(moments) > 1:
                message = _("Week %(week)s (%(day)s): %(reason)s") % {
                    "week": week, "day": f"{timezone.localtime(starts_at):%d/%m/%Y}",
                    "reason": message}
            raise TrainingError(message, exc.field) from None


@transaction.atomic
def plan_session(*, actor: User, weeks: int = 1, **fields) -> list[Session]:
    """Schedule a session of a course (fields are Session fields), or a
    series: the same day and time during ``weeks`` weeks, one ``CourseRun``
    to enrol in. All or nothing: each date must lie in the future and, at a
    point, inside its opening hours on a day it is not closed (at a mobile
    point: during a stop); TrainingError with the calendar's reason
    otherwise."""
    if not 1 <= weeks <= 12:
        raise TrainingError(_("A series runs 1 to 12 weeks."))
    point = fields.get("point")
    _lock_points(point)
    moments = [(_same_local_time(fields["starts_at"], timedelta(weeks=week)),
                _same_local_time(fields["ends_at"], timedelta(weeks=week)))
               for week in range(weeks)]
    # Online, people join from home: the point need not be open then.
    check_session_times(None if fields.get("is_online") else point, moments)
    run = CourseRun.objects.create(course=fields["course"]) if weeks > 1 else None
    sessions = []
    for starts_at, ends_at in moments:
        session = Session.objects.create(**{
            **fields, "status": SessionStatus.PLANNED, "run": run, "starts_at": starts_at,
            "ends_at": ends_at,
        })
        SessionEvent.objects.create(session=session, actor=actor,
                                    to_status=SessionStatus.PLANNED, note=_("Planned"))
        sessions.append(session)
    feeds_changed()
    # Places for the people who asked for this training.
    tell_interest_after_commit()
    return sessions


def _same_local_time(moment, shift: timedelta):
    # Keep 14:00 at 14:00 across a daylight-saving change.
    local = timezone.localtime(moment)
    return (local.replace(tzinfo=None) + shift).replace(tzinfo=local.tzinfo)


@transaction.atomic
def update_session(*, actor: User, session: Session, **fields) -> Session:
    """Change a planned session's date, place, trainer or places. A new
    time or place must fit the calendar as in ``plan_session``. More
    places go to the waiting list at once; fewer than the people already
    enrolled is refused. A session of a series takes its places from the
    series: a new number holds for every session of it still to come. When
    the time or place changes, everyone enrolled or waiting is told (once
    per change)."""
    _lock_points(session.point, fields.get("point"))
    session = _lock_session(session)
    if session.status != SessionStatus.PLANNED:
        raise TrainingError(_("Only a planned session can be changed."))
    if any(name in (*_WHEN_AND_WHERE, "is_online") and getattr(session, name) != value
           for name, value in fields.items()):
        online = fields.get("is_online", session.is_online)
        check_session_times(None if online else fields.get("point", session.point),
                            [(fields.get("starts_at", session.starts_at),
                              fields.get("ends_at", session.ends_at))])
    capacity = fields.get("capacity", session.capacity)
    # A series has one number of places: a new one holds for every session
    # of it still to come (the series' lock is held since _lock_session).
    series = ([s for s in _open_run_sessions(session.run) if s.pk != session.pk]
              if session.run_id and capacity != session.capacity else [])
    taken = _seats_taken([session, *series])
    if any(capacity < taken.get(s.pk, 0) for s in [session, *series]):
        raise TrainingError(_("More people are enrolled than this number of places. "
                              "Cancel enrolments first."))
    for other in series:
        other.capacity = capacity
        other.save(update_fields=["capacity"])
        SessionEvent.objects.create(
            session=other, actor=actor, from_status=other.status, to_status=other.status,
            note=_("Places changed for the whole series"))
    moved = any(name in _WHEN_AND_WHERE and getattr(session, name) != value
                for name, value in fields.items())
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    feeds_changed()
    event = SessionEvent.objects.create(
        session=session, actor=actor, from_status=session.status, to_status=session.status,
        note=_("New time or place") if moved else _("Changed"))
    if moved:
        session = _lock_session(session)  # reload the new point or venue for the message
        for enrolment in session.enrolments.active().select_related("resident", "point"):
            # The change event is the source: each change is told once.
            notify_resident(
                resident=enrolment.resident, kind=CHANGED_KIND, source=event,
                subject=_subject(gettext_lazy("New time or place: %(course)s"), session),
                message=_changed_message(session), point=enrolment.call_point,
            )
    promote_from_waiting_list(actor=actor, session=session)
    return session


_WHEN_AND_WHERE = ("starts_at", "ends_at", "point", "venue", "room")


# --- The calendar's view of sessions (registered in TrainingsConfig.ready) ---


class SessionPlans:
    """Planned sessions at points, for the calendar: a closure added over
    them lists them, and confirming it cancels them (everyone told)."""

    def planned(self, point_ids: Sequence[int] | None, start: datetime, end: datetime
                ) -> list[PlannedItem]:
        sessions = Session.objects.planned().filter(
            point__isnull=False, is_online=False, starts_at__lt=end, ends_at__gt=start)
        if point_ids is not None:
            sessions = sessions.filter(point_id__in=point_ids)
        sessions = list(sessions.select_related("course").annotate(people=Count(
            "enrolments", filter=Q(enrolments__status__in=(EnrolmentStatus.ENROLLED,
                                                           EnrolmentStatus.WAITING)))))
        kept = self._kept_of_series(sessions)
        return [PlannedItem(
            key=f"sessions:{session.pk}", point_id=session.point_id,
            starts_at=session.starts_at, ends_at=session.ends_at, label=str(session),
            people=session.people, url=reverse("trainings:session-detail", args=[session.pk]),
            note=kept.get(session.run_id, ""),
        ) for session in sessions]

    @staticmethod
    def _kept_of_series(sessions: list[Session]) -> dict[int, str]:
        """For each series among ``sessions``: what it keeps when they are
        cancelled ("The series keeps only session 4 of 4")."""
        run_ids = {session.run_id for session in sessions if session.run_id}
        if not run_ids:
            return {}
        gone = {session.pk for session in sessions}
        remaining: dict[int, list[str]] = {run_id: [] for run_id in run_ids}
        for other in (Session.objects.planned().upcoming().filter(run_id__in=run_ids)
                      .with_run_position().order_by("starts_at", "pk")):
            if other.pk not in gone:
                remaining[other.run_id].append(_("session %(number)s of %(size)s") % {
                    "number": other.run_number, "size": other.run_size})
        return {run_id: (_("The series keeps only: %(sessions)s.") % {
            "sessions": ", ".join(kept)} if kept else _("The series keeps no session."))
            for run_id, kept in remaining.items()}

    def cancel(self, keys: Sequence[str], *, reason: str, actor) -> int:
        """Cancel the sessions; how many people were told, each once."""
        told: set[int] = set()
        ids = sorted(int(key.split(":", 1)[1]) for key in keys)
        for session in Session.objects.filter(pk__in=ids, status=SessionStatus.PLANNED):
            told |= _cancel_session(actor=actor, session=session, reason=reason)
        return len(told)
