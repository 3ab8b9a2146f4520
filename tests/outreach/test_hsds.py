"""The Open Referral API (/open-data/hsds/): what a service shows of an
offer, stable ids, the HSDS page envelope, the filters, bad queries, and
constant query counts. (Every demo record against the schemas:
test_hsds_demo.py.)"""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.hsds import digibank_organization_id
from outreach.models import OfferKind
from outreach.services import update_offer
from tests.factories import make_partner, make_point, make_target_group, make_user
from tests.outreach.factories import make_offer
from tests.outreach.hsds_validation import errors, page_validator, validator

pytestmark = pytest.mark.django_db


def _service(client, offer) -> dict:
    response = client.get(reverse("outreach:hsds-service", args=[offer.uuid]))
    assert response.status_code == 200
    data = response.json()
    assert errors(validator("service"), data) == []
    return data


def test_service_shows_the_offer_in_hsds_terms(client):
    offer = make_offer(
        "Leer werken met itsme", provider=make_partner("Bibliotheek"), who_qualifies="Iedereen",
        how_to_enrol="Schrijf je in aan de balie.", contact_phone="015 29 41 00",
        languages="nl,fr", what_to_bring="Je identiteitskaart", schedule="Elke eerste dinsdag",
        schedule_freq="MONTHLY", schedule_days="TU", schedule_week=1, opens_at=time(14),
        closes_at=time(16), latitude=Decimal("51.0296"), longitude=Decimal("4.4764"),
        target_groups=[make_target_group("Ouderen")])
    data = _service(client, offer)
    assert (data["id"], data["name"], data["status"]) == (str(offer.uuid), offer.title,
                                                           "active")
    assert data["organization"]["name"] == "Bibliotheek"
    assert data["organization_id"] == str(offer.provider.uuid)
    assert data["application_process"] == "Schrijf je in aan de balie."
    assert data["eligibility_description"] == "Iedereen\nVoor: Ouderen."
    assert data["assured_date"] == offer.last_checked_on.isoformat()
    assert [phone["number"] for phone in data["phones"]] == ["015 29 41 00"]
    assert [(lang["code"], lang["name"]) for lang in data["languages"]] == [
        ("nl", "Nederlands"), ("fr", "Frans")]
    [schedule] = data["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "MONTHLY", "1TU", "14:00", "16:00")
    assert data["required_documents"][0]["document"] == "Je identiteitskaart"
    [at] = data["service_at_locations"]
    address = at["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"],
            address["state_province"], address["country"]) == (
        "Goswin de Stassartstraat 7", "2800", "Mechelen", "Antwerpen", "BE")
    assert (at["location"]["latitude"], at["location"]["longitude"]) == (51.0296, 4.4764)


def test_service_at_a_point_is_at_the_points_location_with_its_coordinates(client):
    point = make_point("Digibank Huis", latitude=Decimal("51.03"), longitude=Decimal("4.48"))
    data = _service(client, make_offer("Vragenuur", point=point, venue="", address=""))
    [at] = data["service_at_locations"]
    assert at["location"]["name"] == "Digibank Huis"
    assert (at["location"]["latitude"], at["location"]["longitude"]) == (51.03, 4.48)


def test_online_service_has_a_virtual_location(client):
    data = _service(client, make_offer("Hulplijn", venue="", address="", is_online=True,
                                       website="https://hulp.example/"))
    [at] = data["service_at_locations"]
    assert at["location"]["location_type"] == "virtual"
    assert at["location"]["url"] == "https://hulp.example/"


@pytest.mark.parametrize("fields,amount,description", [
    ({}, 0.0, "gratis"),
    ({"cost_eur": 45}, 45.0, "€ 45,00 eenmalig"),
    ({"kind": OfferKind.INTERNET, "monthly_price": 22}, 22.0, "€ 22,00 per maand"),
])
def test_service_cost_option_is_the_offers_one_price(client, fields, amount, description):
    data = _service(client, make_offer("Aanbod", **fields))
    [cost] = data["cost_options"]
    assert (cost["amount"], cost["currency"], cost["amount_description"]) == (
        amount, "EUR", description)
    assert data["fees_description"] == description


def test_social_tariff_cost_option_names_its_conditions(client):
    data = _service(client, make_offer(
        "Sociaal tarief", kind=OfferKind.INTERNET, monthly_price=19, is_social_tariff=True,
        social_tariff_for="Mensen met een leefloon."))
    assert data["cost_options"][0]["option"] == (
        "Sociaal tarief voor: Mensen met een leefloon.")
    assert "Sociaal tarief: Mensen met een leefloon." in data["eligibility_description"]


def test_ended_offer_stays_readable_by_its_id_as_inactive_but_leaves_the_list(client):
    offer = make_offer("Voorbij", valid_until=timezone.localdate() - timedelta(days=1))
    assert _service(client, offer)["status"] == "inactive"
    assert client.get(reverse("outreach:hsds-services")).json()["total_items"] == 0


def test_unpublished_or_unknown_service_is_not_found(client):
    offer = make_offer("Verborgen", is_published=False)
    for id in (offer.uuid, "00000000-0000-4000-8000-000000000000"):
        response = client.get(reverse("outreach:hsds-service", args=[id]))
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_ids_stay_the_same_when_an_offer_changes(client):
    offer = make_offer("Vragenuur", contact_phone="015 00 00 00", schedule="Woensdag")
    before = _service(client, offer)
    update_offer(offer=offer, actor=make_user("coordinator"), data={"title": "Spreekuur"})
    after = _service(client, offer)
    assert after["name"] == "Spreekuur"
    assert (after["id"], after["phones"][0]["id"], after["schedules"][0]["id"],
            after["service_at_locations"][0]["location_id"]) == (
        before["id"], before["phones"][0]["id"], before["schedules"][0]["id"],
        before["service_at_locations"][0]["location_id"])


def test_offers_at_one_place_share_one_location(client):
    first, second = make_offer("Een"), make_offer("Twee")
    ids = {_service(client, offer)["service_at_locations"][0]["location_id"]
           for offer in (first, second)}
    locations = client.get(reverse("outreach:hsds-locations")).json()
    assert len(ids) == 1 and ids == {location["id"] for location in locations["contents"]}


# --- pages and filters ---


def test_services_page_has_the_hsds_envelope(client):
    for number in range(5):
        make_offer(f"Aanbod {number}")
    data = client.get(reverse("outreach:hsds-services"), {"page": 2, "per_page": 2}).json()
    assert errors(page_validator("services"), data) == []
    assert {key: value for key, value in data.items() if key != "contents"} == {
        "total_items": 5, "total_pages": 3, "page_number": 2, "size": 2, "first_page": False,
        "last_page": False, "empty": False}
    assert [service["name"] for service in data["contents"]] == ["Aanbod 2", "Aanbod 3"]


def test_page_past_the_last_is_empty(client):
    make_offer("Aanbod")
    data = client.get(reverse("outreach:hsds-services"), {"page": 3}).json()
    assert (data["size"], data["empty"], data["last_page"], data["contents"]) == (
        0, True, True, [])


def test_services_search_in_residents_words(client):
    make_offer("Smartphone voor beginners")
    make_offer("Bankieren met de app")
    data = client.get(reverse("outreach:hsds-services"), {"search": "smartphones"}).json()
    assert [service["name"] for service in data["contents"]] == ["Smartphone voor beginners"]


def test_services_of_one_organization_the_digibank_included(client):
    partner = make_partner("Bibliotheek")
    make_offer("Van de bib", provider=partner)
    make_offer("Van de digibank")
    for org_id, name in ((partner.uuid, "Van de bib"),
                         (digibank_organization_id(), "Van de digibank")):
        data = client.get(reverse("outreach:hsds-services"), {"organization_id": org_id}).json()
        assert [service["name"] for service in data["contents"]] == [name]


@pytest.mark.parametrize("query", [{"page": "0"}, {"per_page": "501"}, {"page": "x"},
                                   {"organization_id": "not-a-uuid"}])
def test_bad_query_is_refused_with_the_reason(client, query):
    response = client.get(reverse("outreach:hsds-services"), query)
    assert response.status_code == 400 and response.json()["detail"] == "Invalid query."


def test_organizations_list_the_digibank_then_active_partners(client):
    make_partner("Bibliotheek")
    make_partner("Oud", is_active=False)
    data = client.get(reverse("outreach:hsds-organizations")).json()
    assert errors(page_validator("organizations"), data) == []
    assert [org["name"] for org in data["contents"]] == ["Digibank Mechelen", "Bibliotheek"]


def test_organization_lists_its_services_and_their_locations(client):
    partner = make_partner("Bibliotheek", phone="015 29 41 00")
    make_offer("Van de bib", provider=partner)
    response = client.get(reverse("outreach:hsds-organization", args=[partner.uuid]))
    data = response.json()
    assert errors(validator("organization"), data) == []
    assert [service["name"] for service in data["services"]] == ["Van de bib"]
    assert data["phones"][0]["number"] == "015 29 41 00" and len(data["locations"]) == 1


def test_location_of_a_point_has_its_opening_hours_as_weekly_schedules(client):
    from points.models import OpeningPeriod

    point = make_point("Digibank Huis")
    OpeningPeriod.objects.create(point=point, weekday=2, opens=time(9), closes=time(12))
    data = client.get(reverse("outreach:hsds-locations")).json()
    [location] = data["contents"]
    assert errors(validator("location"), location) == []
    [schedule] = location["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY", "WE", "09:00", "12:00")
    detail = client.get(reverse("outreach:hsds-location", args=[location["id"]])).json()
    assert detail == location


@pytest.mark.parametrize("name", ["hsds-services", "hsds-organizations", "hsds-locations",
                                  "hsds-root"])
def test_api_answers_only_reading(client, name):
    assert client.post(reverse(f"outreach:{name}")).status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_services_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    for number in range(rows):
        make_offer(f"Aanbod {number}", provider=make_partner())
    with django_assert_max_num_queries(3):
        assert client.get(reverse("outreach:hsds-services")).json()["size"] == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_service_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    offer = make_offer("Aanbod", target_groups=[make_target_group() for _ in range(rows)],
                       point=make_point("Huis"))
    with django_assert_max_num_queries(3):
        client.get(reverse("outreach:hsds-service", args=[offer.uuid]))


@pytest.mark.parametrize("rows", [3, 30])
def test_locations_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    for number in range(rows):
        make_offer(f"Aanbod {number}", address=f"Straat {number}, 2800 Mechelen",
                   point=make_point(f"Punt {number}") if number % 2 else None)
    with django_assert_max_num_queries(4):
        client.get(reverse("outreach:hsds-locations"))


def test_partner_uuid_is_given_once_and_kept():
    partner = make_partner("Bibliotheek")
    first = partner.uuid
    partner.name = "Bib"
    partner.save()
    partner.refresh_from_db()
    assert partner.uuid == first and make_partner("Ander").uuid != first


def test_valid_dates_of_a_service_show_in_its_schedule(client):
    offer = make_offer("Zomer", schedule="Zomervakantie", valid_from=date(2026, 7, 1),
                       valid_until=date(2099, 8, 31))
    schedule = client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()[
        "schedules"][0]
    assert (schedule["valid_from"], schedule["valid_to"]) == ("2026-07-01", "2099-08-31")


@pytest.mark.parametrize("path", ["services", "organizations", "locations"])
def test_an_id_that_is_not_a_uuid_is_not_found_as_json(client, path):
    response = client.get(f"/open-data/hsds/{path}/nope")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_nul_byte_in_the_query_is_refused_as_json(client):
    response = client.get("/open-data/hsds/services?search=a%00b")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_field_reasons_of_a_bad_query_are_in_english(client):
    response = client.get(reverse("outreach:hsds-services"), {"page": "x"})
    assert response.json()["errors"]["page"] == ["Enter a whole number."]


def test_modified_after_leaves_out_offers_not_changed_since(client):
    old = make_offer("Oud", updated_at=timezone.now() - timedelta(days=10))
    make_offer("Nieuw")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    data = client.get(reverse("outreach:hsds-services"), {"modified_after": since}).json()
    assert [service["name"] for service in data["contents"]] == ["Nieuw"]
    assert old.title not in str(data)


def test_a_bad_modified_after_or_minimal_is_refused(client):
    for query in ({"modified_after": "gisteren"}, {"minimal": "misschien"}):
        assert client.get(reverse("outreach:hsds-services"), query).status_code == 400


def test_minimal_services_leave_out_the_nested_organization(client):
    make_offer("Vragenuur")
    data = client.get(reverse("outreach:hsds-services"), {"minimal": "true"}).json()
    assert errors(page_validator("services"), data) == []
    assert "organization" not in data["contents"][0]


def test_open_data_may_be_read_from_any_web_page(client):
    make_offer("Vragenuur")
    for name in ("outreach:hsds-services", "outreach:hsds-organizations",
                 "outreach:offer-open-data"):
        assert client.get(reverse(name))["Access-Control-Allow-Origin"] == "*"


def test_organizations_list_their_phones(client):
    make_partner("Bibliotheek", phone="015 29 41 00")
    data = client.get(reverse("outreach:hsds-organizations")).json()
    assert errors(page_validator("organizations"), data) == []
    assert data["contents"][1]["phones"][0]["number"] == "015 29 41 00"


def test_a_mobile_point_is_left_out_of_the_locations(client):
    from points.models import PointKind

    make_point("Digibus", kind=PointKind.MOBILE)
    make_point("Digibank Huis")
    data = client.get(reverse("outreach:hsds-locations")).json()
    assert [place["name"] for place in data["contents"]] == ["Digibank Huis"]
