"""Mobile points where they are: a deployment has a real address and
district, the finder lists a mobile point under every district it visits
in the coming weeks (a wijk counting under its deelgemeente), JSON-LD
describes each stop, and a training at a mobile point shows that day's
address."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from digibank import demo as core_demo
from digibank.models import District
from outreach import demo as outreach_demo
from points import demo as points_demo
from points.calendar import stops_between
from points.models import MobileDeployment, Point, PointKind
from tests.factories import make_district, make_point, make_user
from tests.points.factories import brussels, make_deployment, make_mobile_point
from tests.trainings.factories import make_session

pytestmark = pytest.mark.django_db
NOW = brussels(2026, 12, 1, 8)


@pytest.fixture
def city():
    mechelen = make_district("Mechelen")
    nekkerspoel = make_district("Nekkerspoel", parent=mechelen)
    muizen = make_district("Muizen")
    return mechelen, nekkerspoel, muizen


def _names(response) -> list[str]:
    return [state.point.name for state in (*response.context["open_states"],
                                           *response.context["closed_states"])]


@time_machine.travel(NOW, tick=False)
def test_finder_on_a_wijk_shows_its_point_and_the_mobile_point_stopping_there(client, city):
    mechelen, nekkerspoel, muizen = city
    make_point("Wijkcentrum", district=nekkerspoel)
    make_point("Stadhuis", district=mechelen)
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 3, 9, 30), brussels(2026, 12, 3, 12, 30),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2", district=nekkerspoel)
    make_deployment(bus, brussels(2027, 2, 3, 9, 30), brussels(2027, 2, 3, 12, 30),
                    place="Vrijbroekpark", district=muizen)  # beyond the coming weeks
    wijk = client.get(reverse("home"), {"district": "nekkerspoel"})
    assert sorted(_names(wijk)) == ["Digibus", "Wijkcentrum"]
    body = wijk.content.decode()
    assert "Markt Nekkerspoel, Nekkerspoelstraat 2, 2800 Mechelen" in body
    assert "donderdag 3/12" in body
    whole = client.get(reverse("home"), {"district": "mechelen"})
    assert sorted(_names(whole)) == ["Digibus", "Stadhuis", "Wijkcentrum"]
    assert _names(client.get(reverse("home"), {"district": "muizen"})) == []


@time_machine.travel(NOW, tick=False)
def test_a_mobile_point_elsewhere_now_is_not_open_in_the_district(client, city):
    mechelen, nekkerspoel, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 1, 7), brussels(2026, 12, 1, 12), district=muizen)
    make_deployment(bus, brussels(2026, 12, 2, 9), brussels(2026, 12, 2, 12),
                    district=nekkerspoel)
    response = client.get(reverse("home"), {"district": "nekkerspoel"})
    assert response.context["open_states"] == []
    [state] = response.context["closed_states"]
    assert state.next_opening == brussels(2026, 12, 2, 9)


def test_finder_lists_each_demo_districts_points_and_the_mobile_points_that_come(client):
    core_demo.seed()
    outreach_demo.seed()
    points_demo._seed_reference()
    points_demo._seed_points()
    points_demo._seed_closures()
    points_demo._seed_deployments()
    today = timezone.localdate()
    now = timezone.now()
    mobile = list(Point.objects.filter(kind=PointKind.MOBILE).with_schedule(since=today))
    stops = {point.name: [stop for stop in stops_between(point, today, today + timedelta(
        days=28)) if stop.end > now] for point in mobile}
    districts = list(District.objects.all())
    assert {"nekkerspoel", "mechelen-noord"} <= {d.slug for d in districts}
    for district in districts:
        inside = {district.pk, *district.wijken.values_list("pk", flat=True)}
        fixed = set(Point.objects.filter(kind=PointKind.FIXED, is_active=True,
                                         district__in=inside).values_list("name", flat=True))
        coming = {name for name, found in stops.items()
                  if any(stop.deployment.district_id in inside for stop in found)}
        response = client.get(reverse("home"), {"district": district.slug})
        assert set(_names(response)) == fixed | coming, district
        if district.slug in ("nekkerspoel", "mechelen-noord"):
            assert fixed, f"the demo has a point in the wijk {district}"
    assert "Digibus" in set(_names(client.get(reverse("home"), {"district": "nekkerspoel"})))


@time_machine.travel(NOW, tick=False)
def test_json_ld_of_a_mobile_point_describes_each_stop_with_its_address(client):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 12, 3, 9, 30), brussels(2026, 12, 3, 12, 30),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2", theme="itsme")
    body = client.get(reverse("points:detail", args=[bus.slug])).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body,
                                re.S).group(1))
    [event] = data["event"]
    assert event["@type"] == "Event" and event["startDate"] == "2026-12-03T09:30:00+01:00"
    assert event["location"]["name"] == "Markt Nekkerspoel"
    assert event["location"]["address"]["streetAddress"] == "Nekkerspoelstraat 2"
    assert event["location"]["address"]["postalCode"] == "2800"
    assert "openingHoursSpecification" not in data


@time_machine.travel(NOW, tick=False)
def test_a_training_at_a_mobile_point_says_that_days_address(client):
    bus = make_mobile_point("Digibus", street="")
    make_deployment(bus, brussels(2026, 12, 3, 9, 30), brussels(2026, 12, 3, 12, 30),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2")
    make_deployment(bus, brussels(2026, 12, 4, 9, 30), brussels(2026, 12, 4, 12, 30),
                    place="Vrijbroekpark", street="Mechelsesteenweg 411", postcode="2812",
                    city="Muizen")
    session = make_session(point=bus, starts_at=brussels(2026, 12, 4, 10))
    detail = client.get(reverse("trainings:public-detail", args=[session.pk])).content.decode()
    assert "Digibus: Vrijbroekpark" in detail and "Mechelsesteenweg 411, 2812 Muizen" in detail
    feed = Calendar.from_ical(client.get(reverse("trainings:ical")).content)
    [event] = feed.walk("VEVENT")
    assert "Mechelsesteenweg 411, 2812 Muizen" in str(event["LOCATION"])


def test_the_deployment_form_asks_for_a_street_and_a_postcode_of_four_digits(client):
    bus = make_mobile_point()
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("points:manage-deployments", args=[bus.pk]), {
        "place": "Markt", "street": "", "postcode": "28", "city": "Mechelen",
        "district": bus.district.pk, "starts_at": "2030-03-01T10:00",
        "ends_at": "2030-03-01T12:00"})
    errors = response.context["form"].errors
    assert "street" in errors and "postcode" in errors
    assert not MobileDeployment.objects.exists()


def test_a_suggestion_stops_where_mobile_points_stopped_in_the_district_or_its_wijken(city):
    from dashboard.demand import deployment_from_suggestion
    from tests.points.factories import make_topic

    mechelen, nekkerspoel, _muizen = city
    bus = make_mobile_point(district=mechelen)
    make_deployment(bus, brussels(2026, 10, 1, 9), brussels(2026, 10, 1, 12),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2", district=nekkerspoel)
    planned = deployment_from_suggestion(district=mechelen, topic=make_topic("itsme"),
                                         day=brussels(2027, 3, 1).date(), point=bus)
    assert (planned.place, planned.address, planned.district) == (
        "Markt Nekkerspoel", "Nekkerspoelstraat 2, 2800 Mechelen", nekkerspoel)


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_a_postal_address_and_keeps_other_text_as_the_street():
    executor = MigrationExecutor(connection)
    before = [("points", "0008_visit_submit_key")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    district = old.get_model("digibank", "District").objects.create(
        name="Heffen", slug="heffen", postcode="2801")
    point = old.get_model("points", "Point").objects.create(
        name="Bus", slug="bus", kind="mobile", district=district)
    Deployment = old.get_model("points", "MobileDeployment")
    for place, address in (("Sporthal", "Hoogstraat 10, 2801 Heffen"), ("Heffen", "Heffen"),
                           ("Kerk", "Kerkplein")):
        Deployment.objects.create(point=point, place=place, address=address, district=district,
                                  starts_at=NOW, ends_at=NOW + timedelta(hours=1))
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    found = {d.place: (d.street, d.postcode, d.city) for d in MobileDeployment.objects.all()}
    assert found == {"Sporthal": ("Hoogstraat 10", "2801", "Heffen"),
                     "Heffen": ("", "2801", "Mechelen"), "Kerk": ("Kerkplein", "2801", "Mechelen")}


def test_the_deployment_form_has_capitalised_labels_and_a_district_choice_that_says_what_to_do(
        client):
    mechelen = make_district("Mechelen")
    make_district("Nekkerspoel", parent=mechelen)
    bus = make_mobile_point(district=mechelen)
    client.force_login(make_user("coordinator"))
    with translation.override("nl"):
        html = client.get(reverse("points:manage-deployments", args=[bus.pk])).content.decode()
    form = html[html.index('<form method="post" class="narrow">'):]
    labels = re.findall(r"<label for=\"id_[a-z_]+\">([^<*]+)", form)
    assert len(labels) >= 10
    assert all(label.strip()[0].isupper() for label in labels), labels
    assert "---------" not in form
    district = re.search(r'<select name="district".*?</select>', form, re.S).group(0)
    assert re.search(r'<option value="" selected>Kies een deelgemeente</option>', district)
    assert "Nekkerspoel (in Mechelen)" in district


def _read_aloud(html: str) -> str:
    """The page's text as a screen reader or a text parser joins it: every
    element boundary becomes a space, runs of white space one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@time_machine.travel(brussels(2026, 12, 7, 8), tick=False)
def test_a_mobile_points_stop_reads_without_a_space_before_its_comma(client, city):
    mechelen, *_ = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 7, 9, 30), brussels(2026, 12, 7, 12, 30),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2")
    with translation.override("nl"):
        text = _read_aloud(client.get(reverse("points:detail", args=[bus.slug]),
                                      HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert ("maandag 7 december, 09:30–12:30: Markt Nekkerspoel, Nekkerspoelstraat 2, "
            "2800") in text
    assert " ," not in text
