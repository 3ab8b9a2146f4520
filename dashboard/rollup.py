"""The dashboard's roll-up: the additive visit figures of each past day,
built nightly so that five years of visits stay quick to add up.

``VisitDayFigures`` holds, per local day (Europe/Brussels) and point,
counts (visits, outcomes, left, unidentified) and sums with counts of the
waiting and service times; ``ChannelDayFigures`` visits per day, point and
channel; ``TopicDayFigures`` visits and unsolved visits per day, point and
topic; ``DemandDayFigures`` visits per day, point, district of demand and
topic, for demand mapping. One table per reader keeps each short: a table
by point, channel, district and topic at once would be nearly as long as
the visits themselves at a large city's volume.

The figures of a period are the rolled-up rows of its *built* days plus the
raw visits of its other days (today, days never built, days changed since
their build), so they always equal what the raw visits say, in a fixed
number of queries (``split``). Distinct counts (unique people) cannot be
added up over days and stay on the raw visits, on partial indexes.

Keeping it right:

- every service that changes a visit of an earlier day says so through the
  kernel (``digibank.changes.visit_changed``, ``visits_changed`` before a
  bulk change such as deleting a resident) inside its own transaction; the
  dashboard registers ``on_visits_changed`` there, which marks the day not
  built, so the figures read its raw visits at once;
- ``build_rollup`` (the nightly Celery task, and ``manage.py build_rollup``)
  builds every day up to yesterday that is missing or not built, after
  marking not built every day whose visits were saved (``Visit.updated_at``)
  after its build, a safety net for changes made outside the services;
- building days is one transaction that locks their ``RollupDay`` rows,
  deletes their rows and inserts them again: two builds of the same day wait
  for each other and the second finds nothing left to do.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dashboard.models import (
    ChannelDayFigures,
    DemandDayFigures,
    RollupDay,
    TopicDayFigures,
    VisitDayFigures,
)
from digibank.days import BRUSSELS, day_bounds, local_day
from points.models import Visit, VisitOutcome, VisitStatus

# Days built in one transaction by a full build (a month keeps each
# transaction short and the locks few).
BATCH_DAYS = 31
# The safety net looks at visits saved since the last build minus this
# margin, so a change saved while a build ran is not missed.
RECHECK_MARGIN = timedelta(days=1)

FIGURES = (VisitDayFigures, ChannelDayFigures, TopicDayFigures, DemandDayFigures)
NOT_SOLVED = VisitOutcome.NOT_SOLVED
# Outcomes other than "solved" (split by host and coach): one column each,
# named after the outcome's value.
OTHER_OUTCOMES = tuple(value for value in VisitOutcome.values if value != VisitOutcome.SOLVED)


def span(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


# Each time: (the span, the visits it is measured on), as in the dashboard.
_TIME_SPANS = {
    "wait": (span("served_at", "arrived_at"), Q(served_at__isnull=False)),
    "coach_wait": (span("coach_started_at", "handed_over_at"),
                   Q(coach_started_at__isnull=False, handed_over_at__isnull=False)),
    "duration": (span("finished_at", "arrived_at"),
                 Q(status=VisitStatus.DONE, finished_at__isnull=False)),
}


def visit_aggregates() -> dict:
    """The additive figures as aggregates over visits. Their names are the
    columns of ``VisitDayFigures``."""
    figures = {
        "visits": Count("pk"),
        "unidentified": Count("pk", filter=Q(resident__isnull=True, visitor_key="")),
        "left": Count("pk", filter=Q(status=VisitStatus.LEFT)),
        "solved_host": Count("pk", filter=Q(outcome=VisitOutcome.SOLVED, coach__isnull=True)),
        "solved_coach": Count("pk", filter=Q(outcome=VisitOutcome.SOLVED, coach__isnull=False)),
        **{value: Count("pk", filter=Q(outcome=value, status=VisitStatus.DONE))
           for value in OTHER_OUTCOMES},
    }
    for name, (span, where) in _TIME_SPANS.items():
        figures[f"{name}_total"] = Sum(span, filter=where)
        figures[f"{name}_count"] = Count("pk", filter=where)
    return figures


ADDITIVE = tuple(visit_aggregates())


def rolled_aggregates() -> dict:
    """The same figures summed over ``VisitDayFigures`` rows."""
    return {name: Sum(name) for name in ADDITIVE}


def add_up(*parts: dict) -> dict:
    """Add figures from several parts (None counts as nothing)."""
    totals: dict = {}
    for part in parts:
        for name, value in part.items():
            if value is None:
                continue
            totals[name] = totals[name] + value if name in totals else value
    for name in ADDITIVE:
        totals.setdefault(name, timedelta() if name.endswith("_total") else 0)
    return totals


def _runs(days: Iterable[date], longest: int | None = None) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days (each at most ``longest``)."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day and (
                longest is None or (day - runs[-1][0]).days < longest):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


@dataclass(frozen=True)
class Split:
    """A period cut into runs of built days (read from the roll-up) and
    runs of the other days (read from the raw visits)."""

    built: list[tuple[date, date]]
    raw: list[tuple[date, date]]

    def rolled_q(self, lookup: str = "day") -> Q | None:
        """Rows of the built days, or None when no day is built."""
        if not self.built:
            return None
        q = Q()
        for first, last in self.built:
            q |= Q(**{f"{lookup}__gte": first, f"{lookup}__lte": last})
        return q

    def raw_q(self, lookup: str = "arrived_at") -> Q | None:
        """Visits (by arrival time) of the other days, or None when every
        day is built."""
        if not self.raw:
            return None
        q = Q()
        for first, last in self.raw:
            q |= Q(**{f"{lookup}__gte": day_bounds(first)[0],
                      f"{lookup}__lt": day_bounds(last)[1]})
        return q


def split(start: date, end: date) -> Split:
    """Which days of ``start..end`` are built (one query)."""
    built = set(RollupDay.objects.filter(day__gte=start, day__lte=end, built_at__isnull=False)
                .values_list("day", flat=True))
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return Split(built=_runs(built), raw=_runs(day for day in days if day not in built))


# --- keeping it right ----------------------------------------------------


def invalidate_days(days: Iterable[date]) -> None:
    """Mark ``days`` not built, so the figures read their raw visits until
    the next build. Call inside the transaction that changes the visits:
    the row lock makes a build running at the same time either wait for the
    change or be marked not built after it. Today and later days are never
    built, so they cost no query (the counter's own visits)."""
    today = timezone.localdate()
    days = sorted({day for day in days if day < today})
    if days:
        RollupDay.objects.bulk_create(
            [RollupDay(day=day, built_at=None) for day in days],
            update_conflicts=True, unique_fields=["day"], update_fields=["built_at"])


def invalidate_visit(visit: Visit) -> None:
    """The day of ``visit`` changed (call after saving it)."""
    invalidate_days([local_day(visit.arrived_at)])


def on_visits_changed(*, days: Iterable[date] = (), lookup: dict | None = None) -> None:
    """The kernel's news that visits changed (``digibank.changes``): mark
    their days not built, in the caller's transaction."""
    if lookup is not None:
        invalidate_visits(Visit.objects.filter(**lookup))
    else:
        invalidate_days(days)


def invalidate_visits(visits: QuerySet) -> None:
    """The days of ``visits`` are about to change in bulk (call before a
    delete or an update of many visits, in the same transaction)."""
    days = (visits.order_by().annotate(day=TruncDate("arrived_at", tzinfo=BRUSSELS))
            .values_list("day", flat=True).distinct())
    invalidate_days(list(days))


def build_days(days: Iterable[date], *, force: bool = False) -> int:
    """Build the roll-up of ``days`` (runs of up to ``BATCH_DAYS`` days per
    transaction). A day that is already built is left alone unless
    ``force``; today and later days are never built (they still change).
    Returns how many days were built."""
    today = timezone.localdate()
    return sum(_build_run(first, last, force=force)
               for first, last in _runs((day for day in days if day < today),
                                        longest=BATCH_DAYS))


@transaction.atomic
def _build_run(first: date, last: date, *, force: bool) -> int:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    RollupDay.objects.bulk_create([RollupDay(day=day) for day in days], ignore_conflicts=True)
    locked = RollupDay.objects.select_for_update().filter(day__gte=first, day__lte=last)
    todo = {row.day for row in locked.order_by("day") if force or row.built_at is None}
    if not todo:
        return 0
    built_at = timezone.now()
    for model in FIGURES:
        model.objects.filter(day__in=todo).delete()
    start, end = day_bounds(first)[0], day_bounds(last)[1]
    visits = (Visit.objects.filter(arrived_at__gte=start, arrived_at__lt=end).order_by()
              .annotate(day=TruncDate("arrived_at", tzinfo=BRUSSELS)))
    links = (Visit.topics.through.objects
             .filter(visit__arrived_at__gte=start, visit__arrived_at__lt=end).order_by()
             .annotate(day=TruncDate("visit__arrived_at", tzinfo=BRUSSELS)))
    _insert(VisitDayFigures, todo, visits.values("day", "point").annotate(**visit_aggregates()),
            point="point")
    _insert(ChannelDayFigures, todo, visits.values("day", "point", "channel")
            .annotate(visits=Count("pk")), point="point", channel="channel")
    _insert(TopicDayFigures, todo, links.values("day", "visit__point", "questiontopic").annotate(
        visits=Count("pk"), not_solved=Count("pk", filter=Q(visit__outcome=NOT_SOLVED))),
        point="visit__point", topic="questiontopic")
    _insert(DemandDayFigures, todo, visits.values("day", "point", "resident__district")
            .annotate(visits=Count("pk")), point="point", resident_district="resident__district")
    _insert(DemandDayFigures, todo,
            links.values("day", "visit__point", "visit__resident__district", "questiontopic")
            .annotate(visits=Count("pk")), point="visit__point",
            resident_district="visit__resident__district", topic="questiontopic")
    RollupDay.objects.filter(day__in=todo).update(built_at=built_at)
    return len(todo)


def _insert(model, days: set[date], rows, **keys: str) -> None:
    """Insert grouped ``rows`` of ``days`` as ``model`` rows: ``keys`` maps
    a foreign key to the row's column; every other column is a figure."""
    figures = [field.name for field in model._meta.concrete_fields
               if not (field.primary_key or field.is_relation or field.name == "day")]
    model.objects.bulk_create([
        model(day=row["day"], **{f"{key}_id": row[column] for key, column in keys.items()},
              **{name: _zero_if_none(name, row[name]) for name in figures})
        for row in rows if row["day"] in days
    ], batch_size=2000)


def _zero_if_none(name: str, value):
    if value is not None:
        return value
    return timedelta() if name.endswith("_total") else 0


def changed_since_built() -> list[date]:
    """Built days with a visit saved after their build (the safety net for
    changes made outside the services): visits saved since the last build,
    minus ``RECHECK_MARGIN``, through the index on ``updated_at``."""
    last_build = RollupDay.objects.aggregate(last=Max("built_at"))["last"]
    if last_build is None:
        return []
    changed = dict(
        Visit.objects.filter(updated_at__gt=last_build - RECHECK_MARGIN).order_by()
        .annotate(day=TruncDate("arrived_at", tzinfo=BRUSSELS))
        .values("day").annotate(last=Max("updated_at")).values_list("day", "last"))
    built = RollupDay.objects.filter(day__in=list(changed), built_at__isnull=False)
    return sorted(row.day for row in built if changed[row.day] > row.built_at)


def build_rollup(*, today: date | None = None, everything: bool = False) -> int:
    """The nightly build: every day from the first visit up to yesterday
    that is missing, not built, or changed since its build (then marked not
    built first, so the figures read it raw at once). ``everything``
    rebuilds every day (after an import or a restore) and forgets the
    roll-up of days outside that range, such as the days before the first
    visit left when earlier visits were deleted outside the services.
    Idempotent: a second run builds nothing. Returns how many days were
    built."""
    today = today or timezone.localdate()
    first = Visit.objects.order_by("arrived_at").values_list("arrived_at", flat=True).first()
    first_day, last_day = (local_day(first) if first else today), today - timedelta(days=1)
    if everything:
        _forget_days_outside(first_day, last_day)
    if first_day > last_day:
        return 0
    with transaction.atomic():
        invalidate_days(day for day in changed_since_built() if day <= last_day)
    built = set() if everything else set(
        RollupDay.objects.filter(day__gte=first_day, day__lte=last_day, built_at__isnull=False)
        .values_list("day", flat=True))
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return build_days([day for day in days if day not in built], force=everything)


@transaction.atomic
def _forget_days_outside(first: date, last: date) -> None:
    """Delete the roll-up of every day before ``first`` or after ``last``
    (with no visits there, the figures read those days raw: nothing)."""
    outside = Q(day__lt=first) | Q(day__gt=last)
    for model in (RollupDay, *FIGURES):
        model.objects.filter(outside).delete()
