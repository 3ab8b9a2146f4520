"""The OpenStreetMap ``opening_hours`` string of every point, read by an
independent parser (opening-hours-py), says open at exactly the moments
the calendar does: every quarter-hour of the next 400 days, for every demo
point, and for the cases that went wrong before (seasonal hours, two stops
on one day, public holidays the point does not close on)."""

from datetime import date, datetime, time, timedelta

import opening_hours
import pytest
from django.utils import timezone

from digibank import demo as core_demo
from outreach import demo as outreach_demo
from points import calendar
from points import demo as points_demo
from points.models import BRUSSELS, Closure, Point
from points.opendata import osm_opening_hours
from tests.factories import make_point
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)

pytestmark = pytest.mark.django_db
DAYS = 400
QUARTER = timedelta(minutes=15)


def _quarters(start: datetime, end: datetime) -> set[datetime]:
    """The quarter-hours (wall-clock, naive) in ``start..end``."""
    first = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
    if first < start:
        first += QUARTER
    found = set()
    while first < end:
        found.add(first)
        first += QUARTER
    return found


def _calendar_quarters(point: Point, today: date, holidays) -> set[datetime]:
    """Where the calendar says open, from its stops (what is_open_at reads)."""
    found = set()
    for stop in calendar.stops_between(point, today, today + timedelta(days=DAYS - 1), holidays):
        found |= _quarters(stop.start.replace(tzinfo=None), stop.end.replace(tzinfo=None))
    return found


def _osm_quarters(text: str, today: date) -> set[datetime]:
    """Where the parser says open, from its intervals of constant state."""
    start = datetime.combine(today, time.min)
    found = set()
    for begin, end, state, _comment in opening_hours.OpeningHours(text).intervals(
            start, start + timedelta(days=DAYS)):
        if state == opening_hours.State.OPEN:
            found |= _quarters(begin, end)
    return found


def assert_same_hours(point: Point, today: date) -> str:
    """Compare the point's string with the calendar at every quarter-hour of
    the next 400 days; at each moment where either changes state, ask
    ``is_open_at`` itself too. Returns the string."""
    holidays = list(Closure.objects.filter(point__isnull=True))
    text = osm_opening_hours(point, today, [h for h in holidays if h.ends_on >= today])
    ours, theirs = _calendar_quarters(point, today, holidays), _osm_quarters(text, today)
    wrong = sorted(ours ^ theirs)
    assert not wrong, (f"{point}: {len(wrong)} quarter-hours differ, first {wrong[:4]} "
                       f"(string: {text})")
    edges = {q for q in ours if q - QUARTER not in ours or q + QUARTER not in ours}
    for quarter in edges | {q - QUARTER for q in edges} | {q + QUARTER for q in edges}:
        moment = quarter.replace(tzinfo=BRUSSELS)
        assert calendar.is_open_at(point, moment, holidays) == (quarter in ours), (point, quarter)
    return text


def test_every_demo_points_string_matches_the_calendar_every_quarter_hour_for_400_days():
    core_demo.seed()
    outreach_demo.seed()
    points_demo._seed_reference()
    points_demo._seed_points()
    points_demo._seed_closures()
    points_demo._seed_deployments()
    today = timezone.localdate()
    points = Point.objects.with_schedule(since=today)
    assert points.count() == 18
    texts = {point.slug: assert_same_hours(point, today) for point in points}
    assert "PH" not in " ".join(texts.values())
    assert "Jul 01-" in texts["bibliotheek-predikheren"]  # the summer hours are there


def test_seasonal_hours_are_dated_rules_that_override_the_week_on_their_days_only():
    point = make_point()
    make_period(point, 1, "10:00", "12:00")
    make_period(point, 1, "14:00", "18:00")
    make_period(point, 0, "10:00", "13:00", valid_from=date(2027, 7, 1),
                valid_until=date(2027, 8, 31))
    make_period(point, 1, "09:00", "10:00", valid_from=date(2027, 7, 1),
                valid_until=date(2027, 8, 31))
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 12, 1)).get(),
                             date(2026, 12, 1))
    assert text == ("Tu 10:00-12:00,14:00-18:00; "
                    "2027 Jul 01-2027 Aug 31 Mo 10:00-13:00; "
                    "2027 Jul 01-2027 Aug 31 Tu 09:00-12:00,14:00-18:00")


def test_a_period_that_starts_later_is_dated_until_then():
    point = make_point()
    make_period(point, 2, "09:00", "12:00", valid_until=date(2027, 1, 31))
    make_period(point, 2, "13:00", "16:00", valid_from=date(2027, 2, 1))
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 12, 1)).get(),
                             date(2026, 12, 1))
    assert text == "We 13:00-16:00; 2026 Dec 01-2027 Jan 31 We 09:00-12:00"


def test_two_stops_on_one_day_are_one_rule():
    bus = make_mobile_point()
    for day in (1, 2):
        make_deployment(bus, brussels(2027, 3, day, 8, 30), brussels(2027, 3, day, 12))
        make_deployment(bus, brussels(2027, 3, day, 15), brussels(2027, 3, day, 18))
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 12, 1)).get(),
                             date(2026, 12, 1))
    assert text == "2027 Mar 01-2027 Mar 02 08:30-12:00,15:00-18:00"


def test_a_stop_past_midnight_reads_24_00_and_continues_the_next_day():
    bus = make_mobile_point()
    make_deployment(bus, brussels(2026, 12, 31, 20), brussels(2027, 1, 1, 2))
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 12, 1)).get(),
                             date(2026, 12, 1))
    assert text == "2026 Dec 31 20:00-24:00; 2027 Jan 01 00:00-02:00"


def test_closures_are_dated_off_rules_and_public_holidays_stay_open_unless_closed():
    point = make_point()
    make_period(point, 2, "09:00", "12:00")  # 11/11/2026 is a Wednesday, a public holiday
    make_closure(None, date(2026, 12, 25), date(2026, 12, 26), reason="Kerstmis")
    make_closure(point, date(2026, 12, 16), reason="Inventaris")
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 11, 1)).get(),
                             date(2026, 11, 1))
    assert text == "We 09:00-12:00; 2026 Dec 16 off; 2026 Dec 25-2026 Dec 26 off"
    assert opening_hours.OpeningHours(text).is_open(datetime(2026, 11, 11, 10))


def test_a_point_active_until_a_date_closes_after_it():
    point = make_point(active_until=date(2027, 2, 28))
    make_period(point, 0, "09:00", "12:00")
    text = assert_same_hours(Point.objects.with_schedule(since=date(2026, 12, 1)).get(),
                             date(2026, 12, 1))
    assert text == "2026 Dec 01-2027 Feb 28 Mo 09:00-12:00"
