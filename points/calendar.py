"""The one calendar of Digibank: when a point is open, where a mobile point
stands, and whether a plan fits.

Everything that says "open", "closed" or "here" reads this module: the
public pages, the info screen, the finder, the open data (JSON, JSON-LD,
the OpenStreetMap ``opening_hours`` string, the iCal feeds), the planning
services behind every form, the admin and the closure flow. So no page can
say a point is open while another says it is closed.

Its unit is the **stop**: one interval of one local day during which a
point is open, with, for a mobile point, the deployment that puts it
somewhere. ``stops_on(point, day)`` builds them:

- nothing on a day the point is inactive or closed (its own closure or a
  city-wide holiday);
- a fixed point: its opening periods valid that day (overlapping or
  touching periods merged);
- a mobile point: each deployment's span on that day; when the point has
  opening periods at all, narrowed to those valid that day.

Opening hours are wall-clock times in Europe/Brussels, so 09:00-12:00
stays 09:00-12:00 across the DST changes. Pass points from
``Point.objects.with_schedule()`` (and the city-wide holidays of the range,
``holidays_between``) to keep a page's query count constant.

Plans (a training session, a mobile deployment) must lie inside one stop
and not in the past: ``check_slot`` and ``check_deployment`` raise a
``PlanError`` with the reason in Dutch and the field it belongs next to.
Apps that plan things at points (trainings) register a ``PlanSource`` so a
closure added later over existing plans can list and cancel them
(``points.services.add_closure``) without points importing them.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from points.models import BRUSSELS, LOOKAHEAD_DAYS, Closure, local

# How far ahead plans are checked and the open data describes the hours.
PLAN_HORIZON_DAYS = 400

# When a mobile point can stand somewhere: residents come by day, a host
# works by day, so a stop lies within one day between these hours (a stop
# from 22:00 to 23:30, or one left standing overnight, is a typing error).
SERVICE_HOURS = (time(7, 0), time(22, 0))

if TYPE_CHECKING:
    from points.models import MobileDeployment, OpeningPeriod, Point


# --- stops ------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """One opening interval of one local day (aware Brussels datetimes); for
    a mobile point, with the deployment that says where it stands."""

    start: datetime
    end: datetime
    deployment: "MobileDeployment | None" = None

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def place(self) -> str:
        return self.deployment.place if self.deployment else ""

    @property
    def address(self) -> str:
        return self.deployment.address if self.deployment else ""

    @property
    def district(self):
        return self.deployment.district if self.deployment else None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)


def holidays_between(start: date, end: date) -> list[Closure]:
    """City-wide holidays (closures without a point) touching ``start..end``."""
    return list(Closure.objects.filter(point__isnull=True, starts_on__lte=end, ends_on__gte=start))


def closure_on(point: "Point", day: date, holidays: Iterable[Closure] | None = None
               ) -> Closure | None:
    """The closure (of this point, or city-wide) covering ``day``, or None.
    The point's own closures come from its prefetched ``closures``."""
    if holidays is None:
        holidays = holidays_between(day, day)
    for closure in (*holidays, *point.closures.all()):
        if closure.starts_on <= day <= closure.ends_on:
            return closure
    return None


def is_closed_on(point: "Point | None", day: date) -> bool:
    """Whether ``point`` is closed all of ``day`` by a closure or a city-wide
    holiday; with ``point=None``, whether ``day`` is a city-wide holiday.
    Other apps (sounding boards) use this to move meetings."""
    closures = Closure.objects.filter(starts_on__lte=day, ends_on__gte=day)
    if point is None:
        return closures.filter(point__isnull=True).exists()
    return closures.filter(Q(point__isnull=True) | Q(point=point)).exists()


def periods_on(point: "Point", day: date, periods: Iterable["OpeningPeriod"] | None = None
               ) -> list["OpeningPeriod"]:
    """The opening periods that apply on ``day`` (weekday and validity)."""
    periods = point.opening_periods.all() if periods is None else periods
    return sorted((period for period in periods if period.applies_on(day)),
                  key=lambda period: period.opens)


def _merged(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def hours_on(point: "Point", day: date, periods: Iterable["OpeningPeriod"] | None = None
             ) -> list[tuple[time, time]]:
    """The point's regular hours on ``day`` (its periods valid that day,
    overlapping or touching ones merged), closures not counted; nothing
    when the point is not active that day."""
    if not point.is_active_on(day):
        return []
    merged = _merged([
        (datetime.combine(day, period.opens, tzinfo=BRUSSELS),
         datetime.combine(day, period.closes, tzinfo=BRUSSELS))
        for period in periods_on(point, day, periods)])
    return [(start.time(), end.time()) for start, end in merged]


def stops_on(point: "Point", day: date, holidays: Iterable[Closure] | None = None, *,
             periods: Iterable["OpeningPeriod"] | None = None,
             deployments: Iterable["MobileDeployment"] | None = None) -> list[Stop]:
    """The stops of ``point`` on the local ``day``, in order.

    ``periods`` and ``deployments`` replace the point's own (prefetched)
    ones, to ask "what if" before a change is saved."""
    if not point.is_active_on(day) or closure_on(point, day, holidays) is not None:
        return []
    all_periods = list(point.opening_periods.all() if periods is None else periods)
    hours = [(datetime.combine(day, opens, tzinfo=BRUSSELS),
              datetime.combine(day, closes, tzinfo=BRUSSELS))
             for opens, closes in hours_on(point, day, all_periods)]
    if not point.is_mobile:
        return [Stop(start, end) for start, end in hours]
    first, last = day_start(day), day_start(day + timedelta(days=1))
    stops = []
    for deployment in (point.deployments.all() if deployments is None else deployments):
        start, end = max(local(deployment.starts_at), first), min(local(deployment.ends_at), last)
        if start >= end:
            continue
        if not all_periods:  # no hours of its own: where and when it is deployed
            stops.append(Stop(start, end, deployment))
            continue
        stops += [Stop(max(start, opens), min(end, closes), deployment)
                  for opens, closes in hours if max(start, opens) < min(end, closes)]
    return sorted(stops, key=lambda stop: (stop.start, stop.end))


def stops_between(point: "Point", first: date, last: date,
                  holidays: Iterable[Closure] | None = None) -> list[Stop]:
    """Every stop of ``point`` from ``first`` to ``last`` (inclusive)."""
    if holidays is None:
        holidays = holidays_between(first, last)
    holidays = list(holidays)
    stops: list[Stop] = []
    day = first
    while day <= last:
        stops += stops_on(point, day, holidays)
        day += timedelta(days=1)
    return stops


def stop_at(point: "Point", moment: datetime, holidays: Iterable[Closure] | None = None
            ) -> Stop | None:
    """The stop ``point`` is in at ``moment`` (any time zone), or None."""
    moment = local(moment)
    return next((stop for stop in stops_on(point, moment.date(), holidays)
                 if stop.contains(moment)), None)


def is_open_at(point: "Point", moment: datetime, holidays: Iterable[Closure] | None = None
               ) -> bool:
    """Whether ``point`` is open at ``moment``."""
    return stop_at(point, moment, holidays) is not None


def next_stop(point: "Point", after: datetime | None = None,
              holidays: Iterable[Closure] | None = None, days: int = LOOKAHEAD_DAYS
              ) -> Stop | None:
    """The first stop that starts strictly after ``after``, within ``days``
    days; None when nothing is planned."""
    after = local(after or timezone.now())
    first = after.date()
    if holidays is None:
        holidays = holidays_between(first, first + timedelta(days=days))
    for offset in range(days + 1):
        for stop in stops_on(point, first + timedelta(days=offset), holidays):
            if stop.start > after:
                return stop
    return None


# --- what pages show ----------------------------------------------------------


@dataclass
class PointState:
    """Where a point stands at one moment: open until when, or when it next
    opens, and why it is closed today when a closure says so."""

    point: "Point"
    stop: Stop | None
    next: Stop | None
    closure: Closure | None = None
    # The finder, filtered on a district: a mobile point's coming stops there,
    # and the stop it is in elsewhere right now (so its card says where it
    # is, never a false "closed").
    stops_here: list[Stop] = field(default_factory=list)
    elsewhere: Stop | None = None

    @property
    def is_open(self) -> bool:
        return self.stop is not None

    @property
    def open_until(self) -> datetime | None:
        return self.stop.end if self.stop else None

    @property
    def next_opening(self) -> datetime | None:
        return self.next.start if self.next else None

    @property
    def next_opening_words(self) -> str:
        """"opens today at 16:07", for the cards, the point page and the
        info screen alike (``opening_words``)."""
        return opening_words(self.next.start) if self.next else ""

    @property
    def next_here_today(self) -> bool:
        """Whether a mobile point's next stop in the district is today."""
        return bool(self.next and self.next.start.date() == timezone.localdate())

    @property
    def deployment(self) -> "MobileDeployment | None":
        """For a mobile point: where it stands now, or where it comes next."""
        stop = self.stop or self.next
        return stop.deployment if stop else None


def opening_words(start: datetime, today: date | None = None) -> str:
    """When a point next opens, in words: "opens today at 16:07", "opens
    tomorrow at 09:00" or "opens Monday 14 December at 09:00". The one
    place that words a next opening."""
    today = today or timezone.localdate()
    start = local(start)
    time_text = f"{start:%H:%M}"
    if start.date() == today:
        return _("opens today at %(time)s") % {"time": time_text}
    if start.date() == today + timedelta(days=1):
        return _("opens tomorrow at %(time)s") % {"time": time_text}
    return _("opens %(day)s at %(time)s") % {
        "day": formats.date_format(start, "l j F"), "time": time_text}


def point_states(points: Iterable["Point"], moment: datetime | None = None) -> list[PointState]:
    """The state of each point at ``moment``, open points first (by name),
    then the others by when they next open."""
    moment = local(moment or timezone.now())
    day = moment.date()
    holidays = holidays_between(day, day + timedelta(days=LOOKAHEAD_DAYS))
    states = []
    for point in points:
        stop = stop_at(point, moment, holidays)
        states.append(PointState(
            point=point, stop=stop, next=None if stop else next_stop(point, moment, holidays),
            closure=None if stop else closure_on(point, day, holidays)))
    far = datetime.max.replace(tzinfo=BRUSSELS)
    return sorted(states, key=lambda s: (not s.is_open, s.next_opening or far, s.point.name))


def districts_within(district) -> set[int]:
    """A district and, for a deelgemeente, its wijken: a wijk counts under
    its deelgemeente, as on the dashboard."""
    return {district.pk, *district.wijken.values_list("pk", flat=True)}


def states_in_district(states: Iterable[PointState], district, *, days: int,
                       moment: datetime | None = None) -> list[PointState]:
    """The points of ``district`` (or one of its wijken): fixed points that
    lie there, and mobile points that stop there within ``days`` days, each
    with those stops (``stops_here``)."""
    moment = local(moment or timezone.now())
    wanted = districts_within(district)
    last = moment.date() + timedelta(days=days)
    holidays = holidays_between(moment.date(), last)
    kept = []
    for state in states:
        if not state.point.is_mobile:
            if state.point.district_id in wanted:
                kept.append(state)
            continue
        state.stops_here = [
            stop for stop in stops_between(state.point, moment.date(), last, holidays)
            if stop.end > moment and stop.deployment.district_id in wanted]
        if state.stops_here:
            # Open "here" only while it stands in the district; where it
            # stands now, when elsewhere, is said on its card.
            here = next((s for s in state.stops_here if s.contains(moment)), None)
            state.elsewhere = state.stop if here is None else None
            state.stop = here
            state.next = None if state.stop else state.stops_here[0]
            state.closure = None
            kept.append(state)
    far = datetime.max.replace(tzinfo=BRUSSELS)
    return sorted(kept, key=lambda s: (not s.is_open, s.next_opening or far, s.point.name))


@dataclass
class DaySchedule:
    day: date
    stops: list[Stop]
    closure: Closure | None

    @property
    def intervals(self) -> list[tuple[datetime, datetime]]:
        return [(stop.start, stop.end) for stop in self.stops]


def day_schedule(point: "Point", day: date, holidays: Iterable[Closure] | None = None
                 ) -> DaySchedule:
    """One day of ``point`` as its page shows it: its stops, or the closure
    that keeps it shut. The point page's week and the finder's "open on"
    list both read this, so they cannot differ."""
    holidays = holidays_between(day, day) if holidays is None else holidays
    return DaySchedule(day=day, stops=stops_on(point, day, holidays),
                       closure=closure_on(point, day, holidays))


def week_schedule(point: "Point", start: date | None = None, days: int = 7) -> list[DaySchedule]:
    """The stops of ``point`` for ``days`` days from ``start``."""
    start = start or timezone.localdate()
    holidays = holidays_between(start, start + timedelta(days=days))
    return [day_schedule(point, day, holidays)
            for day in (start + timedelta(days=offset) for offset in range(days))]


# Parts of a day a resident can choose in the finder: a stop counts when it
# is open for a real part of it, at least PART_OVERLAP (a point open
# 11:00-13:00 is open in the morning and in the afternoon; a stop until
# 12:30 is not an afternoon stop).
DAY_PARTS: dict[str, tuple[time, time]] = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time.max),
}
PART_OVERLAP = timedelta(hours=1)


def stop_in_part(stop: Stop, part: str) -> bool:
    """Whether ``stop`` is open for a real part of ``part`` (a key of
    ``DAY_PARTS``; empty: the whole day): an overlap of at least
    ``PART_OVERLAP``, or the whole stop when it is shorter."""
    if not part:
        return True
    opens, closes = DAY_PARTS[part]
    day = stop.start.date()
    part_start = datetime.combine(day, opens, tzinfo=BRUSSELS)
    part_end = datetime.combine(day, closes, tzinfo=BRUSSELS)
    overlap = min(stop.end, part_end) - max(stop.start, part_start)
    return overlap >= min(PART_OVERLAP, stop.end - stop.start) and overlap > timedelta(0)


@dataclass
class PointDay:
    """A point in the finder's "open on <day>" list: its whole day
    (``schedule``, the same as on its page) and the stops that made it
    count (in the district and part of day asked for). ``shown`` is what
    its card says: the whole day, but for a mobile point in a district
    only its stops there (in the part of the day asked for)."""

    point: "Point"
    schedule: DaySchedule
    matching: list[Stop]
    shown: DaySchedule | None = None

    def __post_init__(self):
        if self.shown is None:
            self.shown = self.schedule


def open_on_day(points: Iterable["Point"], day: date, *, district=None, part: str = "",
                moment: datetime | None = None) -> list["PointDay"]:
    """The points open on the local ``day``, by their first matching stop.

    A point counts by its stops that day (``stops_on``: closures and
    city-wide holidays honoured, a mobile point by its deployments), only
    those in ``district`` (a deelgemeente holds its wijken; a fixed point
    by where it lies, a mobile point by where each stop is), overlapping
    ``part`` (a key of ``DAY_PARTS``, by ``stop_in_part``) and, today, not over yet at
    ``moment``."""
    moment = local(moment or timezone.now())
    holidays = holidays_between(day, day)
    wanted = districts_within(district) if district is not None else None
    found = []
    for point in points:
        if wanted is not None and not point.is_mobile and point.district_id not in wanted:
            continue
        schedule = day_schedule(point, day, holidays)
        matching = [
            stop for stop in schedule.stops
            if stop.end > moment
            and (wanted is None or not point.is_mobile or stop.deployment.district_id in wanted)
            and stop_in_part(stop, part)]
        if not matching:
            continue
        shown = schedule
        if wanted is not None and point.is_mobile:
            shown = DaySchedule(day=day, closure=schedule.closure, stops=[
                stop for stop in schedule.stops
                if stop.deployment.district_id in wanted and stop_in_part(stop, part)])
        found.append(PointDay(point=point, schedule=schedule, matching=matching, shown=shown))
    return sorted(found, key=lambda entry: (entry.matching[0].start, entry.point.name))


# --- plans -------------------------------------------------------------------


class PlanError(Exception):
    """A plan that the calendar refuses. ``field`` says where the message
    belongs: "day" (closed that day, no stop, in the past), "start" or
    "end" (outside the hours)."""

    def __init__(self, message: str, field: str = "day"):
        super().__init__(message)
        self.field = field


def _day(day: date) -> str:
    return formats.date_format(day, "l d/m/Y")


def _hours(stops: Sequence[Stop]) -> str:
    return ", ".join(f"{stop.start:%H:%M}–{stop.end:%H:%M}" +
                     (f" ({stop.place})" if stop.deployment else "") for stop in stops)


def check_not_past(starts_at: datetime, now: datetime | None = None) -> None:
    if starts_at < (now or timezone.now()):
        raise PlanError(_("This moment lies in the past. Choose a moment to come."), "day")


def _check_day_open(point: "Point", day: date, holidays) -> None:
    closure = closure_on(point, day, holidays)
    if closure is not None:
        raise PlanError(_("%(point)s is closed on %(day)s: %(reason)s.") % {
            "point": point, "day": _day(day), "reason": closure.reason}, "day")
    if not point.is_active_on(day):
        raise PlanError(_("%(point)s is not active on %(day)s.") % {
            "point": point, "day": _day(day)}, "day")


def check_slot(point: "Point", starts_at: datetime, ends_at: datetime, *,
               now: datetime | None = None, past_ok: bool = False,
               holidays: Iterable[Closure] | None = None) -> Stop:
    """The stop of ``point`` that holds all of ``starts_at..ends_at`` (a
    training session); raises PlanError when there is none, or when the
    start lies in the past (unless ``past_ok``). ``point`` must carry its
    current periods, closures and deployments (a fresh object)."""
    start, end = local(starts_at), local(ends_at)
    if end <= start:
        raise PlanError(_("The end must be after the start."), "end")
    if not past_ok:
        check_not_past(start, now)
    day = start.date()
    holidays = holidays_between(day, day) if holidays is None else list(holidays)
    _check_day_open(point, day, holidays)
    stops = stops_on(point, day, holidays)
    if not stops:
        if point.is_mobile:
            raise PlanError(_("The mobile point %(point)s has no stop on %(day)s. Plan a "
                              "deployment first, or choose another day.") % {
                "point": point, "day": _day(day)}, "day")
        raise PlanError(_("%(point)s is not open on %(day)s.") % {
            "point": point, "day": _day(day)}, "day")
    for stop in stops:
        if stop.start <= start and end <= stop.end:
            return stop
    inside = any(stop.contains(start) for stop in stops)
    if point.is_mobile:
        message = _("The mobile point %(point)s is at a stop on %(day)s only at %(hours)s.")
    else:
        message = _("%(point)s is open on %(day)s only at %(hours)s.")
    raise PlanError(message % {"point": point, "day": _day(day), "hours": _hours(stops)},
                    "end" if inside else "start")


def service_hours_problems(starts_at: datetime, ends_at: datetime) -> list[PlanError]:
    """Why a mobile stop does not lie within ``SERVICE_HOURS`` of one local
    day: next to the start, the end, or both."""
    start, end = local(starts_at), local(ends_at)
    opens, closes = SERVICE_HOURS
    hours = {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
    problems = []
    if start.time() < opens:
        problems.append(PlanError(
            _("A mobile stop starts at %(opens)s at the earliest.") % hours, "start"))
    if end > datetime.combine(start.date(), closes, tzinfo=BRUSSELS):
        problems.append(PlanError(_("A mobile stop ends by %(closes)s on the day it starts; "
                                    "plan a stop per day.") % hours, "end"))
    return problems


def is_outside_service_hours(deployment: "MobileDeployment") -> bool:
    """Whether a (saved) deployment lies outside ``SERVICE_HOURS``: stops
    saved before the rule existed. They are real plans, so pages still show
    them; the coordinator's list marks them."""
    return bool(service_hours_problems(deployment.starts_at, deployment.ends_at))


def deployment_problems(point: "Point", starts_at: datetime, ends_at: datetime, *,
                        now: datetime | None = None, past_ok: bool = False,
                        periods: Iterable["OpeningPeriod"] | None = None,
                        holidays: Iterable[Closure] | None = None) -> list[PlanError]:
    """Every reason the calendar refuses a mobile deployment, all at once
    (so the form shows each next to its field): it must end after it
    starts, start in the future, fall on no closure of the point or the
    city, lie within one day's ``SERVICE_HOURS`` and, when the mobile point
    has opening hours of its own (``periods`` to ask "what if"), inside
    them. ``holidays``: the city-wide closures read once by a caller that
    asks about many days. Empty when it fits."""
    start, end = local(starts_at), local(ends_at)
    if end <= start:
        return [PlanError(_("The deployment must end after it starts."), "end")]
    problems = []
    if not past_ok and start < (now or timezone.now()):
        problems.append(PlanError(
            _("This moment lies in the past. Choose a moment to come."), "day"))
    last = (end - timedelta(microseconds=1)).date()
    if holidays is None:
        holidays = holidays_between(start.date(), last)
    periods = list(point.opening_periods.all() if periods is None else periods)
    day = start.date()
    while day <= last:
        try:
            _check_day_open(point, day, holidays)
        except PlanError as problem:
            problems.append(problem)
        day += timedelta(days=1)
    problems += service_hours_problems(start, end)
    day = start.date()
    while day <= last and periods:
        span = (max(start, day_start(day)), min(end, day_start(day + timedelta(days=1))))
        hours = [(datetime.combine(day, opens, tzinfo=BRUSSELS),
                  datetime.combine(day, closes, tzinfo=BRUSSELS))
                 for opens, closes in hours_on(point, day, periods)]
        if not any(opens <= span[0] and span[1] <= closes for opens, closes in hours):
            stops = [Stop(opens, closes) for opens, closes in hours]
            problems.append(PlanError(
                _("%(point)s works on %(day)s only at %(hours)s.") % {
                    "point": point, "day": _day(day), "hours": _hours(stops) or "-"}
                if hours else _("%(point)s does not work on %(day)s.") % {
                    "point": point, "day": _day(day)}, "start"))
        day += timedelta(days=1)
    return problems


def check_deployment(point: "Point", starts_at: datetime, ends_at: datetime, **options
                     ) -> None:
    """Raise the first of ``deployment_problems`` (for callers that only
    ask whether a deployment fits: the demo, free slots)."""
    for problem in deployment_problems(point, starts_at, ends_at, **options):
        raise problem


@dataclass(frozen=True)
class PlannedItem:
    """Something planned at a point that needs it open (a training session),
    as a closure's clash list shows it."""

    key: str  # "<source>:<pk>", stable between showing and confirming
    point_id: int
    starts_at: datetime
    ends_at: datetime
    label: str
    people: int = 0  # enrolled or waiting: told when it is cancelled
    url: str = ""
    note: str = ""  # what else to know (what a series keeps when this goes)


class PlanSource(Protocol):
    """What an app that plans things at points registers (on its AppConfig)."""

    def planned(self, point_ids: Sequence[int] | None, start: datetime, end: datetime
                ) -> list[PlannedItem]:
        """Its upcoming plans at those points (all points when None) that
        overlap ``start..end``."""

    def cancel(self, keys: Sequence[str], *, reason: str, actor) -> int:
        """Cancel those plans and tell the people in them; how many were told."""


@dataclass
class _Registry:
    sources: dict[str, PlanSource] = field(default_factory=dict)


_REGISTRY = _Registry()


def register_plan_source(name: str, source: PlanSource) -> None:
    _REGISTRY.sources[name] = source


def planned_items(point_ids: Sequence[int] | None, start: datetime, end: datetime
                  ) -> list[PlannedItem]:
    """Every registered app's plans at those points overlapping ``start..end``."""
    items = []
    for source in _REGISTRY.sources.values():
        items += source.planned(point_ids, start, end)
    return sorted(items, key=lambda item: (item.starts_at, item.key))


def cancel_items(items: Iterable[PlannedItem], *, reason: str, actor) -> int:
    """Cancel plans through the app that made them; how many people were told."""
    told = 0
    for name, source in _REGISTRY.sources.items():
        keys = [item.key for item in items if item.key.startswith(f"{name}:")]
        if keys:
            told += source.cancel(keys, reason=reason, actor=actor)
    return told


def items_that_no_longer_fit(point: "Point", items: Iterable[PlannedItem], *,
                             stops_for: Callable[[date], list[Stop]] | None = None
                             ) -> list[PlannedItem]:
    """The plans that lie in no stop of ``point`` (after a change)."""
    stops_for = stops_for or (lambda day: stops_on(point, day))
    lost = []
    for item in items:
        start, end = local(item.starts_at), local(item.ends_at)
        if not any(stop.start <= start and end <= stop.end for stop in stops_for(start.date())):
            lost.append(item)
    return lost


def seasonal_hours(point: "Point", today: date | None = None, *, this_week: bool | None = None
                   ) -> list[str]:
    """The point's hours that hold for a season only, still to come or in
    force, in words: "Van 1 juli tot 31 augustus: maandag en donderdag
    10:00–13:00". Weekdays with the same ranges are named together.

    ``this_week=True`` keeps the seasons in force on one of the seven days
    from ``today`` (the week table shows them), ``False`` the others (the
    point page lists them apart, after the table, so they cannot be read
    as this week's hours)."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6)
    seasons: dict[tuple, dict[int, list]] = {}
    for period in point.opening_periods.all():
        if period.valid_from is None and period.valid_until is None:
            continue
        if period.valid_until is not None and period.valid_until < today:
            continue
        in_week = period.valid_from is None or period.valid_from <= week_end
        if this_week is not None and in_week != this_week:
            continue
        days = seasons.setdefault((period.valid_from, period.valid_until), {})
        days.setdefault(period.weekday, []).append((period.opens, period.closes))
    lines = []
    for (start, end), days in sorted(seasons.items(), key=lambda s: (s[0][0] or today)):
        groups: dict[tuple, list[int]] = {}
        for weekday in sorted(days):
            groups.setdefault(tuple(sorted(days[weekday])), []).append(weekday)
        parts = []
        for ranges, weekdays in groups.items():
            names = [formats.date_format(date(2024, 1, 1) + timedelta(days=d), "l")
                     for d in weekdays]
            named = names[0] if len(names) == 1 else _("%(first)s and %(last)s") % {
                "first": ", ".join(names[:-1]), "last": names[-1]}
            times = f" {_('and')} ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in ranges)
            parts.append(f"{named} {times}")
        when = {"start": formats.date_format(start, "j F") if start else "",
                "end": formats.date_format(end, "j F") if end else ""}
        if start and end:
            label = _("From %(start)s to %(end)s") % when
        elif start:
            label = _("From %(start)s") % when
        else:
            label = _("Until %(end)s") % when
        lines.append(f"{label}: {'; '.join(parts)}")
    return lines
