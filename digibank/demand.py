"""Demand mapping: where the questions come from, and where a mobile point
should go next.

A visit's district is the resident's district when we know it (where the
person lives), otherwise the district of the point they came to. Suggested
deployments look at the same weeks one year earlier: demand that peaked
then (school registrations in March, tax returns in May-June) is likely to
come back.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F
from django.db.models.functions import Coalesce, ExtractWeek, TruncWeek
from django.utils.translation import gettext as _

from digibank.figures import Scope, visits
from digibank.models import District
from points.models import BRUSSELS, MobileDeployment, Point, PointKind, QuestionTopic

# How many weeks ahead suggestions look, and how many they show.
HORIZON_WEEKS = 8
SUGGESTIONS = 5


def _demand_visits(scope: Scope, topic: QuestionTopic | None):
    qs = visits(scope).annotate(where=Coalesce(F("resident__district"), F("point__district")))
    return qs.filter(topics=topic) if topic is not None else qs


def district_demand(scope: Scope, topic: QuestionTopic | None = None) -> list[dict]:
    """Per district: visits (about ``topic``), per 1,000 inhabitants, and
    whether a fixed point is open there; busiest per inhabitant first."""
    counts = dict(_demand_visits(scope, topic).values_list("where").annotate(n=Count("pk"))
                  .values_list("where", "n"))
    fixed = set(Point.objects.filter(is_active=True, kind=PointKind.FIXED)
                .values_list("district", flat=True))
    rows = []
    for district in District.objects.filter(parent__isnull=True).order_by("name"):
        n = counts.get(district.pk, 0)
        per_1000 = round(1000 * n / district.population, 1) if district.population else None
        rows.append({"district": district, "visits": n, "per_1000": per_1000,
                     "has_point": district.pk in fixed})
    return sorted(rows, key=lambda r: (-(r["per_1000"] or 0), -r["visits"], r["district"].name))


@dataclass
class Suggestion:
    """A suggested mobile deployment with the evidence behind it."""

    district: District
    topic: QuestionTopic
    week_start: date  # the Monday of the suggested week (this year)
    last_year: int  # visits about the topic from the district in that week last year
    has_point: bool

    @property
    def evidence(self) -> str:
        text = _("%(n)s visits about %(topic)s from %(district)s in the same week last year.") % {
            "n": self.last_year, "topic": self.topic.name, "district": self.district.name}
        if not self.has_point:
            text += " " + _("No fixed point is open in this district.")
        return text


def suggest_deployments(today: date, scope_points: tuple[int, ...] | None = None,
                        ) -> list[Suggestion]:
    """The busiest district/topic/week combinations of the coming weeks, one
    year earlier. Districts without a fixed point come first on a tie."""
    start = today + timedelta(days=7 - today.weekday())  # next Monday
    earlier = Scope(start=start - timedelta(weeks=52),
                    end=start - timedelta(weeks=52) + timedelta(weeks=HORIZON_WEEKS, days=-1),
                    points=scope_points)
    rows = (
        _demand_visits(earlier, None).filter(where__isnull=False, topics__isnull=False)
        .annotate(week=TruncWeek("arrived_at", tzinfo=BRUSSELS))
        .values("where", "topics", "week").annotate(n=Count("pk")).order_by("-n")[:50]
    )
    rows = list(rows)
    districts = District.objects.in_bulk({row["where"] for row in rows})
    topics = QuestionTopic.objects.in_bulk({row["topics"] for row in rows})
    fixed = set(Point.objects.filter(is_active=True, kind=PointKind.FIXED)
                .values_list("district", flat=True))
    suggestions, seen = [], set()
    for row in sorted(rows, key=lambda r: (-r["n"], r["where"] in fixed)):
        key = (row["where"], row["topics"])
        if key in seen:
            continue
        seen.add(key)
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        suggestions.append(Suggestion(
            district=districts[row["where"]], topic=topics[row["topics"]],
            week_start=week + timedelta(weeks=52), last_year=row["n"],
            has_point=row["where"] in fixed))
        if len(suggestions) == SUGGESTIONS:
            break
    return suggestions


def deployment_from_suggestion(*, district: District, topic: QuestionTopic, day: date,
                               point: Point) -> MobileDeployment:
    """An unsaved deployment for a suggestion: a day (10:00-16:00) in the
    district, themed on the topic. ``points.services.plan_deployment`` saves it."""
    return MobileDeployment(
        point=point, district=district, place=district.name, address=district.name,
        theme=topic.name,
        starts_at=datetime.combine(day, time(10), tzinfo=BRUSSELS),
        ends_at=datetime.combine(day, time(16), tzinfo=BRUSSELS),
    )


def busiest_district(scope: Scope, topic: QuestionTopic) -> District | None:
    rows = district_demand(scope, topic)
    return rows[0]["district"] if rows and rows[0]["visits"] else None



@dataclass
class HeatMap:
    """Visits per district and ISO week of the year: rows of (district,
    cells), each cell (count, level 0-4 for the colour)."""

    weeks: list[int]
    rows: list[tuple[District, list[tuple[int, int]]]]


def weekly_heat(scope: Scope, topic: QuestionTopic | None = None) -> HeatMap:
    """Where and when the demand peaks: visits by district and week of the
    year (several years in the period add up in the same week)."""
    counts = {
        (row["where"], row["week"]): row["n"]
        for row in _demand_visits(scope, topic).filter(where__isnull=False)
        .annotate(week=ExtractWeek("arrived_at", tzinfo=BRUSSELS))
        .values("where", "week").annotate(n=Count("pk"))
    }
    weeks = sorted({week for _where, week in counts})
    largest = max(counts.values(), default=0) or 1
    rows = []
    for district in District.objects.filter(parent__isnull=True).order_by("name"):
        cells = []
        for week in weeks:
            n = counts.get((district.pk, week), 0)
            cells.append((n, 0 if n == 0 else 1 + min(3, 4 * n // (largest + 1))))
        rows.append((district, cells))
    return HeatMap(weeks=weeks, rows=rows)
