"""State changes of points and the counter. Each function is one
transaction that checks the rule, locks the row whose state changes, and
writes the history (VisitEvent, AuditEvent) in the same transaction."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.changes import visit_changed
from digibank.locks import lock_on
from digibank.models import AuditAction, District, Resident, User
from digibank.pseudonyms import visitor_key
from digibank.services import create_resident, record_audit, touch_resident
from points import calendar
from points.calendar import PlanError, PlannedItem
from points.models import (
    BRUSSELS,
    Channel,
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    PointKind,
    QuestionTopic,
    Visit,
    VisitEvent,
    VisitOutcome,
    VisitStatus,
    day_bounds,
)

POSTCODE = re.compile(r"\d{4}")


class VisitError(Exception):
    """A counter rule was broken; the message is for the user."""


class ScheduleError(Exception):
    """An opening-hours, closure or deployment rule was broken; the message is
    for the user, ``field`` names the form field it belongs next to
    ("day", "start", "end", or "" for the form as a whole)."""

    def __init__(self, message: str, field: str = "",
                 problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.field = field
        # Every broken rule as (field, message), for a form that shows each
        # next to its field; a single rule by default.
        self.problems = problems or [(field, message)]

    @classmethod
    def of(cls, problems: list[tuple[str, str]]) -> "ScheduleError":
        """One error for several broken rules: its message says them all,
        its field is the first one's."""
        return cls(" ".join(message for _field, message in problems), problems[0][0],
                   problems=problems)


# --- visits ---

_TIMESTAMP_OF = {
    VisitStatus.WITH_HOST: "served_at",
    VisitStatus.WAITING_FOR_COACH: "handed_over_at",
    VisitStatus.WITH_COACH: "coach_started_at",
    VisitStatus.DONE: "finished_at",
    VisitStatus.LEFT: "finished_at",
}


def _move(visit: Visit, to: str, *, actor: User | None, at: datetime, note: str = "") -> None:
    """Change a locked visit's status, stamp its time and write the event."""
    if not visit.can_become(to):
        raise VisitError(_("This visit is already “%(status)s”; someone else may have "
                           "handled it.") % {"status": visit.get_status_display()})
    event = VisitEvent(visit=visit, at=at, actor=actor, from_status=visit.status, to_status=to,
                       note=note[:300])
    visit.status = to
    setattr(visit, _TIMESTAMP_OF[VisitStatus(to)], at)
    visit.save()
    event.save()
    # A visit of an earlier day (still open after midnight) changes that
    # day's dashboard figures: its roll-up must be rebuilt.
    visit_changed(visit.arrived_at)


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _check_works_at(actor: User, point: Point) -> None:
    if not Point.objects.for_staff(actor).filter(pk=point.pk).exists():
        raise VisitError(_("You do not work at %(point)s.") % {"point": point})


def _link_resident(visit: Visit, resident: Resident | None, actor: User) -> None:
    if resident is None:
        return
    touch_resident(resident)
    record_audit(actor=actor, action=AuditAction.CREATE, resident=resident, target=visit,
                 summary=_("Counter visit recorded"))


class NextStep:
    """What happens right after registering a visit at the counter."""

    QUEUE = "queue"  # the visitor waits for a host
    SOLVED = "solved"  # answered on the spot (a quick question), with an outcome
    COACH = "coach"  # straight to the coach queue


@transaction.atomic
def register_visit(
    *,
    point: Point,
    actor: User,
    topics: Iterable[QuestionTopic] = (),
    channel: Channel | None = None,
    resident: Resident | None = None,
    new_resident: dict | None = None,
    someone_else: bool = False,
    note: str = "",
    next_step: str = NextStep.QUEUE,
    outcome: str = "",
    at: datetime | None = None,
    visitor_word: str = "",
    submit_key: UUID | None = None,
) -> Visit:
    """Register a visitor at ``point``'s counter.

    ``next_step`` QUEUE leaves the visit waiting; SOLVED has the actor serve
    and finish it with ``outcome`` (default: solved); COACH has the actor
    serve it and hand it to the coach queue. ``new_resident`` (first_name,
    last_name, phone) creates a resident record only when no ``resident``
    is chosen: the known person with the same identity, unless the host
    ticked ``someone_else`` (then always a new record). ``visitor_word``,
    given with the visitor's agreement when there is no resident, is stored
    only as a keyed hash (digibank.pseudonyms) so unique people can be
    counted. ``submit_key``, the counter form's
    one-time key: a form sent again (double click, 20 identical posts at
    once) returns the visit the first one registered. A known person is
    one arrival: the same visit (point, topics, channel, note) registered for
    them less than ``SAME_ARRIVAL_WINDOW`` ago, from another form, is
    returned instead of a second one. Raises VisitError when
    the actor does not work at ``point``.
    """
    _check_works_at(actor, point)
    if submit_key is not None:
        lock_on("visit-form", str(submit_key))
        earlier = Visit.objects.filter(submit_key=submit_key).first()
        if earlier is not None:
            return earlier
    at = at or timezone.now()
    topics = list(topics)
    if resident is None and new_resident:
        resident = create_resident(actor=actor, someone_else=someone_else, **new_resident)
    if resident is not None:
        same = _same_visit_just_registered(point=point, resident=resident, topics=topics,
                                           channel=channel, note=note, at=at)
        if same is not None:
            return same
    key = "" if resident is not None else visitor_key(visitor_word)
    visit = Visit.objects.create(point=point, resident=resident, channel=channel, note=note,
                                 arrived_at=at, visitor_key=key, submit_key=submit_key)
    visit.topics.set(topics)
    VisitEvent.objects.create(visit=visit, at=at, actor=actor, to_status=VisitStatus.WAITING)
    _link_resident(visit, resident, actor)
    if next_step in (NextStep.SOLVED, NextStep.COACH):
        visit.host = actor
        _move(visit, VisitStatus.WITH_HOST, actor=actor, at=at)
    if next_step == NextStep.SOLVED:
        visit.outcome = outcome or VisitOutcome.SOLVED
        _move(visit, VisitStatus.DONE, actor=actor, at=at)
    elif next_step == NextStep.COACH:
        _move(visit, VisitStatus.WAITING_FOR_COACH, actor=actor, at=at)
    visit_changed(visit.arrived_at)  # a visit registered afterwards (``at`` on an earlier day)
    return visit


# One person arriving once: the same visit registered again this soon (from
# another counter form, another tab) is the same arrival.
SAME_ARRIVAL_WINDOW = timedelta(minutes=1)


def _same_visit_just_registered(*, point: Point, resident: Resident, topics: list,
                                channel: Channel | None, note: str, at: datetime
                                ) -> Visit | None:
    """The visit of ``resident`` at ``point`` with the same topics, channel and
    note that arrived within ``SAME_ARRIVAL_WINDOW`` of ``at``, if any (either
    side: a request that waited for the lock took its time before the
    first one's).
    Locks the resident's row first, so registrations of one person wait for
    each other and the second sees the first."""
    Resident.objects.select_for_update().filter(pk=resident.pk).first()
    wanted = {topic.pk for topic in topics}
    recent = (Visit.objects.filter(point=point, resident=resident, channel=channel, note=note,
                                   arrived_at__range=(at - SAME_ARRIVAL_WINDOW,
                                                      at + SAME_ARRIVAL_WINDOW))
              .prefetch_related("topics").order_by("arrived_at", "pk"))
    return next((visit for visit in recent
                 if {topic.pk for topic in visit.topics.all()} == wanted), None)


@transaction.atomic
def take_visit(*, visit: Visit, actor: User) -> Visit:
    """A host takes a waiting visitor. Two hosts cannot both take the same
    visitor: the row is locked and the second gets a VisitError."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if visit.status != VisitStatus.WAITING:
        raise VisitError(_("Someone else already helps this visitor."))
    visit.host = actor
    _move(visit, VisitStatus.WITH_HOST, actor=actor, at=timezone.now())
    return visit


@transaction.atomic
def hand_over_to_coach(*, visit: Visit, actor: User, note: str = "") -> Visit:
    """Put a visit in the coach queue of its point. A waiting visitor is
    first taken by the actor, so the hand-over needs one click."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    now = timezone.now()
    if visit.status == VisitStatus.WAITING:
        visit.host = actor
        _move(visit, VisitStatus.WITH_HOST, actor=actor, at=now)
    if note:
        visit.note = note[:300]
    _move(visit, VisitStatus.WAITING_FOR_COACH, actor=actor, at=now, note=note)
    return visit


@transaction.atomic
def take_back_from_coach(*, visit: Visit, actor: User) -> Visit:
    """Undo "To the coach" while the visit still waits for a coach: it goes
    back to the host (the actor), who can then finish, correct or cancel it.
    The time the host first served it stays (the waiting time does not
    change); the hand-over time is cleared and the history keeps both
    steps. Raises VisitError once a coach has taken it."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if visit.status != VisitStatus.WAITING_FOR_COACH:
        raise VisitError(_("A coach already took this visit; ask them."))
    event = VisitEvent(visit=visit, at=timezone.now(), actor=actor, from_status=visit.status,
                       to_status=VisitStatus.WITH_HOST, note=_("To the coach: taken back"))
    visit.status = VisitStatus.WITH_HOST
    visit.host = actor
    visit.handed_over_at = None
    visit.served_at = visit.served_at or event.at
    visit.save()
    event.save()
    visit_changed(visit.arrived_at)
    return visit


@transaction.atomic
def take_over_visit(*, visit: Visit, actor: User) -> Visit:
    """A coach takes a handed-over visit; only one coach can."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if visit.status != VisitStatus.WAITING_FOR_COACH:
        raise VisitError(_("Another coach already took this visit."))
    visit.coach = actor
    _move(visit, VisitStatus.WITH_COACH, actor=actor, at=timezone.now())
    return visit


@transaction.atomic
def finish_visit(*, visit: Visit, actor: User, outcome: str, note: str = "") -> Visit:
    """Close a visit with an outcome. A waiting visitor is first taken by the
    actor (a host answering straight from the queue)."""
    if outcome not in VisitOutcome.values:
        raise VisitError(_("Choose how the visit ended."))
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    now = timezone.now()
    if visit.status == VisitStatus.WAITING:
        visit.host = actor
        _move(visit, VisitStatus.WITH_HOST, actor=actor, at=now)
    visit.outcome = outcome
    if note:
        visit.note = note[:300]
    _move(visit, VisitStatus.DONE, actor=actor, at=now, note=note)
    if visit.resident_id:
        touch_resident(visit.resident)
    return visit


@transaction.atomic
def mark_visit_left(*, visit: Visit, actor: User) -> Visit:
    """The visitor left without help."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    _move(visit, VisitStatus.LEFT, actor=actor, at=timezone.now())
    return visit


@transaction.atomic
def correct_visit(
    *,
    visit: Visit,
    actor: User,
    topics: Iterable[QuestionTopic],
    channel: Channel | None,
    resident: Resident | None,
    outcome: str,
    note: str,
) -> Visit:
    """Correct what was recorded about a visit, on the same day only. The
    status does not change; the event lists the corrected fields."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if not visit.is_correctable:
        raise VisitError(_("A visit can only be corrected on the day itself."))
    if visit.status == VisitStatus.DONE and not outcome:
        raise VisitError(_("A finished visit needs an outcome."))
    if visit.status != VisitStatus.DONE and outcome:
        raise VisitError(_("Only a finished visit has an outcome."))
    changed = []
    old_topics = set(visit.topics.values_list("pk", flat=True))
    new_topics = {topic.pk for topic in topics}
    if old_topics != new_topics:
        changed.append("topics")
        visit.topics.set(topics)
    for field, value in (("channel", channel), ("resident", resident), ("outcome", outcome),
                         ("note", note)):
        if getattr(visit, field) != value:
            changed.append(field)
            setattr(visit, field, value)
    if not changed:
        return visit
    visit.save()
    visit_changed(visit.arrived_at)
    # The history names the fields as the screen does (in the interface's
    # language), not as the code does.
    names = ", ".join(str(Visit._meta.get_field(field).verbose_name) for field in changed)
    VisitEvent.objects.create(
        visit=visit, at=timezone.now(), actor=actor, from_status=visit.status,
        to_status=visit.status, note=_("Corrected: %(fields)s") % {"fields": names},
    )
    if "resident" in changed:
        _link_resident(visit, resident, actor)
    return visit


@transaction.atomic
def undo_left(*, visit: Visit, actor: User) -> Visit:
    """The visitor did not leave after all (marked "left without help" by
    mistake): the visit goes back to where it was, on the same day only. The
    history keeps both steps."""
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if visit.status != VisitStatus.LEFT:
        raise VisitError(_("This visit is not marked as left without help."))
    if not visit.is_correctable:
        raise VisitError(_("“Left without help” can only be undone on the day itself."))
    left = visit.events.filter(to_status=VisitStatus.LEFT).order_by("-at", "-pk").first()
    back_to = left.from_status if left and left.from_status else VisitStatus.WAITING
    visit.status = back_to
    visit.finished_at = None
    visit.save()
    VisitEvent.objects.create(visit=visit, at=timezone.now(), actor=actor,
                              from_status=VisitStatus.LEFT, to_status=back_to,
                              note=_("Left without help: undone"))
    visit_changed(visit.arrived_at)
    return visit


@transaction.atomic
def cancel_visit(*, visit: Visit, actor: User, reason: str) -> None:
    """Take back a visit registered by mistake, on its own day only: it is
    removed, so it counts nowhere (no figure, no queue, no unique person).
    Who cancelled which visit, when and why stays in the audit trail, with
    what the visit held (its time, point, status, outcome and topics), for
    the resident's record when it had one. Raises VisitError without a
    reason or on another day."""
    reason = reason.strip()
    if not reason:
        raise VisitError(_("Say why the visit is cancelled."))
    visit = _locked(visit)
    _check_works_at(actor, visit.point)
    if not visit.is_correctable:
        raise VisitError(_("A visit can only be cancelled on the day itself."))
    arrived = timezone.localtime(visit.arrived_at)
    record_audit(
        actor=actor, action=AuditAction.CHANGE, resident=visit.resident, target=visit,
        summary=_("Visit of %(time)s at %(point)s cancelled: %(reason)s") % {
            "time": f"{arrived:%d/%m/%Y %H:%M}", "point": visit.point, "reason": reason},
        detail={"cancelled_visit": visit.pk, "point": visit.point_id,
                "arrived_at": visit.arrived_at.isoformat(),
                "status": visit.status, "outcome": visit.outcome,
                "topics": sorted(visit.topics.values_list("name", flat=True)),
                "reason": reason[:300]},
    )
    visit_changed(visit.arrived_at)
    visit.delete()


# --- opening hours and deployments ---


def _fresh(point: Point, since: date) -> Point:
    """The point with its current periods, closures and deployments (the
    calendar reads them), after the caller's change."""
    return Point.objects.with_schedule(since=since).get(pk=point.pk)


def _describe(items: Iterable[PlannedItem]) -> str:
    return "; ".join(item.label for item in items)


def _lost_plans(point: Point, start: datetime, end: datetime, **what_if) -> list[PlannedItem]:
    """The plans at ``point`` between ``start`` and ``end`` that would lie
    in no stop if its periods or deployments were ``what_if`` (the
    keyword arguments of ``calendar.stops_on``)."""
    start = max(start, timezone.now())
    if end <= start:
        return []
    items = calendar.planned_items([point.pk], start, end)
    if not items:
        return []
    fresh = _fresh(point, calendar.local(start).date())
    holidays = calendar.holidays_between(calendar.local(start).date(),
                                         calendar.local(end).date())
    return calendar.items_that_no_longer_fit(
        fresh, items, stops_for=lambda day: calendar.stops_on(fresh, day, holidays, **what_if))


def _refuse_lost(lost: list[PlannedItem]) -> None:
    if lost:
        raise ScheduleError(_("Then these plans would fall outside the opening hours: "
                              "%(plans)s. Move or cancel them first.") % {
            "plans": _describe(lost)})


def check_hours_keep_plans(point: Point, periods: Iterable[OpeningPeriod]) -> None:
    """Raise ScheduleError when ``periods`` as the point's opening hours
    would leave an upcoming plan (a training) or, for a mobile point, a
    deployment outside them. Every door that changes hours asks this first:
    the hours screen, the admin and the import."""
    periods = list(periods)
    now = timezone.now()
    _refuse_lost(_lost_plans(point, now, now + timedelta(days=calendar.PLAN_HORIZON_DAYS),
                             periods=periods))
    if not point.is_mobile or not periods:
        return
    fresh = _fresh(point, timezone.localdate())
    for deployment in fresh.deployments.all():
        if deployment.ends_at <= now:
            continue
        try:
            calendar.check_deployment(fresh, deployment.starts_at, deployment.ends_at,
                                      past_ok=True, periods=periods)
        except PlanError as exc:
            raise ScheduleError(_("The deployment at %(place)s on %(day)s: %(reason)s") % {
                "place": deployment.place,
                "day": f"{calendar.local(deployment.starts_at):%d/%m/%Y}",
                "reason": exc}) from None


@transaction.atomic
def set_opening_hours(*, point: Point, periods: Iterable[dict]) -> list[OpeningPeriod]:
    """Replace a point's opening periods with ``periods`` (dicts of weekday,
    opens, closes, valid_from, valid_until). Refuses a period that closes
    before it opens or that overlaps another on the same day, and hours
    that would leave a planned training or deployment outside them. The
    point row is locked so two coordinators cannot save clashing hours at
    once."""
    Point.objects.select_for_update().get(pk=point.pk)
    new = [OpeningPeriod(point=point, **data) for data in periods]
    for index, period in enumerate(new):
        if period.closes <= period.opens:
            raise ScheduleError(_("A period must close after it opens."))
        for other in new[:index]:
            if period.overlaps(other):
                raise ScheduleError(_("Two periods on %(day)s overlap.") % {
                    "day": period.get_weekday_display()})
    check_hours_keep_plans(point, new)
    point.opening_periods.all().delete()
    return OpeningPeriod.objects.bulk_create(new)


def validate_deployment(deployment: MobileDeployment) -> None:
    """Raise ScheduleError when ``deployment`` (new or changed, not saved)
    cannot be planned: see ``plan_deployment``. Every broken rule is in
    the error's ``problems`` at once (address, postcode, time, overlap), so
    the coordinator's form, the admin's and the demand page show them all
    next to their fields."""
    point = Point.objects.get(pk=deployment.point_id)
    if point.kind != PointKind.MOBILE:
        raise ScheduleError(_("Only a mobile point can be deployed."))
    problems: list[tuple[str, str]] = []
    if not deployment.street.strip() or not POSTCODE.fullmatch(deployment.postcode or ""):
        problems.append(("street", _("Give the street and number and the postcode of the "
                                     "stop, so residents find it.")))
    district = District.objects.select_related("parent").filter(
        pk=deployment.district_id).first()
    if (district is not None and POSTCODE.fullmatch(deployment.postcode or "")
            and not district.accepts_postcode(deployment.postcode)):
        problems.append(("postcode", _(
            "Postcode %(postcode)s does not lie in %(district)s (postcode %(postcodes)s). "
            "Check the postcode or choose the right deelgemeente.") % {
            "postcode": deployment.postcode, "district": district,
            "postcodes": ", ".join(sorted(district.postcodes()))}))
    old = MobileDeployment.objects.filter(pk=deployment.pk).first() if deployment.pk else None
    moved = old is None or (old.starts_at, old.ends_at) != (deployment.starts_at,
                                                           deployment.ends_at)
    if moved:  # an unmoved one may change its place, theme or topic
        problems += [(problem.field, str(problem)) for problem in calendar.deployment_problems(
            _fresh(point, calendar.local(deployment.starts_at).date()),
            deployment.starts_at, deployment.ends_at)]
        clash = MobileDeployment.objects.overlapping(
            point, deployment.starts_at, deployment.ends_at).exclude(pk=deployment.pk).first()
        if clash is not None and deployment.ends_at > deployment.starts_at:
            problems.append(("start", _(
                "This overlaps the deployment at %(place)s on %(day)s.") % {
                "place": clash.place,
                "day": f"{timezone.localtime(clash.starts_at):%d/%m/%Y}"}))
    if problems:
        raise ScheduleError.of(problems)
    if old is not None and moved:
        others = list(MobileDeployment.objects.filter(point=point).exclude(pk=old.pk))
        _refuse_lost(_lost_plans(point, old.starts_at, old.ends_at,
                                 deployments=[*others, deployment]))


class DeploymentGone(ScheduleError):
    """The deployment was removed meanwhile (in another tab, by someone else)."""

    def __init__(self):
        super().__init__(_("This deployment no longer exists."))


class DeploymentChanged(ScheduleError):
    """Someone else saved the deployment after the form was shown;
    ``current`` is the deployment as it is now."""

    def __init__(self, current: MobileDeployment):
        super().__init__(_("Someone else changed this deployment in the meantime. "
                           "Your changes were not saved; these are the current values."))
        self.current = current


@transaction.atomic
def plan_deployment(*, deployment: MobileDeployment,
                    seen_version: int | None = None) -> MobileDeployment:
    """Save a (new or changed) deployment of a mobile point. Refuses one that
    ends before it starts, starts in the past, falls on a closure of the
    point or the city, lies outside the mobile point's own hours (when it
    has any), overlaps another deployment of the same point, or, when
    moved, would leave a planned training at the point without a stop.
    The point row is locked so two saves (or a save and a closure) cannot
    both slip through. A change of an existing deployment given
    ``seen_version`` (the version its form showed) raises
    ``DeploymentChanged`` when someone saved it in between, and
    ``DeploymentGone`` when it was removed."""
    Point.objects.select_for_update().get(pk=deployment.point_id)
    if deployment.pk:
        current = MobileDeployment.objects.select_for_update().filter(pk=deployment.pk).first()
        if current is None:
            raise DeploymentGone
        if seen_version is not None and current.version != seen_version:
            raise DeploymentChanged(current)
        deployment.version = current.version + 1
    validate_deployment(deployment)
    deployment.save()
    return deployment


def free_deployment_slots(points: Iterable[Point], days: list[date], *,
                          hours: tuple[time, time] = (time(10), time(16)),
                          horizon: int = 28) -> list[tuple[Point, date] | None]:
    """For each wished day in ``days``: the first mobile point (in the order
    given) free on that day from ``hours[0]`` to ``hours[1]``, else on the
    first day after it (within ``horizon`` days) where one is free. Free: no
    deployment of that point overlaps, and ``calendar.check_deployment``
    accepts it (not past, no closure, service hours, the point's own hours).
    A slot given to one wish is taken for the next, so a page of plan forms
    offers a different free slot on each. None where nothing is free. A
    fixed number of queries, however many wishes."""
    candidates = list(points)
    if not days or not candidates:
        return [None] * len(days)
    prefetch_related_objects(candidates, "closures", "opening_periods")
    first, last = min(days), max(days) + timedelta(days=horizon)
    holidays = calendar.holidays_between(first, last)
    booked: dict[int, list[tuple[datetime, datetime]]] = {point.pk: [] for point in candidates}
    for deployment in MobileDeployment.objects.filter(
            point__in=candidates, starts_at__lt=calendar.day_start(last + timedelta(days=1)),
            ends_at__gt=calendar.day_start(first)).only("point_id", "starts_at", "ends_at"):
        booked[deployment.point_id].append((deployment.starts_at, deployment.ends_at))

    def free(point: Point, day: date) -> tuple[datetime, datetime] | None:
        starts_at = datetime.combine(day, hours[0], tzinfo=BRUSSELS)
        ends_at = datetime.combine(day, hours[1], tzinfo=BRUSSELS)
        if any(start < ends_at and starts_at < end for start, end in booked[point.pk]):
            return None
        try:
            calendar.check_deployment(point, starts_at, ends_at, holidays=holidays)
        except PlanError:
            return None
        return starts_at, ends_at

    slots: list[tuple[Point, date] | None] = []
    for wish in days:
        slot = None
        for offset in range(horizon + 1):
            day = wish + timedelta(days=offset)
            slot = next(((point, day, span) for point in candidates
                         if (span := free(point, day)) is not None), None)
            if slot is not None:
                break
        if slot is None:
            slots.append(None)
            continue
        point, day, span = slot
        booked[point.pk].append(span)
        slots.append((point, day))
    return slots


@transaction.atomic
def remove_deployment(*, deployment: MobileDeployment) -> None:
    """Delete a deployment, unless a planned training at the mobile point
    needs its stop (move or cancel the training first). Raises
    ``DeploymentGone`` when it was removed meanwhile."""
    point = Point.objects.select_for_update().get(pk=deployment.point_id)
    if not MobileDeployment.objects.filter(pk=deployment.pk).exists():
        raise DeploymentGone
    others = list(MobileDeployment.objects.filter(point=point).exclude(pk=deployment.pk))
    _refuse_lost(_lost_plans(point, deployment.starts_at, deployment.ends_at,
                             deployments=others))
    deployment.delete()


# --- closures ---


@dataclass
class Clashes:
    """What a closure would fall on: plans of other apps (training sessions,
    with the people in them) and mobile deployments."""

    items: list[PlannedItem] = dataclass_field(default_factory=list)
    deployments: list[MobileDeployment] = dataclass_field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items or self.deployments)

    @property
    def token(self) -> str:
        """Names exactly these clashes (a digest, short however many there
        are): a confirmation holds for them only."""
        keys = [item.key for item in self.items]
        keys += [f"deployment:{deployment.pk}" for deployment in self.deployments]
        return hashlib.sha256(",".join(sorted(keys)).encode()).hexdigest()[:32]

    @property
    def people(self) -> int:
        return sum(item.people for item in self.items)


class ClosureClash(ScheduleError):
    """The closure falls on plans; confirm with ``clashes.token`` to add it
    and cancel them."""

    def __init__(self, clashes: Clashes):
        super().__init__(_("This closure falls on plans. Check them and confirm."))
        self.clashes = clashes


@dataclass
class ClosureResult:
    closure: Closure
    cancelled: int = 0  # plans of other apps (training sessions)
    told: int = 0  # people told
    removed: int = 0  # deployments with no stop left


def closure_clashes(*, point: Point | None, starts_on: date, ends_on: date) -> Clashes:
    """The plans still to come that a closure of ``point`` (city-wide when
    None) from ``starts_on`` to ``ends_on`` would fall on."""
    start = max(calendar.day_start(starts_on), timezone.now())
    end = calendar.day_start(ends_on + timedelta(days=1))
    if end <= start:
        return Clashes()
    deployments = MobileDeployment.objects.filter(starts_at__lt=end, ends_at__gt=start)
    if point is not None:
        deployments = deployments.filter(point=point)
    return Clashes(
        items=calendar.planned_items([point.pk] if point else None, start, end),
        deployments=list(deployments.select_related("point", "district").order_by("starts_at")),
    )


@transaction.atomic
def add_closure(*, actor: User | None, point: Point | None, starts_on: date, ends_on: date,
                reason: str, confirm: str = "") -> ClosureResult:
    """Close ``point`` (every point when None: a city-wide holiday) from
    ``starts_on`` to ``ends_on``.

    When the closure falls on plans still to come, it is refused with a
    ClosureClash that lists them, unless ``confirm`` is the token of exactly
    those clashes (what the coordinator saw): then the training sessions are
    cancelled and everyone in them is told (``notify_resident``, through
    the app that planned them), and deployments left without any stop are
    removed. The points are locked first, so no plan slips in between."""
    if ends_on < starts_on:
        raise ScheduleError(_("The last day comes before the first day."), "end")
    if not reason.strip():
        raise ScheduleError(_("Give a reason: residents see it."))
    locked = Point.objects.select_for_update().order_by("pk")
    list(locked.filter(pk=point.pk) if point else locked)
    _refuse_double_closure(point=point, starts_on=starts_on, ends_on=ends_on)
    clashes = closure_clashes(point=point, starts_on=starts_on, ends_on=ends_on)
    if clashes and confirm != clashes.token:
        raise ClosureClash(clashes)
    closure = Closure.objects.create(point=point, starts_on=starts_on, ends_on=ends_on,
                                     reason=reason.strip())
    result = ClosureResult(closure=closure, cancelled=len(clashes.items))
    result.told = calendar.cancel_items(
        clashes.items, actor=actor,
        reason=_("Closed: %(reason)s") % {"reason": closure.reason})
    for deployment in clashes.deployments:
        start, end = calendar.local(deployment.starts_at), calendar.local(deployment.ends_at)
        fresh = _fresh(deployment.point, start.date())
        if not any(stop.deployment == deployment for stop in calendar.stops_between(
                fresh, start.date(), end.date())):
            deployment.delete()
            result.removed += 1
    record_audit(actor=actor, action=AuditAction.CREATE, target=closure, summary=_(
        "Closure added: %(closure)s; %(cancelled)s plans cancelled, %(removed)s deployments "
        "removed") % {"closure": closure, "cancelled": result.cancelled,
                      "removed": result.removed})
    return result


def _refuse_double_closure(*, point: Point | None, starts_on: date, ends_on: date) -> None:
    """A closure may not share a day with another of the same point (or,
    city-wide, with another holiday), nor repeat a city-wide holiday that
    already closes the point on all its days: the second of two tabs
    confirming the same closure is refused here (the points are locked),
    and on PostgreSQL the exclusion constraint closure_days_do_not_overlap
    holds it too."""
    same = (Closure.objects.filter(point=point, starts_on__lte=ends_on, ends_on__gte=starts_on)
            .order_by("starts_on").first())
    if same is None and point is not None:
        same = Closure.objects.filter(point=None, starts_on__lte=starts_on,
                                      ends_on__gte=ends_on).first()
    if same is not None:
        raise ScheduleError(_(
            "These days are already closed: %(reason)s (%(start)s – %(end)s). Change or "
            "remove that closure instead.") % {
                "reason": same.reason, "start": f"{same.starts_on:%d/%m/%Y}",
                "end": f"{same.ends_on:%d/%m/%Y}"}, "start")


@transaction.atomic
def remove_closure(*, actor: User | None, closure: Closure) -> None:
    """Delete a closure (the point opens again as usual that day)."""
    record_audit(actor=actor, action=AuditAction.CHANGE, target=closure,
                 summary=_("Closure removed: %(closure)s") % {"closure": closure})
    closure.delete()


def close_stale_visits(today: date | None = None) -> int:
    """Mark visits still open from an earlier day as left, so queues start
    empty each morning and a forgotten visit does not keep a resident from
    retention. Idempotent by state: a second run finds nothing. Returns how
    many visits were closed."""
    start_of_today, _end = day_bounds(today or timezone.localdate())
    closed = 0
    stale = Visit.objects.open().filter(arrived_at__lt=start_of_today)
    for visit_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            visit = Visit.objects.select_for_update().get(pk=visit_id)
            if not visit.is_open:
                continue
            _move(visit, VisitStatus.LEFT, actor=None, at=timezone.now(),
                  note=_("Closed automatically: still open at the end of the day."))
            closed += 1
    return closed
