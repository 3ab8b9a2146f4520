"""The offer form's structured schedule (the open data's RRULE) and
coordinates: what it saves, and what it refuses next to the field."""

from datetime import date, time

import pytest
import time_machine
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


def test_offer_form_refuses_a_next_date_that_is_not_on_the_schedule(client):
    # Saturday 12/12/2026 is not the first Tuesday of a month.
    response = _post(client, schedule_freq="MONTHLY", schedule_days=["TU"], schedule_week="1",
                     next_date="12/12/2026")
    assert response.status_code == 200
    assert "valt niet op het schema" in str(response.context["form"].errors["next_date"])
    assert not Offer.objects.exists()


def test_offer_form_accepts_a_next_date_on_the_schedule(client):
    response = _post(client, schedule_freq="MONTHLY", schedule_days=["TU"], schedule_week="1",
                     next_date="05/01/2027")
    assert response.status_code == 302


@time_machine.travel("2026-12-07 10:00 +01:00")
def test_offer_without_a_typed_date_shows_the_next_date_of_its_schedule(client):
    _post(client, schedule_freq="MONTHLY", schedule_days=["TU"], schedule_week="1")
    assert Offer.objects.get().when_next == date(2027, 1, 5)


@time_machine.travel("2026-12-07 10:00 +01:00")
def test_offer_form_saves_a_season_and_the_next_date_waits_for_it(client):
    response = _post(client, schedule_freq="WEEKLY", schedule_days=["MO", "FR"],
                     schedule_starts="01/05/2027", schedule_ends="30/06/2027")
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.when_next == date(2027, 5, 3)
    assert offer.schedule_in_words == (
        "elke maandag en vrijdag, van 01/05/2027 tot en met 30/06/2027")


@time_machine.travel("2027-03-01 10:00 +01:00")
def test_a_course_of_ten_lessons_has_no_next_date_after_its_last_lesson(client):
    _post(client, schedule_freq="WEEKLY", schedule_days=["MO"], schedule_starts="04/01/2027",
          schedule_count="5")
    assert Offer.objects.get().when_next is None


@pytest.mark.parametrize("fields,field", [
    ({"schedule_starts": "01/05/2027"}, "schedule_starts"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["MO"], "schedule_count": "10"},
     "schedule_starts"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["MO"], "schedule_starts": "05/01/2027",
      "schedule_count": "10"}, "schedule_starts"),
    ({"schedule_freq": "WEEKLY", "schedule_days": ["MO"], "schedule_starts": "01/06/2027",
      "schedule_ends": "01/05/2027"}, "schedule_ends"),
], ids=["limit-without-repeat", "count-without-start", "start-off-schedule", "ends-first"])
def test_offer_form_refuses_schedule_limits_that_do_not_add_up(client, fields, field):
    response = _post(client, **fields)
    assert response.status_code == 200 and field in response.context["form"].errors


@time_machine.travel("2026-12-07 10:00 +01:00")
def test_an_offer_shows_no_next_date_after_it_ends(client):
    _post(client, schedule_freq="WEEKLY", schedule_days=["MO"], valid_until="01/02/2027",
          schedule_starts="01/03/2027")
    assert Offer.objects.get().when_next is None
