"""Planning a mobile point from the dashboard's unanswered demand: every
row offers a mobile point and a day that are free, and a refusal says which
field is wrong."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from points.models import MobileDeployment, VisitStatus
from points.services import free_deployment_slots
from tests.factories import make_district, make_point, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)

pytestmark = pytest.mark.django_db

# Friday 20 February 2026; the dashboard suggests Monday 2 March (the
# Monday of the week after next).
NOW = "2026-02-20 09:00 +0100"
MONDAY = date(2026, 3, 2)


def _book(bus, day: date):
    make_deployment(bus, brussels(day.year, day.month, day.day, 10),
                    brussels(day.year, day.month, day.day, 16))


@time_machine.travel(NOW)
def test_the_first_mobile_point_free_on_the_wished_day_is_offered():
    bus, van = make_mobile_point("A-bus"), make_mobile_point("B-busje")
    _book(bus, MONDAY)
    assert free_deployment_slots([bus, van], [MONDAY]) == [(van, MONDAY)]


@time_machine.travel(NOW)
def test_the_next_free_day_is_offered_when_every_mobile_point_is_booked_or_closed():
    bus = make_mobile_point("A-bus")
    _book(bus, MONDAY)
    make_closure(None, MONDAY + timedelta(days=1), reason="Feestdag")
    assert free_deployment_slots([bus], [MONDAY]) == [(bus, MONDAY + timedelta(days=2))]


@time_machine.travel(NOW)
def test_two_wishes_for_the_same_day_get_different_free_slots():
    bus, van = make_mobile_point("A-bus"), make_mobile_point("B-busje")
    assert free_deployment_slots([bus, van], [MONDAY, MONDAY, MONDAY]) == [
        (bus, MONDAY), (van, MONDAY), (bus, MONDAY + timedelta(days=1))]


@pytest.fixture
def unanswered(client):
    """Two topics asked in Mechelen by people who left without help."""
    mechelen = make_district("Mechelen")
    point = make_point("Bib", district=mechelen)
    for name in ("Belastingen", "Itsme"):
        visit = make_visit(point, status=VisitStatus.LEFT, arrived_at=brussels(2026, 2, 10, 10))
        visit.topics.add(make_topic(name))
    client.force_login(make_user("coordinator"))
    return mechelen


@time_machine.travel(NOW)
def test_each_plan_row_on_the_dashboard_defaults_to_its_own_free_mobile_point(
        client, unanswered):
    bus, van = make_mobile_point("A-bus"), make_mobile_point("B-busje")
    _book(bus, MONDAY)
    plans = client.get(reverse("dashboard")).context["plans"]
    assert [(plan.initial["point"], plan.initial["day"]) for _row, plan in plans] == [
        (van, MONDAY), (bus, MONDAY + timedelta(days=1))]
    assert "Kies een mobiel punt" in str(plans[0][1]["point"])
    assert "---------" not in str(plans[0][1]["point"])


@time_machine.travel(NOW)
def test_planning_without_a_mobile_point_names_the_field_and_not_adding_one(
        client, unanswered):
    make_mobile_point("A-bus")
    topic = make_topic("Busticket")
    response = client.post(reverse("plan-suggestion"), {
        "district": unanswered.pk, "topic": topic.pk, "day": "2026-03-09", "point": "",
        "next": "/dashboard/"}, follow=True)
    text = response.content.decode()
    assert "Mobiel punt: Kies een mobiel punt." in text
    assert "Voeg eerst" not in text
    assert response.redirect_chain[-1][0] == "/dashboard/#plan-result"
    assert 'id="plan-result"' in text
    assert not MobileDeployment.objects.exists()
