"""Demand mapping: where the questions come from, where demand went
unanswered, and where a mobile point should go next.

A visit's district is the resident's district when we know it (where the
person lives), otherwise the district of the point they came to; an
interest-list entry's district is likewise the resident's, otherwise that
of the preferred point. Demand is counted per deelgemeente, the level at
which inhabitants are known and the page compares: a district that is a
finer wijk counts under its deelgemeente (its ``parent``), for residents,
points, deployments and sounding-board requests alike. The roll-up keeps
the resident's own district; the deelgemeente is read with it, so a wijk
added or moved to another deelgemeente counts there at once, without a
rebuild.

Recurring peaks: per topic, the ISO weeks in which the topic's visits were
at least ``PEAK_FACTOR`` times its average week of that year (and at least
``MIN_PEAK_VISITS``), in at least two of the last ``LOOKBACK_YEARS`` years
(and this year so far). School registrations in March and tax returns in
May-June come back every year; a one-off rush does not.

Suggested deployments are (district, topic, week) combinations for the
next ``HORIZON_WEEKS`` weeks (twelve months: March can be planned in
December), scored from the evidence:

- each visit about the topic from the district in the same ISO week of
  each of the last ``LOOKBACK_YEARS`` years counts once (a peak that comes
  back every year weighs once per year it came);
- each person who left without help in the past year (district and topic)
  counts ``LEFT_WEIGHT``;
- each resident on an open interest list about the topic counts
  ``INTEREST_WEIGHT``;
- each open sounding-board request for a missing service that names a
  training about the topic (and no point, or a point in the district)
  counts ``FEEDBACK_WEIGHT``.

On a tie, districts without a fixed point and then those with the highest
demand per inhabitant come first. Weeks in which a mobile deployment is
already planned in the district are not suggested again, nor is a topic
for a district where a deployment in the coming weeks is about it (its
topic, or for a deployment without a topic, its theme names the topic;
planning a suggestion sets both).

Visit counts read the nightly roll-up (``dashboard.rollup``) for the days it
has built and the raw visits for the other days, so they always equal the
raw data in a fixed number of queries: ``DemandDayFigures`` for districts
and weeks, ``TopicDayFigures`` for the city's weekly topic counts. People
who left without help per district and topic stay on the raw visits, on a
partial index. The ``_..._counts`` helpers below are the only visit queries;
the figures of the past year, which the suggestions use, are read once when
the page shows the past year too (``suggest_deployments``'s ``page``).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, ExtractIsoYear, ExtractWeek, TruncWeek
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboard import rollup
from dashboard.figures import Scope, visits
from dashboard.models import DemandDayFigures, TopicDayFigures
from digibank.models import DATA_LANGUAGE, District
from points.calendar import holidays_between
from points.models import (
    BRUSSELS,
    MobileDeployment,
    Point,
    PointKind,
    QuestionTopic,
    Visit,
    VisitStatus,
)
from soundboard.models import FeedbackItem, FeedbackTopic
from trainings.models import InterestEntry

# How many weeks ahead suggestions look (a year: next March's peak can be
# planned in December), and how many they show.
HORIZON_WEEKS = 52
SUGGESTIONS = 5
# Recurring peaks: how many years back, how far above the topic's average
# week a peak week is, and the fewest visits that make a peak.
LOOKBACK_YEARS = 3
PEAK_FACTOR = 2  # the demand page says "at least twice"
MIN_PEAK_VISITS = 3
# What one piece of unanswered demand weighs in a suggestion's score, next
# to one visit last year: a person we know we failed, a resident who asked
# for a training, a sounding board speaking for a group.
LEFT_WEIGHT = 2
INTEREST_WEIGHT = 2
FEEDBACK_WEIGHT = 5


# --- Visit counts: the roll-up of built days plus the raw visits of the others


def _deelgemeente(district: str) -> Coalesce:
    """The deelgemeente of the district at the lookup ``district``: its
    parent when it is a wijk, else itself."""
    return Coalesce(F(f"{district}__parent"), F(district))


def _where(resident_district: str, point: str) -> Coalesce:
    """The district of demand: the deelgemeente of the resident's district,
    else of the point's (``resident_district`` and ``point`` are lookups)."""
    return Coalesce(_deelgemeente(resident_district), _deelgemeente(f"{point}__district"))


def past_year(today: date, points: tuple[int, ...] | None = None) -> Scope:
    """The year up to ``today``: the demand page's first period, and the
    period of the suggestions' evidence."""
    return Scope(start=today - timedelta(days=364), end=today, points=points, memo={})


def _parts(scope: Scope) -> rollup.Split:
    """Which days of the scope are built (``dashboard.rollup``), once per scope."""
    return scope.remembered("split", lambda: rollup.split(scope.start, scope.end))


def _rolled_demand(scope: Scope, rolled, topic: QuestionTopic | None, per_topic: bool):
    """``DemandDayFigures`` of the built days: the rows about ``topic``, the
    rows of every topic (``per_topic``), or the rows counting every visit."""
    rows = DemandDayFigures.objects.filter(rolled & scope.at_points("point")).annotate(
        where=_where("resident_district", "point"))
    if topic is not None:
        return rows.filter(topic=topic)
    return rows.filter(topic__isnull=not per_topic)


def _raw_demand(scope: Scope, raw, topic: QuestionTopic | None):
    """The visits of the days not built, with their district of demand."""
    qs = Visit.objects.filter(raw & scope.at_points("point")).annotate(
        where=_where("resident__district", "point"))
    return qs.filter(topics=topic) if topic is not None else qs


def _demand_counts(scope: Scope, topic: QuestionTopic | None, *keys: str,
                   **expressions) -> Counter:
    """Visits (about ``topic``) grouped by ``keys`` (``where``, ``topic``, or
    a name in ``expressions``: a pair of expressions on the roll-up's
    ``day`` and on the visit's ``arrived_at``)."""
    parts = _parts(scope)
    rolled, raw = parts.rolled_q(), parts.raw_q()
    counts: Counter = Counter()
    if rolled is not None:
        rows = _rolled_demand(scope, rolled, topic, per_topic="topic" in keys)
        rows = rows.annotate(**{name: pair[0] for name, pair in expressions.items()})
        counts.update({_key(row): row[-1] for row in rows.values_list(*keys).annotate(
            n=Sum("visits")).values_list(*keys, "n").order_by()})
    if raw is not None:
        rows = _raw_demand(scope, raw, topic)
        if "topic" in keys:
            rows = rows.filter(topics__isnull=False)
        rows = rows.annotate(**{name: pair[1] for name, pair in expressions.items()})
        columns = ["topics" if key == "topic" else key for key in keys]
        counts.update({_key(row): row[-1] for row in rows.values_list(*columns).annotate(
            n=Count("pk")).values_list(*columns, "n").order_by()})
    return counts


def _district_counts(scope: Scope, topic: QuestionTopic | None = None) -> dict[int, int]:
    """Visits (about ``topic``) per district of the visitor, once per page."""
    return scope.remembered(f"districts {topic.pk if topic else 'all'}", lambda: {
        where: n for (where,), n in _demand_counts(scope, topic, "where").items() if n})


def _weekly_district_topic_counts(scope: Scope) -> dict[tuple[int, int, date], int]:
    """Visits per (district, topic, Monday of the week)."""
    counts = _demand_counts(scope, None, "where", "topic", "week", week=(
        TruncWeek("day"), TruncWeek("arrived_at", tzinfo=BRUSSELS)))
    return {(where, topic, week): n for (where, topic, week), n in counts.items()
            if where is not None and n}


def _weekly_district_counts(scope: Scope, topic: QuestionTopic | None
                            ) -> dict[tuple[int, int], int]:
    """Visits (about ``topic``) per (district, ISO week of the local day)."""
    counts = _demand_counts(scope, topic, "where", "week", week=(
        ExtractWeek("day"), ExtractWeek("arrived_at", tzinfo=BRUSSELS)))
    return {(where, week): n for (where, week), n in counts.items() if where is not None and n}


def _key(row: tuple) -> tuple:
    """A grouped row's key, a truncated moment as its local date (the
    roll-up's truncated days are dates already)."""
    return tuple(value.date() if isinstance(value, datetime) else value for value in row[:-1])


def _weekly_topic_counts(scope: Scope) -> list[tuple[int, int, int, int]]:
    """Visits per (topic, ISO year, ISO week), read from ``TopicDayFigures``
    for the built days and the visit-topic links for the others."""
    parts = _parts(scope)
    rolled, raw = parts.rolled_q(), parts.raw_q("visit__arrived_at")
    counts: Counter = Counter()
    if rolled is not None:
        counts.update({(topic, year, week): n for topic, year, week, n in (
            TopicDayFigures.objects.filter(rolled & scope.at_points("point"))
            .annotate(year=ExtractIsoYear("day"), week=ExtractWeek("day"))
            .values_list("topic", "year", "week").annotate(n=Sum("visits"))
            .values_list("topic", "year", "week", "n").order_by())})
    if raw is not None:
        counts.update({(topic, year, week): n for topic, year, week, n in (
            Visit.topics.through.objects.filter(raw & scope.at_points("visit__point"))
            .annotate(year=ExtractIsoYear("visit__arrived_at", tzinfo=BRUSSELS),
                      week=ExtractWeek("visit__arrived_at", tzinfo=BRUSSELS))
            .values_list("questiontopic", "year", "week").annotate(n=Count("pk"))
            .values_list("questiontopic", "year", "week", "n").order_by())})
    return [(topic, year, week, n) for (topic, year, week), n in counts.items() if n]


def _left_counts(scope: Scope) -> dict[tuple[int | None, int | None], int]:
    """People who left without help per (district, topic), once per page; a
    visit about two topics counts for each. Not in the roll-up (a visit
    without a topic counts under None): read from the raw visits through the
    partial index ``visit_left_by_time`` (the page's costliest query)."""
    def count() -> dict[tuple[int | None, int | None], int]:
        rows = (visits(scope).filter(status=VisitStatus.LEFT)
                .annotate(where=_where("resident__district", "point"))
                .values_list("where", "topics").annotate(n=Count("pk")).order_by())
        return {(where, topic_id): n for where, topic_id, n in rows}
    return scope.remembered("left", count)


# --- Open interest lists and sounding-board requests -----------------------


def _open_interest(points: tuple[int, ...] | None):
    entries = InterestEntry.objects.open().annotate(
        where=_where("resident__district", "point"))
    return entries if points is None else entries.filter(point__in=points)


def _interest_counts(points: tuple[int, ...] | None) -> dict[tuple[int, int], int]:
    """Residents on an open interest list per (district, topic): the entry's
    own topic or a topic of its training."""
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = (_open_interest(points).filter(where__isnull=False)
            .values_list("pk", "where", "topic", "course__topics"))
    for pk, where, topic, course_topic in rows:
        for topic_id in {topic, course_topic} - {None}:
            people[(where, topic_id)].add(pk)
    return {key: len(entries) for key, entries in people.items()}


def _missing_service_feedback(scope: Scope) -> list[FeedbackItem]:
    """Open requests for a missing service at the scope's points, once per page."""
    def read() -> list[FeedbackItem]:
        items = (FeedbackItem.objects.open().filter(topic=FeedbackTopic.MISSING_SERVICE)
                 .select_related("board", "point__district", "course")
                 .prefetch_related("course__topics").order_by("raised_on", "pk"))
        return list(items if scope.points is None else items.filter(point__in=scope.points))
    return scope.remembered("missing services", read)


def _feedback_topics(item: FeedbackItem) -> set[int]:
    return {topic.pk for topic in item.course.topics.all()} if item.course else set()


def _feedback_matches(item: FeedbackItem, district_id: int, topic_id: int) -> bool:
    """A request is evidence for a district/topic when the training it names
    is about the topic, and the point it names (if any) is in the district.
    A request naming no training says nothing about a topic: it shows in
    the unanswered-demand table only."""
    if item.point is not None and item.point.district.deelgemeente_id != district_id:
        return False
    return topic_id in _feedback_topics(item)


def _fixed_point_districts(scope: Scope) -> set[int]:
    """The deelgemeenten with an active fixed point, once per page."""
    return scope.remembered("fixed points", lambda: set(
        Point.objects.filter(is_active=True, kind=PointKind.FIXED)
        .annotate(where=_deelgemeente("district")).values_list("where", flat=True)))


def _and_join(items: list) -> str:
    """"2023, 2024 and 2025"."""
    words = [str(item) for item in items]
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


# --- Demand per district and week -------------------------------------------


def district_demand(scope: Scope, topic: QuestionTopic | None = None) -> list[dict]:
    """Per district: visits (about ``topic``), per 1,000 inhabitants, and
    whether a fixed point is open there; busiest per inhabitant first."""
    counts = _district_counts(scope, topic)
    fixed = _fixed_point_districts(scope)
    rows = []
    for district in District.objects.filter(parent__isnull=True).order_by("name"):
        n = counts.get(district.pk, 0)
        per_1000 = round(1000 * n / district.population, 1) if district.population else None
        rows.append({"district": district, "visits": n, "per_1000": per_1000,
                     "has_point": district.pk in fixed})
    return sorted(rows, key=lambda r: (-(r["per_1000"] or 0), -r["visits"], r["district"].name))


def busiest_district(scope: Scope, topic: QuestionTopic) -> District | None:
    rows = district_demand(scope, topic)
    return rows[0]["district"] if rows and rows[0]["visits"] else None


class HeatMeasure:
    """What a heat map's colour shows."""

    VISITS = "visits"  # the number of visits, on one scale for all districts
    PER_1000 = "per_1000"  # visits per 1,000 inhabitants: small districts compare
    OWN_PEAK = "own_peak"  # each district against its own busiest week
    CHOICES = (
        (VISITS, gettext_lazy("Number of visits")),
        (PER_1000, gettext_lazy("Visits per 1,000 inhabitants")),
        (OWN_PEAK, gettext_lazy("Against the district's own busiest week")),
    )


@dataclass
class HeatMap:
    """Visits per district and ISO week of the year: rows of (district,
    cells), each cell (shown value, level 0-4 for the colour). The value is
    the visits, or the visits per 1,000 inhabitants (None where the
    inhabitants are not known)."""

    weeks: list[int]
    rows: list[tuple[District, list[tuple[int | float | None, int]]]]
    measure: str = HeatMeasure.VISITS


def _level(value: float, largest: float, measure: str) -> int:
    """The colour 0-4 of a cell: 0 empty, 4 for the largest value. Counts
    keep their scale (largest + 1); rates and a district's own scale are
    scale-free, so the largest is always the darkest."""
    if not value:
        return 0
    spread = largest + 1 if measure == HeatMeasure.VISITS else largest * 1.25
    return 1 + min(3, int(4 * value // spread))


def weekly_heat(scope: Scope, topic: QuestionTopic | None = None,
                measure: str = HeatMeasure.VISITS) -> HeatMap:
    """Where and when the demand peaks: visits by district and week of the
    year (several years in the period add up in the same week). The colour
    follows ``measure``: the visits on one scale, the visits per 1,000
    inhabitants on one scale (so a small district's rush shows next to the
    city's), or each district against its own busiest week (so its own
    peak stands out, however small the district)."""
    counts = _weekly_district_counts(scope, topic)
    weeks = sorted({week for _where, week in counts})
    districts = list(District.objects.filter(parent__isnull=True).order_by("name"))
    values: dict[int, list] = {}
    for district in districts:
        row = [counts.get((district.pk, week), 0) for week in weeks]
        if measure == HeatMeasure.PER_1000:
            row = ([round(1000 * n / district.population, 2) for n in row]
                   if district.population else [None] * len(row))
        values[district.pk] = row
    if measure == HeatMeasure.OWN_PEAK:
        scale = {pk: max(row, default=0) for pk, row in values.items()}
    else:
        largest = max((v for row in values.values() for v in row if v), default=0)
        scale = dict.fromkeys(values, largest)
    rows = [(district, [(value, _level(value or 0, scale[district.pk], measure))
                        for value in values[district.pk]]) for district in districts]
    return HeatMap(weeks=weeks, rows=rows, measure=measure)


# --- Recurring peaks ----------------------------------------------------------


def _weeks_observed(year: int, today: date) -> int:
    """ISO weeks of ``year`` up to ``today`` (28 December is always in the
    last ISO week of its year)."""
    iso = today.isocalendar()
    return iso.week if year == iso.year else date(year, 12, 28).isocalendar().week


def _peak_years(today: date, points: tuple[int, ...] | None = None,
                ) -> dict[tuple[int, int], set[int]]:
    """{(topic id, ISO week): the years it peaked} for peaks seen in at
    least two years of the lookback."""
    first_year = today.isocalendar().year - LOOKBACK_YEARS
    rows = _weekly_topic_counts(Scope(start=date.fromisocalendar(first_year, 1, 1), end=today,
                                      points=points))
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for topic, year, _week, n in rows:
        totals[(topic, year)] += n
    peaks: dict[tuple[int, int], set[int]] = defaultdict(set)
    for topic, year, week, n in rows:
        average = totals[(topic, year)] / _weeks_observed(year, today)
        if n >= MIN_PEAK_VISITS and n >= PEAK_FACTOR * average:
            peaks[(topic, week)].add(year)
    return {key: years for key, years in peaks.items() if len(years) >= 2}


@dataclass
class RecurringPeak:
    """Consecutive weeks of the year in which a topic peaked in several
    years (``years``: every year that peaked in one of those weeks)."""

    topic: QuestionTopic
    first_week: int
    last_week: int
    years: list[int]
    by_week: dict[int, list[int]]  # the years each week peaked

    @property
    def weeks(self) -> str:
        """"weeks 10–12" or "week 11"."""
        if self.first_week == self.last_week:
            return _("week %(week)s") % {"week": self.first_week}
        return _("weeks %(first)s–%(last)s") % {"first": self.first_week, "last": self.last_week}

    @property
    def years_text(self) -> str:
        return _and_join(self.years)


def recurring_peaks(today: date, points: tuple[int, ...] | None = None,
                    ) -> list[RecurringPeak]:
    """The topics' recurring peaks, in the order of the year."""
    by_topic: dict[int, dict[int, set[int]]] = defaultdict(dict)
    for (topic_id, week), years in _peak_years(today, points).items():
        by_topic[topic_id][week] = years
    topics = QuestionTopic.objects.in_bulk(list(by_topic))
    peaks = []
    for topic_id, weeks in by_topic.items():
        run: list[int] = []
        for week in sorted(weeks) + [None]:
            if run and (week is None or week != run[-1] + 1):
                years = sorted(set().union(*(weeks[w] for w in run)))
                peaks.append(RecurringPeak(
                    topic=topics[topic_id], first_week=run[0], last_week=run[-1], years=years,
                    by_week={w: sorted(weeks[w]) for w in run}))
                run = []
            if week is not None:
                run.append(week)
    return sorted(peaks, key=lambda p: (p.first_week, p.topic.name))


# --- Unanswered demand ------------------------------------------------------------


@dataclass
class UnansweredDemand:
    """People who left without help in the period (rows of district, topic,
    people), open interest lists (district, course, topic, people) and open
    sounding-board requests for a missing service."""

    left: list[dict]
    interest: list[dict]
    feedback: list[FeedbackItem]

    @property
    def is_empty(self) -> bool:
        return not (self.left or self.interest or self.feedback)


def _name(obj) -> str:
    return obj.name if obj is not None else "\uffff"  # unknown last


def unanswered_demand(scope: Scope, topic: QuestionTopic | None = None) -> UnansweredDemand:
    """Demand we did not meet: who left without help in ``scope`` (about
    ``topic``), and the interest lists and missing-service requests still open."""
    left = {(where, topic_id): n for (where, topic_id), n in _left_counts(scope).items()
            if topic is None or topic_id == topic.pk}
    interest = list(_open_interest(scope.points).values("where", "course", "course__title",
                                                        "topic", "topic__name")
                    .annotate(n=Count("pk")).order_by())
    districts = District.objects.in_bulk(
        ({where for where, _t in left} | {row["where"] for row in interest}) - {None})
    topics = QuestionTopic.objects.in_bulk({topic_id for _w, topic_id in left} - {None})
    left_rows = sorted(
        ({"district": districts.get(where), "topic": topics.get(topic_id), "people": n}
         for (where, topic_id), n in left.items()),
        key=lambda r: (-r["people"], _name(r["district"]), _name(r["topic"])))
    interest_rows = sorted(
        ({"district": districts.get(row["where"]), "course": row["course__title"],
          "topic": row["topic__name"], "people": row["n"]} for row in interest),
        key=lambda r: (-r["people"], _name(r["district"]), r["course"] or r["topic"] or ""))
    return UnansweredDemand(left=left_rows, interest=interest_rows,
                            feedback=_missing_service_feedback(scope))


# --- Suggested deployments -------------------------------------------------------


@dataclass
class Suggestion:
    """A suggested mobile deployment with the evidence behind it."""

    district: District
    topic: QuestionTopic
    week_start: date  # the Monday of the suggested week
    # Visits about the topic from the district in the same ISO week of the
    # earlier years: {ISO year: visits}, most recent first.
    by_year: dict[int, int]
    has_point: bool
    per_1000: float | None = None  # the district's visits per 1,000 inhabitants, past year
    peak_years: list[int] = field(default_factory=list)  # a recurring peak in that week
    left: int = 0  # people who left without help, past year
    interest: int = 0  # residents on an open interest list
    feedback: list[FeedbackItem] = field(default_factory=list)  # missing-service requests
    day: date | None = None  # the first weekday of the week that is no city-wide holiday

    @property
    def seasonal(self) -> int:
        """The visits in the same week of the earlier years, together."""
        return sum(self.by_year.values())

    @property
    def last_year(self) -> int:
        return self.by_year.get(self.last_year_iso[0], 0)

    @property
    def score(self) -> int:
        return (self.seasonal + LEFT_WEIGHT * self.left + INTEREST_WEIGHT * self.interest
                + FEEDBACK_WEIGHT * len(self.feedback))

    @property
    def last_year_iso(self) -> tuple[int, int]:
        """ISO year and week of the same week last year."""
        iso = self.week_start.isocalendar()
        return iso.year - 1, iso.week

    @property
    def evidence(self) -> list[str]:
        """One sentence per piece of evidence."""
        return self._evidence(html=False)

    @property
    def evidence_html(self) -> list[str]:
        """The same sentences for the page: escaped, with the stored Dutch
        names (topic, training, sounding board, what was asked) in
        ``lang="nl"``, so the English interface reads them as Dutch."""
        return self._evidence(html=True)

    def _evidence(self, *, html: bool) -> list[str]:
        def fill(sentence: str, **values) -> str:
            if not html:
                return sentence % values
            return mark_safe(conditional_escape(sentence) % {
                key: conditional_escape(value) for key, value in values.items()})

        def dutch(text: str) -> str:
            return format_html('<span lang="{}">{}</span>', DATA_LANGUAGE, text) if html else text

        sentences = []
        names = {"topic": dutch(self.topic.name), "district": self.district.name}
        years = [(year, n) for year, n in sorted(self.by_year.items(), reverse=True) if n]
        if len(years) == 1:
            year, n = years[0]
            sentences.append(fill(ngettext(
                "%(n)s visit about %(topic)s from %(district)s in the same week of %(year)s.",
                "%(n)s visits about %(topic)s from %(district)s in the same week of %(year)s.",
                n), n=n, year=year, **names))
        elif years:
            sentences.append(fill(_(
                "Visits about %(topic)s from %(district)s in the same week: %(counts)s."),
                counts=_and_join([_("%(n)s in %(year)s") % {"n": n, "year": year}
                                  for year, n in years]), **names))
        if self.seasonal and self.peak_years:
            earlier = [year for year in self.peak_years if year != self.last_year_iso[0]]
            if len(earlier) < len(self.peak_years):
                sentences.append(fill(_("Recurring peak: also in %(years)s."),
                                      years=_and_join(earlier)))
            else:
                sentences.append(fill(_("Recurring peak: in %(years)s."),
                                      years=_and_join(earlier)))
        if self.left:
            sentences.append(fill(ngettext(
                "%(n)s person left without help in the past year.",
                "%(n)s people left without help in the past year.", self.left), n=self.left))
        if self.interest:
            sentences.append(fill(ngettext(
                "%(n)s resident is on an interest list.",
                "%(n)s residents are on an interest list.", self.interest), n=self.interest))
        for item in self.feedback:  # each names a training (see _feedback_matches)
            sentences.append(fill(
                _("%(board)s asked for %(about)s on %(day)s."), board=dutch(item.board.name),
                about=dutch(item.about or item.course.title),
                day=formats.date_format(item.raised_on, "SHORT_DATE_FORMAT")))
        if self.per_1000:
            sentences.append(fill(_("%(n)s visits per 1,000 inhabitants in the past year."),
                                  n=formats.localize(self.per_1000)))
        if not self.has_point:
            sentences.append(fill(_("No fixed point is open in this district.")))
        return sentences


@dataclass
class Planned:
    """The mobile deployments planned in the coming weeks: the (district,
    Monday) of each, and per district the topics they are about (a
    deployment's topic, or else a topic named in its theme)."""

    weeks: set[tuple[int, date]] = field(default_factory=set)
    topics: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    themes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def has_topic(self, district_id: int, topic: QuestionTopic) -> bool:
        """A deployment in the district is about ``topic``: it has the topic,
        or has no topic and names it in its theme."""
        return topic.pk in self.topics[district_id] or any(
            topic.name.lower() in theme for theme in self.themes[district_id])


def _planned(weeks: list[date]) -> Planned:
    """The mobile deployments planned in ``weeks``, by deelgemeente."""
    starts_at = datetime.combine(weeks[0], time.min, tzinfo=BRUSSELS)
    ends_before = datetime.combine(weeks[-1] + timedelta(days=7), time.min, tzinfo=BRUSSELS)
    planned = Planned()
    for district_id, moment, topic_id, theme in MobileDeployment.objects.filter(
            starts_at__gte=starts_at, starts_at__lt=ends_before
    ).annotate(where=_deelgemeente("district")).values_list("where", "starts_at", "topic",
                                                            "theme"):
        day = moment.astimezone(BRUSSELS).date()
        planned.weeks.add((district_id, day - timedelta(days=day.weekday())))
        if topic_id is not None:
            planned.topics[district_id].add(topic_id)
        else:
            planned.themes[district_id].append(theme.lower())
    return planned


def suggest_deployments(today: date, scope_points: tuple[int, ...] | None = None,
                        peaks: list[RecurringPeak] | None = None, page: Scope | None = None,
                        ) -> list[Suggestion]:
    """The best-supported district/topic/week combinations of the coming
    weeks (one week per district and topic), strongest evidence first.
    ``peaks``: ``recurring_peaks(today, scope_points)`` when the caller has
    them already; ``page``: the scope the caller shows, whose figures are
    reused when it is the past year."""
    start = today + timedelta(days=7 - today.weekday())  # next Monday
    weeks = [start + timedelta(weeks=n) for n in range(HORIZON_WEEKS)]
    # The same ISO weeks of the earlier years: read all of them at once.
    first = date.fromisocalendar(start.isocalendar().year - LOOKBACK_YEARS, 1, 1)
    counts = _weekly_district_topic_counts(Scope(start=first, end=today, points=scope_points))
    seasonal: dict[tuple[int, int], dict[tuple[int, int], int]] = defaultdict(dict)
    for (where, topic, monday), n in counts.items():
        iso = monday.isocalendar()
        seasonal[(where, topic)][(iso.year, iso.week)] = n

    def by_year(where: int, topic: int, week: date) -> dict[int, int]:
        iso = week.isocalendar()
        found = seasonal.get((where, topic), {})
        return {iso.year - back: found.get((iso.year - back, iso.week), 0)
                for back in range(1, LOOKBACK_YEARS + 1)}

    year = past_year(today, scope_points)
    if page == year:
        year = page  # the page shows the past year: read its figures once
    left = {key: n for key, n in _left_counts(year).items() if None not in key}
    interest = _interest_counts(scope_points)
    feedback = _missing_service_feedback(year)
    pairs = (set(seasonal) | set(left) | set(interest)
             | {(item.point.district.deelgemeente_id, topic) for item in feedback if item.point
                for topic in _feedback_topics(item)})
    peak_years = {(peak.topic.pk, week): years for peak in (
        recurring_peaks(today, scope_points) if peaks is None else peaks)
        for week, years in peak.by_week.items()}
    planned = _planned(weeks)
    fixed = _fixed_point_districts(year)
    district_visits = _district_counts(year)
    districts = District.objects.in_bulk({where for where, _topic in pairs})
    topics = QuestionTopic.objects.in_bulk({topic for _where, topic in pairs})

    suggestions = []
    for where, topic in pairs:
        district = districts[where]
        if planned.has_topic(where, topics[topic]):
            continue  # a deployment on this topic is planned in the district already
        evidence = {
            "district": district, "topic": topics[topic], "has_point": where in fixed,
            "per_1000": (round(1000 * district_visits.get(where, 0) / district.population, 1)
                         if district.population else None),
            "left": left.get((where, topic), 0), "interest": interest.get((where, topic), 0),
            "feedback": [item for item in feedback if _feedback_matches(item, where, topic)]}
        options = [
            Suggestion(week_start=week, by_year=by_year(where, topic, week),
                       peak_years=peak_years.get((topic, week.isocalendar().week), []),
                       **evidence)
            for week in weeks if (where, week) not in planned.weeks]
        if options:  # the strongest week; the earliest on a tie
            best = max(options, key=lambda s: (s.seasonal, -s.week_start.toordinal()))
            if best.score:
                suggestions.append(best)
    suggestions.sort(key=lambda s: (-s.score, s.has_point, -(s.per_1000 or 0), s.week_start,
                                    s.district.name, s.topic.name))
    suggestions = suggestions[:SUGGESTIONS]
    holidays = {day for closure in holidays_between(start, weeks[-1] + timedelta(days=6))
                for day in _days(closure.starts_on, closure.ends_on)}
    for suggestion in suggestions:
        suggestion.day = next((day for day in _days(suggestion.week_start,
                                                    suggestion.week_start + timedelta(days=4))
                               if day not in holidays), suggestion.week_start)
    return suggestions


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def deployment_from_suggestion(*, district: District, topic: QuestionTopic, day: date,
                               point: Point) -> MobileDeployment:
    """An unsaved deployment for a suggestion: a day (10:00-16:00) in the
    district, at the place mobile points last stopped there (or a fixed
    point's address), about the topic and themed on it. ``points.services.plan_deployment``
    saves it."""
    where = MobileDeployment.objects.usual_place(district) or {
        "place": district.name, "street": "", "postcode": district.postcode,
        "district": district}
    return MobileDeployment(
        point=point, topic=topic, theme=topic.name, **where,
        starts_at=datetime.combine(day, time(10), tzinfo=BRUSSELS),
        ends_at=datetime.combine(day, time(16), tzinfo=BRUSSELS),
    )
