"""Issue 14, problems 2 and 3 in the browser: the counter finds a returning
visitor however the host types them, warns before a second record, and its
"New resident" checks a phone number as the resident form does; an empty
"Finish now" is refused."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from digibank.models import Resident
from points.models import Visit
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic

PASSWORD = "correct horse battery"
SEARCH = "Zoek een bezoeker die al eens kwam"


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    make_topic("itsme en eID")
    return {
        "host": make_user("host", username="hanne", points=[point]),
        "josee": make_resident("Josée", "Peeters", phone="0474556677"),
        "vdb": make_resident("Anne-Marie", "Van den Bossche"),
    }


@pytest.mark.parametrize("typed", ["jose", "josee", "Peeters Josée", "+32 474 55 66 77",
                                   "0474/55.66.77"])
def test_the_counter_finds_josee_however_she_is_typed(page, counter, typed):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_label(SEARCH).fill(typed)
    expect(page.get_by_label("Josée Peeters")).to_be_visible()


def test_the_counter_finds_a_part_of_a_compound_name(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_label(SEARCH).fill("bossche anne")
    expect(page.get_by_label("Anne-Marie Van den Bossche")).to_be_visible()


def test_a_new_resident_typed_like_josee_is_offered_josee_instead(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("Nieuwe inwoner").click()
    page.get_by_label("Voornaam").fill("Josee")
    page.get_by_label("Achternaam").fill("peeters")
    page.get_by_role("button", name="Wacht in de rij").click()
    expect(page.get_by_text("Dit is misschien iemand die we al kennen")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Josée Peeters").check()
    page.get_by_role("button", name="Wacht in de rij").click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    assert Resident.objects.count() == 2
    assert Visit.objects.get().resident == counter["josee"]


@pytest.mark.parametrize("phone", ["abc", "0470"])
def test_the_counter_refuses_a_phone_the_resident_form_refuses(page, counter, phone):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("Nieuwe inwoner").click()
    page.get_by_label("Voornaam").fill("Rita")
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Telefoon").fill(phone)
    page.get_by_role("button", name="Wacht in de rij").click()
    field = page.locator(".field", has=page.get_by_label("Telefoon"))
    expect(field.get_by_text("Geef een volledig telefoonnummer")).to_be_visible()
    expect(page.get_by_label("Telefoon")).to_have_value(phone)
    assert not Resident.objects.filter(first_name="Rita").exists()
    assert not Visit.objects.exists()


def test_an_empty_finish_now_is_refused(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    expect(page.get_by_text("Vink aan waarover de vraag ging")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert not Visit.objects.exists()
