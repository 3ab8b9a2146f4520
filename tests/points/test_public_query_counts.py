"""The public, unauthenticated points pages and feeds cost the same number
of queries however many points, hours, closures and deployments there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_partner, make_point
from tests.points.factories import (
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
    make_service,
)

pytestmark = pytest.mark.django_db


def _add_points(count: int) -> None:
    """Fixed points with hours, a service, a hosting partner and a closure
    ahead, and mobile points with a deployment ahead."""
    service, today, soon = make_service(), timezone.localdate(), timezone.now()
    for _ in range(count):
        point = make_point(hosting_partner=make_partner())
        point.services.add(service)
        for weekday in range(5):
            make_period(point, weekday, "09:00", "12:00")
        make_closure(point, today + timedelta(days=3))
        mobile = make_mobile_point()
        make_deployment(mobile, soon + timedelta(days=2), soon + timedelta(days=2, hours=2))


@pytest.mark.parametrize("url", [
    reverse("home"), reverse("points:screen"), reverse("points:open-data"),
    reverse("points:deployments-ics"),
])
def test_public_points_page_query_count_does_not_grow(client, django_assert_max_num_queries,
                                                       url):
    _add_points(2)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    _add_points(20)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200


def test_point_page_query_count_does_not_grow_with_hours_and_closures(
        client, django_assert_max_num_queries):
    point = make_point()
    make_period(point, 0, "09:00", "12:00")
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("points:detail", args=[point.slug]))
    today = timezone.localdate()
    for weekday in range(1, 7):
        make_period(point, weekday, "09:00", "12:00")
        make_period(point, weekday, "13:00", "17:00")
    for days in range(1, 9):
        make_closure(point, today + timedelta(days=days * 7))
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("points:detail", args=[point.slug]))
    assert response.status_code == 200
