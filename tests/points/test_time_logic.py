"""The one time logic: periods, validity, closures, holidays, deployments,
in Europe/Brussels across DST."""

from datetime import date, timedelta

import opening_hours
import pytest

from points.calendar import is_closed_on, point_states
from points.models import Point
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

THURSDAY = date(2026, 11, 26)


@pytest.fixture
def point():
    point = make_point("Huis")
    make_period(point, 3, "09:00", "12:00")  # Thursday morning
    make_period(point, 3, "13:00", "16:30")  # and afternoon: a split day
    make_period(point, 5, "10:00", "12:30")  # Saturday morning
    return point


def test_point_is_open_inside_a_period(point):
    assert point.is_open_at(brussels(2026, 11, 26, 9, 0))
    assert point.is_open_at(brussels(2026, 11, 26, 11, 59))


def test_point_is_closed_at_closing_time_and_over_lunch(point):
    assert not point.is_open_at(brussels(2026, 11, 26, 12, 0))
    assert not point.is_open_at(brussels(2026, 11, 26, 12, 30))


def test_point_is_closed_at_midnight_and_opens_next_on_saturday(point):
    midnight = brussels(2026, 11, 27, 0, 0)
    assert not point.is_open_at(midnight)
    assert point.next_opening(after=midnight) == brussels(2026, 11, 28, 10, 0)


def test_next_opening_after_the_morning_is_the_afternoon(point):
    assert point.next_opening(after=brussels(2026, 11, 26, 10, 0)) == brussels(2026, 11, 26, 13)


def test_a_moment_in_utc_is_read_as_brussels_time(point):
    from datetime import UTC, datetime

    # 08:30 UTC is 09:30 in Brussels in winter.
    assert point.is_open_at(datetime(2026, 11, 26, 8, 30, tzinfo=UTC))
    assert not point.is_open_at(datetime(2026, 11, 26, 7, 30, tzinfo=UTC))


def test_sunday_hours_hold_on_the_spring_dst_weekend():
    from datetime import UTC, datetime

    point = make_point()
    make_period(point, 6, "09:00", "12:00")
    # 28/03/2027: clocks go forward at 02:00; 09:00 local is 07:00 UTC.
    assert point.is_open_at(datetime(2027, 3, 28, 7, 0, tzinfo=UTC))
    assert not point.is_open_at(datetime(2027, 3, 28, 6, 59, tzinfo=UTC))
    assert point.next_opening(after=brussels(2027, 3, 27, 20)) == datetime(
        2027, 3, 28, 7, 0, tzinfo=UTC)


def test_sunday_hours_hold_on_the_autumn_dst_weekend():
    from datetime import UTC, datetime

    point = make_point()
    make_period(point, 6, "09:00", "12:00")
    # 25/10/2026: clocks go back at 03:00; 09:00 local is 08:00 UTC.
    assert point.is_open_at(datetime(2026, 10, 25, 8, 0, tzinfo=UTC))
    assert not point.is_open_at(datetime(2026, 10, 25, 7, 59, tzinfo=UTC))


def test_city_wide_holiday_closes_every_point(point):
    make_closure(None, THURSDAY, reason="Feestdag")
    assert not point.is_open_at(brussels(2026, 11, 26, 10))
    assert is_closed_on(None, THURSDAY)
    assert is_closed_on(point, THURSDAY)


def test_closure_of_one_point_leaves_others_open(point):
    other = make_point()
    make_period(other, 3, "09:00", "12:00")
    make_closure(point, THURSDAY, THURSDAY + timedelta(days=2))
    assert not point.is_open_at(brussels(2026, 11, 26, 10))
    assert other.is_open_at(brussels(2026, 11, 26, 10))
    assert not is_closed_on(None, THURSDAY)
    assert point.next_opening(after=brussels(2026, 11, 26, 10)) == brussels(2026, 12, 3, 9)


def test_period_valid_from_tomorrow_does_not_open_today():
    point = make_point()
    make_period(point, 3, "09:00", "12:00", valid_from=THURSDAY + timedelta(days=1))
    assert not point.is_open_at(brussels(2026, 11, 26, 10))
    assert point.next_opening(after=brussels(2026, 11, 26, 10)) == brussels(2026, 12, 3, 9)


def test_seasonal_period_ends_after_its_last_day():
    point = make_point()
    make_period(point, 3, "09:00", "12:00", valid_until=THURSDAY)
    assert point.is_open_at(brussels(2026, 11, 26, 10))
    assert point.next_opening(after=brussels(2026, 11, 26, 13)) is None


def test_mobile_point_is_open_only_during_its_deployment_today():
    mobile = make_mobile_point()
    make_deployment(mobile, brussels(2026, 11, 26, 9, 30), brussels(2026, 11, 26, 12, 30))
    assert mobile.is_open_at(brussels(2026, 11, 26, 10))
    assert not mobile.is_open_at(brussels(2026, 11, 26, 13))
    assert not mobile.is_open_at(brussels(2026, 11, 27, 10))


def test_mobile_deployment_is_narrowed_to_the_points_periods():
    mobile = make_mobile_point()
    make_period(mobile, 3, "10:00", "11:00")
    make_deployment(mobile, brussels(2026, 11, 26, 9), brussels(2026, 11, 26, 16))
    assert not mobile.is_open_at(brussels(2026, 11, 26, 9, 30))
    assert mobile.is_open_at(brussels(2026, 11, 26, 10, 30))


def test_inactive_point_and_point_outside_active_dates_are_closed(point):
    point.active_until = THURSDAY - timedelta(days=1)
    point.save()
    assert not point.is_open_at(brussels(2026, 11, 26, 10))


def test_open_at_queryset_returns_open_points_only(point):
    closed = make_point()
    make_period(closed, 4, "09:00", "12:00")
    assert list(Point.objects.open_at(brussels(2026, 11, 26, 10))) == [point]
    assert list(Point.objects.with_schedule().open_at(brussels(2026, 11, 26, 10))) == [point]


def test_point_states_list_open_points_first_then_by_next_opening(point):
    later = make_point("Later")
    make_period(later, 0, "09:00", "12:00")
    sooner = make_point("Sooner")
    make_period(sooner, 4, "09:00", "12:00")
    states = point_states(Point.objects.with_schedule(), brussels(2026, 11, 26, 10))
    assert [s.point.name for s in states] == ["Huis", "Sooner", "Later"]
    assert states[0].open_until == brussels(2026, 11, 26, 12)


def test_osm_opening_hours_string_parses_in_the_standard_parser(point):
    make_period(point, 0, "09:00", "12:00")
    make_period(point, 1, "09:00", "12:00")
    make_period(point, 2, "09:00", "12:00")
    text = osm_opening_hours(point, THURSDAY)
    assert text.startswith("Mo-We 09:00-12:00; Th 09:00-12:00,13:00-16:30; Sa 10:00-12:30")
    opening_hours.OpeningHours(text)


def test_osm_opening_hours_of_a_mobile_point_parses_in_the_standard_parser():
    mobile = make_mobile_point()
    make_deployment(mobile, brussels(2027, 3, 1, 8, 30), brussels(2027, 3, 1, 12))
    text = osm_opening_hours(mobile, THURSDAY)
    assert text == "2027 Mar 01 08:30-12:00"
    opening_hours.OpeningHours(text)


def test_osm_opening_hours_close_on_closures_ahead_and_still_parse(point):
    holiday = make_closure(None, date(2026, 12, 25), date(2026, 12, 26), reason="Kerstmis")
    works = make_closure(point, date(2026, 12, 14), reason="Inventaris")
    text = osm_opening_hours(point, THURSDAY, [holiday])
    assert text.endswith("Sa 10:00-12:30; 2026 Dec 14 off; 2026 Dec 25-2026 Dec 26 off")
    assert works.point == point
    opening_hours.OpeningHours(text)
