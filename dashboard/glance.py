"""The first screen: the coordinator's four questions at a glance.

1. How many unique people did we reach this year, against the Flemish
   funding thresholds, and when is the next one reached at this pace?
2. How do visits and people per week compare with the year before?
3. Where is demand unanswered (topic × district), which trainings are asked
   for but not planned?
4. Which sounding-board feedback waits for an answer or a step?

Each answer is one function of the day and the points in view, in a fixed
number of queries; the detailed tables stay in ``dashboard.figures``.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from dashboard.demand import past_year, unanswered_demand
from dashboard.figures import Scope, shows_table, unique_people
from digibank.days import BRUSSELS
from points.models import QuestionTopic, Visit
from soundboard.models import FeedbackItem, FeedbackStatus
from trainings.models import Course, InterestEntry, Session, SessionStatus

# Flemish digibank funding is paid by unique people reached in a calendar
# year: these are the steps.
THRESHOLDS = (1000, 1500, 1750)
TOP = 5  # rows in each "what waits" list


# --- 1. Unique people against the thresholds ------------------------------


@dataclass(frozen=True)
class Threshold:
    people: int
    reached: bool
    percent: float  # where the threshold sits on the bar (0-100)
    to_go: int  # people still to reach it (0 once reached)


@dataclass(frozen=True)
class ThresholdProgress:
    """Unique people reached from 1 January up to ``until``, and when the
    next threshold is reached if the pace of this year so far holds."""

    start: date
    until: date
    people: int
    thresholds: tuple[Threshold, ...]
    next_threshold: int | None
    projected_on: date | None  # None: nobody reached yet, or every threshold met

    @property
    def scale(self) -> int:
        """The bar's full width: the highest threshold, or more when passed."""
        return max(self.thresholds[-1].people, self.people)

    @property
    def percent(self) -> float:
        return round(100 * self.people / self.scale, 1)

    @property
    def per_week(self) -> float:
        days = (self.until - self.start).days + 1
        return round(self.people * 7 / days, 1)

    @property
    def projected_this_year(self) -> bool:
        return self.projected_on is not None and self.projected_on.year == self.start.year

    @property
    def to_go(self) -> int | None:
        return None if self.next_threshold is None else self.next_threshold - self.people


def project(people: int, start: date, until: date, target: int) -> date | None:
    """The day ``target`` people are reached if they keep coming at the pace
    of ``start..until`` (``people`` in that many days). None when nobody came."""
    if people <= 0:
        return None
    days = (until - start).days + 1
    return start + timedelta(days=math.ceil(target * days / people) - 1)


def threshold_progress(until: date, points: tuple[int, ...] | None = None,
                       thresholds: tuple[int, ...] = THRESHOLDS) -> ThresholdProgress:
    """Unique people of the calendar year of ``until``, counted as the
    dashboard counts them (``figures.unique_people``), up to ``until``."""
    start = date(until.year, 1, 1)
    people = unique_people(Scope(start=start, end=until, points=points, memo={}))["total"]
    scale = max(thresholds[-1], people)
    marks = tuple(Threshold(people=n, reached=people >= n, percent=round(100 * n / scale, 1),
                            to_go=max(n - people, 0)) for n in thresholds)
    upcoming = next((n for n in thresholds if n > people), None)
    return ThresholdProgress(
        start=start, until=until, people=people, thresholds=marks, next_threshold=upcoming,
        projected_on=None if upcoming is None else project(people, start, until, upcoming))


# --- 2. Visits and people per week ----------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    visits: int
    people: int
    visits_before: int  # the same week a year (52 weeks) earlier
    people_before: int

    @property
    def start_before(self) -> date:
        return self.start - timedelta(weeks=52)


@dataclass(frozen=True)
class Trend:
    weeks: list[Week]

    @property
    def first(self) -> date:
        return self.weeks[0].start

    @property
    def last(self) -> date:
        return self.weeks[-1].start + timedelta(days=6)

    @property
    def first_before(self) -> date:
        return self.weeks[0].start_before

    @property
    def last_before(self) -> date:
        return self.weeks[-1].start_before + timedelta(days=6)

    @property
    def visits_total(self) -> int:
        return sum(week.visits for week in self.weeks)

    @property
    def visits_before_total(self) -> int:
        return sum(week.visits_before for week in self.weeks)


WEEKS = 52


def weekly_trend(today: date, points: tuple[int, ...] | None = None) -> Trend:
    """Visits and unique people per ISO week (Monday to Sunday, Brussels)
    over the last 52 complete weeks before the week of ``today`` (a week
    under way would look like a dip), each beside the same week 52 weeks
    before. A week's people are the distinct residents with a record plus
    the distinct visitor keys of visits without one: a person who came in
    two weeks counts in both. One query."""
    last_monday = today - timedelta(days=today.weekday(), weeks=1)
    first = last_monday - timedelta(weeks=WEEKS - 1)
    first_before = first - timedelta(weeks=52)
    start = Scope(start=first_before, end=last_monday + timedelta(days=6))
    visits = Visit.objects.filter(start.in_period("arrived_at"))
    if points is not None:
        visits = visits.filter(point__in=points)
    rows = (visits.order_by().annotate(week=TruncWeek("arrived_at", tzinfo=BRUSSELS))
            .values("week").annotate(
                visits=Count("pk"),
                residents=Count("resident", distinct=True),
                keys=Count("visitor_key", distinct=True,
                           filter=Q(resident__isnull=True) & ~Q(visitor_key=""))))
    per_week = {_day(row["week"]): (row["visits"], row["residents"] + row["keys"])
                for row in rows}
    weeks = []
    for n in range(WEEKS):
        monday = first + timedelta(weeks=n)
        before = monday - timedelta(weeks=52)
        now_visits, now_people = per_week.get(monday, (0, 0))
        old_visits, old_people = per_week.get(before, (0, 0))
        weeks.append(Week(start=monday, visits=now_visits, people=now_people,
                          visits_before=old_visits, people_before=old_people))
    return Trend(weeks=weeks)


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


# --- 3. Demand we do not meet ---------------------------------------------


def top_unanswered(today: date, points: tuple[int, ...] | None = None,
                   limit: int = TOP) -> list[dict]:
    """The topic × district pairs where most people left without help in
    the past year, most first (only pairs with both a topic and a district)."""
    rows = [row for row in unanswered_demand(past_year(today, points)).left
            if row["district"] is not None and row["topic"] is not None]
    return rows[:limit]


@dataclass
class MissingTraining:
    """A training people asked for with no session planned ahead."""

    title: str
    course: Course | None
    topic: QuestionTopic | None
    people: int
    since: date


def trainings_not_planned(points: tuple[int, ...] | None = None,
                          limit: int = TOP) -> list[MissingTraining]:
    """Open interest-list entries per course (or per topic, for entries
    without a course) for which no session is planned from now on, most
    people first. A topic counts as planned when a course about it has a
    planned session ahead. Three queries."""
    now = timezone.now()
    entries = InterestEntry.objects.open()
    if points is not None:
        entries = entries.filter(point__in=points)
    groups = list(entries.values("course", "topic").annotate(n=Count("pk"),
                                                             since=Min("created_at")))
    if not groups:
        return []
    ahead = Session.objects.filter(status=SessionStatus.PLANNED, starts_at__gte=now)
    planned_courses = set(ahead.values_list("course", flat=True))
    planned_topics = set(ahead.exclude(course__topics=None)
                         .values_list("course__topics", flat=True))
    courses = Course.objects.in_bulk({row["course"] for row in groups} - {None})
    topics = QuestionTopic.objects.in_bulk({row["topic"] for row in groups} - {None})
    missing: dict[tuple, MissingTraining] = {}
    for row in groups:
        course, topic = courses.get(row["course"]), topics.get(row["topic"])
        if course is not None:
            if course.pk in planned_courses:
                continue
            key, title, topic = ("course", course.pk), course.title, None
        elif topic is not None:
            if topic.pk in planned_topics:
                continue
            key, title = ("topic", topic.pk), topic.name
        else:
            continue
        since = timezone.localtime(row["since"]).date()
        if key in missing:
            missing[key].people += row["n"]
            missing[key].since = min(missing[key].since, since)
        else:
            missing[key] = MissingTraining(title=title, course=course, topic=topic,
                                           people=row["n"], since=since)
    return sorted(missing.values(), key=lambda m: (-m.people, m.since, m.title))[:limit]


# --- 4. Feedback that waits -----------------------------------------------


@dataclass
class WaitingFeedback:
    unanswered: int = 0
    overdue: int = 0
    waiting_for_step: int = 0  # answered, planned or considered, not done yet
    oldest: list[FeedbackItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.unanswered + self.waiting_for_step


def waiting_feedback(today: date, points: tuple[int, ...] | None = None,
                     limit: int = TOP) -> WaitingFeedback:
    """Sounding-board items still open: waiting for an answer (of which past
    their answer date) or, answered, waiting for the step that was planned
    or is being considered; the oldest few to open. Two queries."""
    items = FeedbackItem.objects.open()
    if points is not None:
        items = items.filter(point__in=points)
    counts = items.aggregate(
        unanswered=Count("pk", filter=Q(answered_at__isnull=True)),
        overdue=Count("pk", filter=Q(answered_at__isnull=True, answer_due_on__lt=today)),
        waiting_for_step=Count("pk", filter=Q(answered_at__isnull=False,
                                              status__in=[FeedbackStatus.PLANNED,
                                                          FeedbackStatus.CONSIDERING])),
    )
    # Unanswered first (the longest overdue first), then the oldest answered.
    oldest = list(items.select_related("board").order_by(
        F("answered_at").asc(nulls_first=True), "answer_due_on", "raised_on", "pk")[:limit])
    return WaitingFeedback(oldest=oldest, **counts)


@dataclass
class Glance:
    progress: ThresholdProgress | None  # None: not the whole city (``shows_table``)
    trend: Trend
    unanswered: list[dict]
    trainings: list[MissingTraining]
    feedback: WaitingFeedback


def glance(today: date, points: tuple[int, ...] | None = None) -> Glance:
    return Glance(progress=threshold_progress(today) if shows_table("drempels", points)
                  else None,
                  trend=weekly_trend(today, points),
                  unanswered=top_unanswered(today, points),
                  trainings=trainings_not_planned(points),
                  feedback=waiting_feedback(today, points))
