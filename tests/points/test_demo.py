"""The points demo data: 18 points, hours, closures, deployments, visits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from digibank import demo as core_demo
from outreach import demo as outreach_demo
from points import demo
from points.calendar import point_states
from points.demo import HISTORY_YEARS
from points.models import (
    Channel,
    Closure,
    MobileDeployment,
    Point,
    PointKind,
    QuestionTopic,
    Visit,
    VisitEvent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    core_demo.seed()
    outreach_demo.seed()
    demo.seed()


def test_demo_has_18_points_of_which_some_are_mobile(seeded):
    assert Point.objects.count() == 18
    assert 2 <= Point.objects.filter(kind=PointKind.MOBILE).count() <= 3
    assert Point.objects.filter(slug__in=["huis-van-de-mechelaar",
                                          "bibliotheek-predikheren"]).count() == 2


def test_demo_has_topics_channels_holidays_and_a_school_week_in_march(seeded):
    assert QuestionTopic.objects.filter(external_service="VDAB").exists()
    assert Channel.objects.filter(slug="qr-code").exists()
    assert Closure.objects.filter(point__isnull=True).count() >= 5
    assert MobileDeployment.objects.filter(starts_at__month=3,
                                           theme__icontains="school").count() >= 5


def test_demo_visits_have_history_and_every_point_has_a_state(seeded):
    recent = Visit.objects.filter(arrived_at__gte=timezone.now() - timedelta(days=22))
    assert 200 <= recent.count() <= 1000
    assert VisitEvent.objects.count() >= 2 * Visit.objects.count()
    states = point_states(Point.objects.with_schedule())
    assert all(state.is_open or state.next_opening for state in states)


def test_demo_has_school_registration_peaks_in_march_of_earlier_years(seeded):
    from dashboard.demand import recurring_peaks

    today = timezone.localdate()
    assert Visit.objects.filter(arrived_at__year=today.year - HISTORY_YEARS).exists()
    school = [peak for peak in recurring_peaks(today)
              if peak.topic.slug == "schoolinschrijving" and peak.first_week <= 11]
    assert school and len(school[0].years) >= 2


def test_seeding_twice_changes_nothing(seeded):
    counts = (Point.objects.count(), Visit.objects.count(), MobileDeployment.objects.count(),
              Closure.objects.count())
    demo.seed()
    assert counts == (Point.objects.count(), Visit.objects.count(),
                      MobileDeployment.objects.count(), Closure.objects.count())


def test_every_demo_point_has_opening_hours_that_parse_in_the_osm_parser(seeded):
    import opening_hours

    from points.opendata import osm_opening_hours

    holidays = list(Closure.objects.filter(point__isnull=True))
    for point in Point.objects.with_schedule():
        opening_hours.OpeningHours(osm_opening_hours(point, holidays=holidays))
