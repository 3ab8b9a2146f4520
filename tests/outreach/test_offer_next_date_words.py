"""A typed next date never contradicts the offer's words: with a structured
schedule it is one of its dates (also every other week); without one it
falls on a weekday that "Wanneer" names. One check (Offer.clean), walked
through every door: the offer form, the admin and the import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.models import Offer
from outreach.schedules import next_occurrence, schedule_words, weekdays_in_words
from tests.factories import make_user
from tests.outreach.factories import make_offer

pytestmark = pytest.mark.django_db
WEDNESDAY, FRIDAY = date(2026, 12, 16), date(2026, 12, 18)


@pytest.mark.parametrize("words,days", [
    ("Vrijdag 10:00 tot 12:00, om de twee weken", {4}),
    ("Woensdagnamiddag", {2}),
    ("Maandag tot vrijdag 9:00 tot 12:00", {0, 1, 2, 3, 4}),
    ("Dinsdag en donderdag", {1, 3}),
    ("Op afspraak", set()),
])
def test_the_weekdays_that_when_names_are_read_in_dutch(words, days):
    assert weekdays_in_words(words) == days


def test_every_other_week_skips_a_week_from_its_first_date():
    fields = {"schedule_freq": "WEEKLY", "schedule_interval": 2, "schedule_days": "FR",
              "schedule_week": None, "schedule_starts": date(2026, 12, 11),
              "schedule_ends": None, "schedule_count": None}
    assert next_occurrence(today=date(2026, 12, 12), **fields) == date(2026, 12, 25)
    assert "om de twee weken" in schedule_words(**fields)


def _post(client, offer, **overrides):
    client.force_login(make_user("coordinator"))
    data = {"title": offer.title, "description": "Hulp.", "kind": "helpdesk",
            "address": "Melaan 20, 2800 Mechelen", "price_kind": "free", "languages": ["nl"],
            "is_published": "on", "contact_phone": "015 21 22 23", "version": offer.version,
            "schedule_interval": "1"}
    data.update(overrides)
    return client.post(reverse("outreach:offer-edit", args=[offer.pk]), data)


def test_the_offer_form_refuses_a_next_date_on_another_weekday_than_when_says(client):
    offer = make_offer("Weerbaarheid", schedule="Woensdagnamiddag")
    response = _post(client, offer, schedule="Woensdagnamiddag", next_date="18/12/2026")
    assert response.status_code == 200
    assert "maar ‘Wanneer’ zegt woensdag" in str(response.context["form"].errors["next_date"])
    offer.refresh_from_db()
    assert offer.next_date is None


def test_the_offer_form_saves_a_next_date_on_the_weekday_when_names(client):
    offer = make_offer("Weerbaarheid", schedule="Woensdagnamiddag")
    response = _post(client, offer, schedule="Woensdagnamiddag", next_date="16/12/2026")
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.next_date == WEDNESDAY


def test_the_offer_form_says_to_check_the_next_date_against_when(client):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:offer-create"))
    assert "Controleer dat deze datum past bij" in response.content.decode()


def test_the_models_clean_that_the_admin_calls_refuses_a_next_date_on_another_weekday():
    from django.core.exceptions import ValidationError

    offer = make_offer("Weerbaarheid", schedule="Woensdagnamiddag", next_date=FRIDAY)
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "next_date" in error.value.message_dict


def test_the_import_refuses_a_next_date_on_another_weekday_than_when_says(client):
    from digibank.roles import sync_role_permissions

    sync_role_permissions()
    client.force_login(make_user("coordinator"))
    csv = ("id,title,description,kind,address,cost_eur,languages,schedule,next_date\n"
           ",Weerbaarheid,Uitleg,helpdesk,Melaan 20,0,nl,Woensdagnamiddag,2026-12-18\n")
    response = client.post(reverse("admin:outreach_offer_import"), {
        "import_file": SimpleUploadedFile("offers.csv", csv.encode(), content_type="text/csv"),
        "format": "0", "resource": "0"})
    assert response.context["result"].has_validation_errors()
    assert not Offer.objects.exists()
