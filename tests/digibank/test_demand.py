"""Demand mapping and suggested mobile deployments on a constructed seasonal data set."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from digibank.demand import busiest_district, district_demand, suggest_deployments
from digibank.figures import Scope
from points.models import MobileDeployment, PointKind
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import brussels, make_mobile_point, make_topic, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seasons():
    """School registrations peak in Battel in March 2025 (people living there,
    coming to a point in Mechelen); tax questions in Mechelen in May."""
    battel = make_district("Battel", population=2000)
    mechelen = make_district("Mechelen", population=60000)
    point = make_point("Bib", district=mechelen)
    school, tax = make_topic("Schoolinschrijving"), make_topic("Tax-on-web")
    for n, day in enumerate((10, 11, 12, 13)):
        resident = make_resident(phone=f"047000000{n}", district=battel)
        make_visit(point, resident=resident, arrived_at=brussels(2025, 3, day, 10)).topics.add(
            school)
    make_visit(point, arrived_at=brussels(2025, 3, 10, 11)).topics.add(school)
    for day in (5, 6, 7):
        make_visit(point, arrived_at=brussels(2025, 5, day, 10)).topics.add(tax)
    return battel, mechelen, school, tax


def test_district_demand_counts_where_people_live_and_per_inhabitant(seasons):
    battel, mechelen, school, _tax = seasons
    rows = district_demand(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)), school)
    assert [(r["district"], r["visits"], r["per_1000"]) for r in rows] == [
        (battel, 4, 2.0), (mechelen, 1, 0.0)]
    assert rows[0]["has_point"] is False and rows[1]["has_point"] is True


def test_busiest_district_for_school_registrations_last_march(seasons):
    battel, _mechelen, school, _tax = seasons
    assert busiest_district(Scope(start=date(2025, 3, 1), end=date(2025, 3, 31)), school) == battel


def test_suggestions_repeat_last_years_peak_in_the_same_week(seasons):
    battel, _mechelen, school, _tax = seasons
    first = suggest_deployments(date(2026, 2, 20))[0]
    assert (first.district, first.topic, first.last_year) == (battel, school, 4)
    assert first.week_start == date(2026, 3, 9)
    assert "Battel" in first.evidence and not first.has_point


def test_no_suggestions_without_last_years_visits():
    assert suggest_deployments(date(2026, 2, 20)) == []


@time_machine.travel("2026-02-20 09:00 +0100")
def test_coordinator_plans_a_suggested_deployment_in_one_click(client, seasons):
    battel, _mechelen, school, _tax = seasons
    bus = make_mobile_point("Digibus")
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("demand"))
    plan = page.context["suggestions"][0][1]
    response = client.post(reverse("plan-suggestion"), {
        "district": battel.pk, "topic": school.pk, "day": plan.initial["day"].isoformat(),
        "point": bus.pk})
    assert response.status_code == 302
    deployment = MobileDeployment.objects.get()
    assert (deployment.point, deployment.district, deployment.theme) == (bus, battel,
                                                                        "Schoolinschrijving")
    assert deployment.starts_at == brussels(2026, 3, 9, 10)


def test_planning_on_an_overlapping_day_is_refused_with_a_message(client, seasons):
    battel, _mechelen, school, _tax = seasons
    bus = make_mobile_point("Digibus")
    client.force_login(make_user("coordinator"))
    data = {"district": battel.pk, "topic": school.pk, "day": "2026-03-09", "point": bus.pk}
    client.post(reverse("plan-suggestion"), data)
    response = client.post(reverse("plan-suggestion"), data, follow=True)
    assert MobileDeployment.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["success", "error"]


def test_only_mobile_points_can_be_chosen(client, seasons):
    battel, _mechelen, school, _tax = seasons
    fixed = make_point("Vast", kind=PointKind.FIXED)
    client.force_login(make_user("coordinator"))
    client.post(reverse("plan-suggestion"), {"district": battel.pk, "topic": school.pk,
                                             "day": "2026-03-09", "point": fixed.pk})
    assert not MobileDeployment.objects.exists()


@pytest.mark.parametrize("rows", [1, 15])
def test_demand_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows,
                                               seasons):
    _battel, mechelen, school, _tax = seasons
    point = make_point(district=mechelen)
    for n in range(rows):
        make_visit(point, arrived_at=brussels(2025, 3, 1 + n % 28, 9)).topics.add(school)
        make_district(f"Wijk {n}", population=100 + n)
    client.force_login(make_user("coordinator"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("demand")).status_code == 200


def test_heat_map_counts_visits_by_district_and_week_of_the_year(seasons):
    from digibank.demand import weekly_heat

    battel, mechelen, school, _tax = seasons
    heat = weekly_heat(Scope(start=date(2025, 1, 1), end=date(2025, 12, 31)))
    assert heat.weeks == [11, 19]  # 10-13 March and 5-7 May 2025
    rows = dict(heat.rows)
    assert rows[battel] == [(4, 4), (0, 0)]
    assert [n for n, _level in rows[mechelen]] == [1, 3]
