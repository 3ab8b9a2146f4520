"""The offer form's structured schedule (the open data's RRULE) and
coordinates: what it saves, and what it refuses next to the field."""

from datetime import time

import pytest
from django.urls import reverse

from outreach.models import Offer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    client.force_login(make_user("coordinator"))
    data = {"title": "Vragenuur", "description": "Hulp.", "kind": "helpdesk",
            "address": "Melaan 20, 2800 Mechelen", "price_kind": "free", "languages": ["nl"],
            "is_published": "on", "contact_phone": "015 21 22 23"}
    data.update(overrides)
    return client.post(reverse("outreach:offer-create"), data)


def test_offer_form_saves_a_monthly_schedule_and_coordinates(client):
    response = _post(client, schedule_freq="MONTHLY", schedule_days=["TU"], schedule_week="1",
                     opens_at="14:00", closes_at="16:00", latitude="51.0296",
                     longitude="4.4764")
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.rrule_byday, offer.opens_at, offer.closes_at) == ("1TU", time(14), time(16))
    assert str(offer.latitude) == "51.029600"


@pytest.mark.parametrize("fields,field", [
    ({"schedule_days": ["TU"]}, "schedule_freq"),
    ({"schedule_freq": "WEEKLY"}, "schedule_days"),
    ({"schedule_freq": "MONTHLY", "schedule_days": ["TU"]}, "schedule_week"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["TU"], "schedule_week": "2"},
     "schedule_week"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["TU"], "opens_at": "14:00"}, "closes_at"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["TU"], "opens_at": "14:00",
      "closes_at": "13:00"}, "closes_at"),
    ({"latitude": "51.02"}, "longitude"),
    ({"latitude": "91", "longitude": "4.4"}, "latitude"),
], ids=["days-without-repeat", "weekly-without-days", "monthly-without-week",
        "weekly-with-week", "one-hour", "ends-before-start", "one-coordinate",
        "latitude-out-of-range"])
def test_offer_form_refuses_a_schedule_or_place_that_does_not_add_up(client, fields, field):
    response = _post(client, **fields)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Offer.objects.exists()
