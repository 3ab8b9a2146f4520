"""Offer guide journeys in Chromium: the host finds where someone can go
for their topic and prints the slip; a resident filters the public guide
on a phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outreach.models import GivenOffer, OfferKind
from points.models import Visit
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_partner, make_point, make_user
from tests.outreach.factories import make_offer
from tests.points.factories import make_topic
from tests.trainings.factories import make_course, make_session

PASSWORD = "correct horse battery"


@pytest.fixture
def guide(transactional_db):
    # transactional_db empties the tables between tests, roles included.
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    itsme = make_topic("itsme en eID")
    make_topic("Bankapp")
    course = make_course("Werken met itsme")
    course.topics.set([itsme])
    make_session(course, point=point)
    desk = make_offer("Vragenuurtje in de bib", topics=[itsme],
                      provider=make_partner("Bibliotheek"), schedule="Elke woensdag",
                      how_to_enrol="Kom gewoon langs.")
    make_offer("Sociaal tarief internet", kind=OfferKind.INTERNET, monthly_price=19,
               is_social_tariff=True, is_online=True)
    make_offer("Goedkoop mobiel", kind=OfferKind.INTERNET, monthly_price=10, is_online=True)
    return {"point": point, "desk": desk,
            "host": make_user("host", username="hanne", points=[point])}


def test_host_ticks_itsme_sees_training_and_help_desk_and_prints_the_slip(page, guide):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name="Waar kunnen ze terecht?")
    panel.get_by_test_id("panel-session").filter(has_text="Werken met itsme").wait_for()
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Vragenuurtje in de bib")
    offer.wait_for()
    assert_no_serious_axe_violations(page)
    panel.get_by_label("Werken met itsme", exact=False).check()
    offer.get_by_role("checkbox").check()
    panel.get_by_role("button", name="Briefje afdrukken van het aangeduide aanbod").click()
    slip = page.get_by_role("dialog", name="Waar kan je terecht")
    slip.get_by_text("Kom gewoon langs.").wait_for()
    expect(slip.get_by_test_id("slip-item")).to_have_count(2)
    page.emulate_media(media="print")
    expect(slip.get_by_role("button", name="Briefje afdrukken")).to_be_hidden()
    expect(page.get_by_role("button", name="Nu afronden", exact=True)).to_be_hidden()
    page.emulate_media(media="screen")
    slip.get_by_role("button", name="Briefje sluiten").click()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    visit = Visit.objects.get()
    assert GivenOffer.objects.filter(visit=visit).count() == 2


def test_resident_finds_the_cheapest_internet_on_a_phone(phone_page, guide):
    phone_page.goto("/aanbod/")
    assert_no_serious_axe_violations(phone_page)
    phone_page.get_by_label("Soort").select_option(label="Internetabonnement of sociaal tarief")
    phone_page.get_by_role("button", name="Tonen").click()
    phone_page.get_by_role("heading", name="2 aanbiedingen").wait_for()
    titles = phone_page.get_by_test_id("offer").get_by_role("heading").all_inner_texts()
    assert titles == ["Goedkoop mobiel", "Sociaal tarief internet"]


def test_public_guide_and_offer_page_pass_axe(page, guide):
    page.goto("/aanbod/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Vragenuurtje in de bib").click()
    page.get_by_text("Kom gewoon langs.").wait_for()
    assert_no_serious_axe_violations(page)
