"""The coordinator dashboard's figures, one function per concern.

Every function takes a ``Scope`` (a period and the points it covers) and
answers with a fixed number of aggregate queries, so the dashboard's query
count does not grow with the data. Templates only show what these return.
The additive visit figures (visits, outcomes, channels, topics, times) read
the nightly roll-up for the days it has built and the raw visits for the
other days (``dashboard.rollup``), so they always equal the raw data.

Unique people reached (the figure Flemish digibank funding is paid by) is
counted per period as: the distinct residents with a record who visited,
attended a training or got a loan device handed out in the period, plus the
distinct pseudonymous visitor keys of visits without a resident record
(see ``digibank.pseudonyms``). Visits with neither are counted as visits,
never as people: the figure can only be too low, never inflated.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from atelier.impact import SOURCE as IMPACT_SOURCE
from atelier.impact import impact_between
from atelier.models import Donation, JobReason, JobStatus, RefurbishJob, RepairOutcome, RepairTicket
from atelier.services import STALE_TICKET_DAYS
from dashboard import rollup
from dashboard.models import ChannelDayFigures, TopicDayFigures, VisitDayFigures
from devices.models import Device, DeviceStatus, Loan, LoanStatus
from digibank.models import DATA_LANGUAGE, District, Resident, TargetGroup
from outreach.models import Direction, Referral
from points.models import BRUSSELS, Point, QuestionTopic, Visit, VisitOutcome, VisitStatus
from soundboard.models import FeedbackItem
from trainings.models import Enrolment, EnrolmentStatus, InterestEntry, Session, SessionStatus


@dataclass(frozen=True)
class Scope:
    """A period (``start`` to ``end``, both included, local dates) and the
    points it covers (``points=None``: the whole city, partner venues too)."""

    start: date
    end: date
    points: tuple[int, ...] | None = None
    # Figures already computed for this scope while one page is built, so
    # two tables that need the same figure share one query (see
    # ``dashboard_tables``); None (no memo) everywhere else.
    memo: dict | None = field(default=None, compare=False, repr=False)
    # The place in words ("Bib in wijk Nekkerspoel", "heel de stad"), for the
    # sentence above the figures and the title and name of every file.
    place: str = field(default="", compare=False)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=BRUSSELS)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=BRUSSELS)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Scope":
        """The period of the same length just before this one."""
        end = self.start - timedelta(days=1)
        return Scope(start=end - timedelta(days=self.days - 1), end=end, points=self.points,
                     memo=None if self.memo is None else {}, place=self.place)

    def remembered(self, key: str, compute: Callable):
        """``compute()``, once per page for this scope (when it has a memo)."""
        if self.memo is None:
            return compute()
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def in_period(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.starts_at, f"{lookup}__lt": self.ends_before})

    def at_points(self, lookup: str) -> Q:
        return Q() if self.points is None else Q(**{f"{lookup}__in": self.points})


def scope_for(*, start: date, end: date, point: Point | None = None,
              district: District | None = None, allowed: QuerySet | None = None) -> Scope:
    """The scope for a chosen point or district, within the points a user may
    see (``allowed=None``: every point)."""
    points = allowed
    if point is not None:
        points = Point.objects.filter(pk=point.pk)
    elif district is not None:
        # A deelgemeente covers the points in its wijken too, as in demand mapping.
        points = Point.objects.filter(Q(district=district) | Q(district__parent=district))
    if points is not None and allowed is not None:
        points = points.filter(pk__in=allowed.values("pk"))
    ids = None if points is None else tuple(points.order_by("pk").values_list("pk", flat=True))
    return Scope(start=start, end=end, points=ids,
                 place=_place(point=point, district=district, allowed=allowed))


def _district_name(district: District) -> str:
    if district.parent_id is None:
        return _("district %(name)s") % {"name": district.name}
    return _("neighbourhood %(name)s") % {"name": district.name}


def _place(*, point: Point | None, district: District | None,
           allowed: QuerySet | None) -> str:
    """A scope's place in words: the point and the district when both were
    chosen (the point lies in the district), else the one chosen, else the
    whole city or the user's own points."""
    if point is not None and district is not None:
        return _("%(point)s in %(district)s") % {"point": point.name,
                                                "district": _district_name(district)}
    if point is not None:
        return point.name
    if district is not None:
        return _district_name(district)
    if allowed is None:
        return _("the whole city")
    return ", ".join(allowed.order_by("name").values_list("name", flat=True)) or _("no points")


@dataclass
class Table:
    """One dashboard table: rows of cells, the first cell a label. A table
    with ``chart=True`` is also drawn as a bar chart of its second column.
    ``labels_lang`` is the language of the labels when they are stored data
    (topics, target groups: ``DATA_LANGUAGE``), empty when they are the
    interface's own words."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: bool = False
    description: str = ""
    labels_lang: str = ""


def visits(scope: Scope) -> QuerySet:
    return Visit.objects.filter(scope.in_period("arrived_at") & scope.at_points("point"))


def _minutes(duration: timedelta | None) -> int | None:
    return None if duration is None else round(duration.total_seconds() / 60)


def _average(total: timedelta, count: int) -> int | None:
    return _minutes(total / count) if count else None


def _additive(scope: Scope) -> dict:
    """The period's additive visit figures (``dashboard.rollup``): the
    roll-up of its built days plus the raw visits of the others."""
    return scope.remembered("additive", lambda: _add_up_visits(scope))


def _add_up_visits(scope: Scope) -> dict:
    parts = rollup.split(scope.start, scope.end)
    rolled, raw = parts.rolled_q(), parts.raw_q()
    return rollup.add_up(
        {} if rolled is None else VisitDayFigures.objects.filter(
            rolled & scope.at_points("point")).aggregate(**rollup.rolled_aggregates()),
        {} if raw is None else Visit.objects.filter(
            raw & scope.at_points("point")).aggregate(**rollup.visit_aggregates()),
    )


def visit_totals(scope: Scope) -> dict:
    """Visits, unidentified visits, people who left, and the average
    waiting and service times (minutes) of the period."""
    figures = _additive(scope)
    return {
        "visits": figures["visits"],
        "unidentified": figures["unidentified"],
        "left": figures["left"],
        "wait": _average(figures["wait_total"], figures["wait_count"]),
        "coach_wait": _average(figures["coach_wait_total"], figures["coach_wait_count"]),
        "total": _average(figures["duration_total"], figures["duration_count"]),
    }


def visit_summary(scope: Scope) -> dict:
    """``visit_totals`` plus the distinct residents and visitor keys of the
    period's visits (on the raw visits: distinct counts do not add up)."""
    figures = visit_totals(scope)
    figures["residents"] = visits(scope).filter(resident__isnull=False) \
        .values("resident").distinct().count()
    figures["keys"] = _visitor_keys(scope)
    return figures


def _visitor_keys(scope: Scope) -> int:
    return visits(scope).filter(resident__isnull=True).exclude(visitor_key="") \
        .values("visitor_key").distinct().count()


def reached_resident_ids(scope: Scope) -> QuerySet:
    """The ids of the residents with a record who visited, attended a
    training or got a loan device handed out in the period: one UNION, which
    PostgreSQL deduplicates and joins as a set (an OR of three IN
    subqueries is checked resident by resident, which breaks down over
    years of visits)."""
    visited = visits(scope).filter(resident__isnull=False).values_list("resident")
    attended = Enrolment.objects.filter(
        scope.in_period("session__starts_at") & scope.at_points("session__point"),
        status=EnrolmentStatus.ATTENDED, resident__isnull=False,
    ).values_list("resident")
    lent = Loan.objects.filter(
        scope.in_period("handed_out_at") & scope.at_points("handed_out_at_point"),
        resident__isnull=False,
    ).values_list("resident")
    return visited.order_by().union(attended.order_by(), lent.order_by())


def reached_residents(scope: Scope) -> QuerySet:
    """Residents with a record who visited, attended a training or got a
    loan device handed out in the period."""
    return Resident.objects.filter(pk__in=reached_resident_ids(scope))


def _reached(scope: Scope) -> tuple[int, list[tuple[str, int]]]:
    """Residents reached, in all and per target group, in one query over
    the UNION of residents (read once; each group is a hashed lookup). The
    ORM cannot aggregate over a UNION, hence the SQL around it."""
    groups = list(TargetGroup.objects.order_by("name"))
    try:
        union, params = reached_resident_ids(scope).query.sql_with_params()
    except EmptyResultSet:
        # No point in the scope (a wijk without a point of its own): every
        # part of the UNION is empty, which Django refuses to write as SQL.
        return 0, [*((group.name, 0) for group in groups), (NO_TARGET_GROUP(), 0)]
    members = Resident.target_groups.through._meta.db_table
    counts = "".join(
        f", COUNT(*) FILTER (WHERE reached.resident IN "
        f"(SELECT resident_id FROM {members} WHERE targetgroup_id = %s))" for _group in groups)
    none = f", COUNT(*) FILTER (WHERE reached.resident NOT IN (SELECT resident_id FROM {members}))"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*){counts}{none} FROM ({union}) reached",
                       (*(group.pk for group in groups), *params))
        total, *per_group, without = cursor.fetchone()
    return total, [*((group.name, n) for group, n in zip(groups, per_group, strict=True)),
                   (NO_TARGET_GROUP(), without)]


def unique_people(scope: Scope) -> dict:
    """Unique people reached: residents reached plus pseudonymous keys."""
    residents, _groups = scope.remembered("reached", lambda: _reached(scope))
    keys = _visitor_keys(scope)
    return {"residents": residents, "keys": keys, "total": residents + keys}


def NO_TARGET_GROUP() -> str:  # noqa: N802 (reads as the row's name)
    return _("No target group")


def people_by_target_group(scope: Scope) -> list[tuple[str, int]]:
    """Residents reached per target group (a resident can be in several),
    and, last, those in no target group."""
    _total, groups = scope.remembered("reached", lambda: _reached(scope))
    return groups


def topics(scope: Scope) -> list[tuple[str, int]]:
    """Visits per topic: the roll-up of the built days plus, for the other
    days, the visit-topic links grouped per topic (a join on the period's
    visits, not a subquery per topic)."""
    parts = rollup.split(scope.start, scope.end)
    rolled, raw = parts.rolled_q(), parts.raw_q("visit__arrived_at")
    counts: Counter = Counter()
    if rolled is not None:
        counts.update(dict(TopicDayFigures.objects.filter(rolled & scope.at_points("point"))
                           .values("topic").annotate(n=Sum("visits")).values_list("topic", "n")))
    if raw is not None:
        links = Visit.topics.through.objects.filter(raw & scope.at_points("visit__point"))
        counts.update(dict(links.values("questiontopic").annotate(n=Count("pk"))
                           .values_list("questiontopic", "n")))
    counts = {pk: n for pk, n in counts.items() if n}
    names = QuestionTopic.objects.in_bulk(list(counts))
    rows = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]].order,
                                                   names[item[0]].name))
    return [(names[pk].name, n) for pk, n in rows]


def resolutions(scope: Scope) -> list[tuple[str, int]]:
    """How the visits ended: solved by the host or by a coach, the other
    outcomes, and people who left without help."""
    figures = _additive(scope)
    rows = [(_("Solved by the host"), figures["solved_host"]),
            (_("Solved by a coach"), figures["solved_coach"])]
    rows += [(str(VisitOutcome(value).label), figures[value]) for value in rollup.OTHER_OUTCOMES]
    rows.append((str(VisitStatus.LEFT.label), figures["left"]))
    return rows


def channels(scope: Scope) -> list[tuple[str, int]]:
    """Visits per channel (how they heard of us), most first."""
    parts = rollup.split(scope.start, scope.end)
    rolled, raw = parts.rolled_q(), parts.raw_q()
    counts: Counter = Counter()
    if rolled is not None:
        counts.update(dict(ChannelDayFigures.objects.filter(rolled & scope.at_points("point"))
                           .values("channel__name").annotate(n=Sum("visits"))
                           .values_list("channel__name", "n")))
    if raw is not None:
        counts.update(dict(Visit.objects.filter(raw & scope.at_points("point"))
                           .values("channel__name").annotate(n=Count("pk"))
                           .values_list("channel__name", "n")))
    rows = sorted(((name, n) for name, n in counts.items() if n),
                  key=lambda item: (-item[1], item[0] or ""))
    return [(name or _("Not asked"), n) for name, n in rows]


def trainings(scope: Scope) -> dict:
    """Sessions held in the period, fill rate and attendance, waiting lists."""
    sessions = Session.objects.filter(scope.in_period("starts_at") & scope.at_points("point"))
    held = sessions.filter(status=SessionStatus.HELD)
    figures = held.aggregate(held=Count("pk"), places=Sum("capacity"))
    taken = Enrolment.objects.filter(session__in=held.values("pk")).aggregate(
        attended=Count("pk", filter=Q(status=EnrolmentStatus.ATTENDED)),
        no_show=Count("pk", filter=Q(status=EnrolmentStatus.NO_SHOW)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
    )
    figures.update(taken)
    figures["places"] = figures["places"] or 0
    figures["cancelled"] = sessions.filter(status=SessionStatus.CANCELLED).count()
    figures["fill_rate"] = _percent(taken["attended"] + taken["no_show"], figures["places"])
    figures["attendance"] = _percent(taken["attended"], taken["attended"] + taken["no_show"])
    figures["interest"] = InterestEntry.objects.filter(
        closed_at__isnull=True, **({} if scope.points is None else {"point__in": scope.points})
    ).count()
    return figures


def _percent(part: int, whole: int) -> int | None:
    return None if not whole else round(100 * part / whole)


def devices(scope: Scope) -> list[tuple[str, int]]:
    """Devices by status now (at the scope's points; the atelier too city-wide)."""
    counts = dict(
        Device.objects.filter(scope.at_points("point")).values_list("status")
        .annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(str(label), counts.get(value, 0)) for value, label in DeviceStatus.choices]


def devices_by_place(scope: Scope) -> list[tuple[str, int]]:
    """Devices now at each point, or at the atelier or on loan (no point)."""
    rows = (Device.objects.filter(scope.at_points("point")).exclude(status=DeviceStatus.RETIRED)
            .values("point__name").annotate(n=Count("pk")).order_by("-n", "point__name"))
    return [(row["point__name"] or _("Atelier or on loan"), row["n"]) for row in rows]


def loans(scope: Scope) -> dict:
    """Loans handed out in the period, active now, and yearly checks due by
    the end of the period."""
    where = scope.at_points("handed_out_at_point")
    base = Loan.objects.filter(where)
    return base.aggregate(
        handed_out=Count("pk", filter=scope.in_period("handed_out_at")),
        active=Count("pk", filter=Q(status=LoanStatus.ISSUED)),
        checks_due=Count("pk", filter=Q(status=LoanStatus.ISSUED, check_due_on__lte=scope.end)),
    )


def feedback(scope: Scope) -> dict:
    """Sounding-board items raised in the period: answered in time, late, not yet."""
    items = FeedbackItem.objects.filter(
        scope.at_points("point"), raised_on__gte=scope.start, raised_on__lte=scope.end
    )
    return items.aggregate(
        raised=Count("pk"),
        open=Count("pk", filter=~Q(status__in=["done", "not_taken_up"])),
        in_time=Count("pk", filter=Q(answered_at__isnull=False,
                                     answered_at__date__lte=F("answer_due_on"))),
        late=Count("pk", filter=Q(answered_at__isnull=False,
                                  answered_at__date__gt=F("answer_due_on"))),
        unanswered=Count("pk", filter=Q(answered_at__isnull=True)),
    )


def referrals(scope: Scope) -> dict:
    rows = Referral.objects.filter(
        scope.in_period("created_at") & scope.at_points("preferred_point")
    ).aggregate(
        incoming=Count("pk", filter=Q(direction=Direction.IN)),
        outgoing=Count("pk", filter=Q(direction=Direction.OUT)),
    )
    return rows


def unsolved_by_service(scope: Scope) -> list[list]:
    """Signals to e-service providers: visits that could not be solved, per
    external service of their topics and per month (a visit about two
    services counts for both, once each).

    A service with one topic reads the roll-up for the built days; a service
    shared by several topics always reads the visit-topic links, so a visit
    about two of its topics is counted once."""
    services = dict(QuestionTopic.objects.exclude(external_service="")
                    .values_list("pk", "external_service"))
    topics_per_service = Counter(services.values())
    single = [pk for pk, service in services.items() if topics_per_service[service] == 1]
    parts = rollup.split(scope.start, scope.end)
    rolled, raw = parts.rolled_q(), parts.raw_q("visit__arrived_at")
    counts: Counter = Counter()
    if rolled is not None and single:
        rows = (TopicDayFigures.objects
                .filter(rolled & scope.at_points("point"), topic__in=single, not_solved__gt=0)
                .annotate(month=TruncMonth("day")).values("topic", "month")
                .annotate(n=Sum("not_solved")).values_list("topic", "month", "n"))
        for topic, month, n in rows:
            counts[services[topic], month.year, month.month] += n
    shared = Q(questiontopic__in=[pk for pk in services if pk not in single])
    links = Visit.topics.through.objects.filter(
        (shared & scope.in_period("visit__arrived_at")) if raw is None
        else shared & scope.in_period("visit__arrived_at") | Q(questiontopic__in=single) & raw)
    rows = (links.filter(scope.at_points("visit__point"), visit__outcome=VisitOutcome.NOT_SOLVED)
            .annotate(month=TruncMonth("visit__arrived_at", tzinfo=BRUSSELS))
            .values("questiontopic__external_service", "month")
            .annotate(n=Count("visit", distinct=True))
            .values_list("questiontopic__external_service", "month", "n"))
    for service, month, n in rows:
        counts[service, month.year, month.month] += n
    return [[service, f"{month:02d}/{year}", n]
            for (service, year, month), n in sorted(counts.items()) if n]


def _change(now: int | None, before: int | None) -> str:
    if now is None or before is None:
        return ""
    return f"{now - before:+d}"


def _reach_table(scope: Scope) -> Table:
    previous = scope.previous()
    summary, summary_before = visit_totals(scope), visit_totals(previous)
    people, people_before = unique_people(scope), unique_people(previous)
    compare = [_("Figure"), _("This period"), _("Previous period"),
               pgettext("difference between two periods", "Change")]

    def row(label: str, now, before) -> list:
        return [label, now, before, _change(now, before)]

    return Table("bereik", _("Reach"), compare, description=_periods(scope), rows=[
        row(_("Visits"), summary["visits"], summary_before["visits"]),
        row(_("Unique people reached"), people["total"], people_before["total"]),
        row(_("of whom residents with a record"), people["residents"], people_before["residents"]),
        row(_("of whom with a visitor key only"), people["keys"], people_before["keys"]),
        row(_("Visits without identification"), summary["unidentified"],
            summary_before["unidentified"]),
        row(_("Left without help"), summary["left"], summary_before["left"]),
        row(_("Average wait for the host (minutes)"), summary["wait"], summary_before["wait"]),
        row(_("Average wait for a coach (minutes)"), summary["coach_wait"],
            summary_before["coach_wait"]),
        row(_("Average time from arrival to done (minutes)"), summary["total"],
            summary_before["total"]),
    ])


def _periods(scope: Scope) -> str:
    """Both periods a comparison shows, spelled out."""
    previous = scope.previous()
    return _("This period: %(start)s until %(end)s. Previous period: %(previous_start)s until "
             "%(previous_end)s (as many days just before).") % {
        "start": f"{scope.start:%d/%m/%Y}", "end": f"{scope.end:%d/%m/%Y}",
        "previous_start": f"{previous.start:%d/%m/%Y}",
        "previous_end": f"{previous.end:%d/%m/%Y}"}


def _thresholds_table(scope: Scope) -> Table:
    """Unique people of the calendar year of the period's end (up to that
    end, or today) against the Flemish funding thresholds."""
    from dashboard.glance import threshold_progress

    until = min(scope.end, timezone.localdate())
    progress = threshold_progress(until, scope.points)
    rows = []
    for mark in progress.thresholds:
        if mark.reached:
            when = _("reached")
        elif mark.people == progress.next_threshold and progress.projected_on:
            when = _("expected on %(day)s at this pace") % {
                "day": f"{progress.projected_on:%d/%m/%Y}"}
        else:
            when = _("not expected yet")
        rows.append([mark.people, max(mark.people - progress.people, 0), when])
    return Table(
        "drempels", _("Unique people this year against the funding thresholds"),
        [_("Threshold (unique people a year)"), _("Still to reach"), _("When")], rows,
        description=_("Unique people from %(start)s until %(end)s: %(people)s, about "
                      "%(per_week)s a week. The expected day assumes that pace holds.") % {
            "start": f"{progress.start:%d/%m/%Y}", "end": f"{progress.until:%d/%m/%Y}",
            "people": progress.people, "per_week": formats.localize(progress.per_week)})


def _weeks_table(scope: Scope) -> Table:
    """Visits and unique people per week over the 52 weeks up to the
    period's end, beside the same weeks a year earlier."""
    from dashboard.glance import weekly_trend

    trend = weekly_trend(min(scope.end, timezone.localdate()), scope.points)
    return Table(
        "weken", _("Visits and unique people per week, against the year before"),
        [_("Week of"), _("Visits"), _("Visits a year earlier"), _("Unique people"),
         _("Unique people a year earlier")],
        [[f"{week.start:%d/%m/%Y}", week.visits, week.visits_before, week.people,
          week.people_before] for week in trend.weeks],
        description=_("Weeks from %(first)s until %(last)s, compared with %(first_before)s "
                      "until %(last_before)s. A week's people are the different residents "
                      "and visitor keys of its visits.") % {
            "first": f"{trend.first:%d/%m/%Y}", "last": f"{trend.last:%d/%m/%Y}",
            "first_before": f"{trend.first_before:%d/%m/%Y}",
            "last_before": f"{trend.last_before:%d/%m/%Y}"})


def _count() -> list[str]:
    return [_("What"), pgettext("quantity", "Number")]


def _trainings_table(scope: Scope) -> Table:
    training = trainings(scope)
    return Table("opleidingen", _("Trainings"), _count(), [
        [_("Sessions held"), training["held"]],
        [_("Sessions cancelled"), training["cancelled"]],
        [_("Places offered"), training["places"]],
        [_("Fill rate (%)"), training["fill_rate"]],
        [_("Attended"), training["attended"]],
        [_("Did not come"), training["no_show"]],
        [_("Attendance (%)"), training["attendance"]],
        [_("Still on a waiting list"), training["waiting"]],
        [_("Open interest list entries"), training["interest"]],
    ])


def _loans_table(scope: Scope) -> Table:
    loan = loans(scope)
    return Table("uitleningen", _("Loans"), _count(), [
        [_("Handed out in the period"), loan["handed_out"]],
        [_("On loan now"), loan["active"]],
        [_("Yearly checks due by the end of the period"), loan["checks_due"]],
    ])


def _feedback_table(scope: Scope) -> Table:
    items = feedback(scope)
    return Table("feedback", _("Sounding-board feedback raised in the period"), _count(), [
        [_("Raised"), items["raised"]],
        [pgettext("feedback items", "Still open"), items["open"]],
        [_("Answered in time"), items["in_time"]],
        [_("Answered late"), items["late"]],
        [_("Not answered yet"), items["unanswered"]],
    ])


def _referrals_table(scope: Scope) -> Table:
    referral = referrals(scope)
    return Table("doorverwijzingen", _("Referrals"), _count(), [
        [_("From partners to the digibank"), referral["incoming"]],
        [_("From the digibank to partners"), referral["outgoing"]],
    ])


# slug -> builder, in the dashboard's order. An export builds only its own.
TABLES = {
    "bereik": _reach_table,
    "drempels": _thresholds_table,
    "weken": _weeks_table,
    "doelgroepen": lambda scope: Table(
        "doelgroepen", _("Unique people by target group"), _count(),
        [list(r) for r in people_by_target_group(scope)], chart=True, labels_lang=DATA_LANGUAGE,
        description=_("Residents with a record only (a visitor with only a visitor key has no "
                      "target group). A person can be in several groups, so the rows can add up "
                      "to more than the residents reached.")),
    "onderwerpen": lambda scope: Table(
        "onderwerpen", _("Questions by topic"), _count(), [list(r) for r in topics(scope)],
        chart=True, labels_lang=DATA_LANGUAGE),
    "afhandeling": lambda scope: Table(
        "afhandeling", _("How questions were resolved"), _count(),
        [list(r) for r in resolutions(scope)], chart=True),
    "kanalen": lambda scope: Table(
        "kanalen", _("How visitors heard of the digibank"), _count(),
        [list(r) for r in channels(scope)], chart=True),
    "opleidingen": _trainings_table,
    "toestellen": lambda scope: Table(
        "toestellen", _("Devices by status (now)"), _count(),
        [list(r) for r in devices(scope)], chart=True),
    "toestellen-plaats": lambda scope: Table(
        "toestellen-plaats", _("Devices by place (now)"), _count(),
        [list(r) for r in devices_by_place(scope)], chart=True),
    "uitleningen": _loans_table,
    "feedback": _feedback_table,
    "doorverwijzingen": _referrals_table,
    "e-diensten": lambda scope: Table(
        "e-diensten", _("Questions we could not solve, by e-service and month"),
        [_("E-service"), _("Month"), pgettext("quantity", "Number")],
        unsolved_by_service(scope), labels_lang=DATA_LANGUAGE,
        description=_("A signal to the providers of these e-services.")),
}


def dashboard_tables(scope: Scope, only: tuple[str, ...] | None = None) -> list[Table]:
    """The dashboard's tables in order (``only``: just those slugs), without
    the atelier-wide ones when the scope is not the whole city. The tables
    share figures computed for the same scope (a memo that lives as long as
    this call)."""
    scope = replace(scope, memo={})
    return [build(scope) for slug, build in TABLES.items()
            if (only is None or slug in only) and shows_table(slug, scope.points)]


def shows_table(slug: str, points: tuple[int, ...] | None) -> bool:
    """Whether a table (and its card on the first screen) is shown for a
    place: the city-wide tables only for the whole city."""
    return points is None or slug not in CITY_WIDE_TABLES


# --- Atelier and repairs -------------------------------------------------
#
# Repairs are scoped to a point through the tickets taken in there
# (``reported_at_point``) or to be given back there (``return_point``);
# city-wide, every ticket counts, the atelier's own intake too. Refurbishing
# and impact happen at the one atelier for the whole city: they are shown
# for a city-wide scope only, never as if they were a point's figures.

#
# The funding thresholds (1,000 / 1,500 / 1,750 unique people a year) are
# the whole city's: a point's or district's people are never projected onto
# them (it would promise "1,000 on 13/05/2119").

CITY_WIDE_TABLES = ("opknappen", "impact", "drempels")


def _days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400).quantize(Decimal("0.1"))


def repair_tickets(scope: Scope) -> QuerySet:
    if scope.points is None:
        return RepairTicket.objects.all()
    return RepairTicket.objects.filter(
        Q(reported_at_point__in=scope.points) | Q(return_point__in=scope.points))


def repairs(scope: Scope) -> dict:
    """Repair tickets resolved in the period (how, and in how many days from
    opened to resolved), and the tickets still open at the end of the period,
    of which those open longer than the atelier's stale limit. Two queries."""
    tickets = repair_tickets(scope)
    resolved = scope.in_period("resolved_at")
    open_at_end = Q(opened_at__lt=scope.ends_before) & (
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=scope.ends_before))
    figures = tickets.aggregate(
        resolved=Count("pk", filter=resolved),
        average=Avg(rollup.span("resolved_at", "opened_at"), filter=resolved),
        **{value: Count("pk", filter=resolved & Q(outcome=value))
           for value in RepairOutcome.values},
        open=Count("pk", filter=open_at_end),
        stale=Count("pk", filter=open_at_end & Q(
            opened_at__lt=scope.ends_before - timedelta(days=STALE_TICKET_DAYS))),
    )
    # The median: the middle one or two turnarounds, sorted in the database.
    n = figures["resolved"]
    middle = list(
        tickets.filter(resolved).annotate(turnaround=rollup.span("resolved_at", "opened_at"))
        .order_by("turnaround").values_list("turnaround", flat=True)[(n - 1) // 2: n // 2 + 1]
    ) if n else []
    figures["median"] = _days(sum(middle, timedelta()) / len(middle)) if middle else None
    figures["average"] = _days(figures["average"])
    return figures


def refurbishing(scope: Scope) -> dict:
    """Refurbishing jobs finished in the period (ready or scrapped), the
    devices made ready, and the donations received. Atelier-wide."""
    figures = RefurbishJob.objects.aggregate(
        finished=Count("pk", filter=scope.in_period("finished_at")
                       & Q(status__in=[JobStatus.DONE, JobStatus.SCRAPPED])),
        scrapped=Count("pk", filter=scope.in_period("finished_at")
                       & Q(status=JobStatus.SCRAPPED)),
        ready=Count("device", distinct=True,
                    filter=scope.in_period("finished_at") & Q(status=JobStatus.DONE)),
        donated=Count("pk", filter=scope.in_period("opened_at")
                      & Q(reason=JobReason.DONATION)),
    )
    figures.update(Donation.objects.filter(
        received_on__gte=scope.start, received_on__lte=scope.end,
    ).aggregate(donations=Count("pk"), announced=Sum("expected_count")))
    figures["announced"] = figures["announced"] or 0
    return figures


def _repairs_table(scope: Scope) -> Table:
    figures = repairs(scope)
    return Table("herstellingen", _("Repairs"), _count(), [
        [_("Repairs resolved in the period"), figures["resolved"]],
        [_("of which fixed"), figures[RepairOutcome.FIXED]],
        [_("of which repairable"), figures[RepairOutcome.REPAIRABLE]],
        [_("of which end of life"), figures[RepairOutcome.END_OF_LIFE]],
        [_("Median days from opened to resolved"), figures["median"]],
        [_("Average days from opened to resolved"), figures["average"]],
        [_("Still open at the end of the period"), figures["open"]],
        [_("of which open longer than %(days)s days") % {"days": STALE_TICKET_DAYS},
         figures["stale"]],
    ], description=_("Repairs taken in at these points or to be given back there; "
                     "city-wide also those taken in at the atelier."))


def _refurbishing_table(scope: Scope) -> Table:
    figures = refurbishing(scope)
    return Table("opknappen", _("Refurbishing at the atelier"), _count(), [
        [_("Refurbishing jobs finished"), figures["finished"]],
        [_("of which scrapped"), figures["scrapped"]],
        [_("Devices made ready"), figures["ready"]],
        [_("Donations received"), figures["donations"]],
        [_("Devices announced with those donations"), figures["announced"]],
        [_("Donated devices taken in"), figures["donated"]],
    ], description=_("The whole atelier; shown for the whole city only."))


def _impact_table(scope: Scope) -> Table:
    impact = impact_between(scope.start, scope.end)
    return Table("impact", _("Impact of the atelier"), _count(), [
        [_("Devices given a second life"), impact.second_life],
        [_("of which donated and refurbished"), sum(k.reused for k in impact.kinds)],
        [_("of which repaired"), sum(k.fixed for k in impact.kinds)],
        [_("E-waste avoided (kg)"), impact.waste_kg.quantize(Decimal("0.1"))],
        [_("CO2e avoided (kg)"), impact.co2e_kg.quantize(Decimal("1"))],
    ], description=_("Source of the figures: %(source)s.") % {"source": IMPACT_SOURCE})


TABLES.update({
    "herstellingen": _repairs_table,
    "opknappen": _refurbishing_table,
    "impact": _impact_table,
})
