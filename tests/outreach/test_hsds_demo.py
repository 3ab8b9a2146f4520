"""Every endpoint of the Open Referral API (/open-data/hsds/) answers as the
official HSDS 3.0 JSON schemas say, for every record of the demo: each
page of each list, and each service, organization and location by its id.
The demo is seeded once for the module."""

import pytest
from django.urls import reverse

from outreach.models import Offer
from tests.outreach.hsds_validation import errors, page_validator, validator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_offers_module")]
LISTS = [("services", "hsds-services", "hsds-service"),
         ("organizations", "hsds-organizations", "hsds-organization"),
         ("locations", "hsds-locations", "hsds-location")]


def _all_pages(client, name: str, kind: str) -> list[dict]:
    records, number = [], 1
    while True:
        response = client.get(reverse(f"outreach:{name}"), {"page": number, "per_page": 7})
        assert response.status_code == 200
        assert errors(page_validator(kind), response.json()) == []
        records += response.json()["contents"]
        if response.json()["last_page"]:
            return records
        number += 1


@pytest.mark.parametrize("kind,list_name,detail_name", LISTS, ids=[k for k, _, _ in LISTS])
def test_every_page_and_every_record_follows_the_hsds_schemas(
        client, kind, list_name, detail_name):
    records = _all_pages(client, list_name, kind)
    assert records and len({record["id"] for record in records}) == len(records)
    for record in records:
        response = client.get(reverse(f"outreach:{detail_name}", args=[record["id"]]))
        assert response.status_code == 200, record
        assert errors(validator(kind[:-1]), response.json()) == [], record["id"]


def test_every_demo_service_has_locations_with_addresses_or_online(client):
    for offer in Offer.objects.current():
        data = client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()
        assert data["service_at_locations"], offer.title
        for at in data["service_at_locations"]:
            location = at["location"]
            assert location["location_type"] == "virtual" or location["addresses"], offer.title


def test_demo_services_have_rrule_schedules_and_coordinates(client):
    services = [client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()
                for offer in Offer.objects.current()]
    schedules = [schedule for data in services for schedule in data["schedules"]]
    assert {"WEEKLY", "MONTHLY"} <= {schedule.get("freq") for schedule in schedules}
    located = [at["location"] for data in services for at in data["service_at_locations"]
               if "latitude" in at["location"]]
    assert len(located) >= 20


def test_the_root_names_the_hsds_version(client):
    assert client.get(reverse("outreach:hsds-root")).json()["version"] == "3.0"


def test_every_demo_service_has_a_phone_or_says_why_not(client):
    for offer in Offer.objects.current():
        data = client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()
        assert bool(data["phones"]) != bool(offer.no_phone_reason), offer.title
    assert not Offer.objects.current().unreachable().exists()
