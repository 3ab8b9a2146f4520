"""The offer guide in residents' words, in Chromium: a resident on a phone
searches "goedkoop internet", sees why each offer was found, and taps a
word they do not know on the offer page; a keyboard user reads the same
explanation; a host searches the guide from the counter's panel."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outreach.models import GivenOffer, GlossaryTerm, OfferKind, SearchSynonym
from points.models import Visit
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_user
from tests.outreach.factories import make_offer
from tests.points.factories import make_topic

PASSWORD = "correct horse battery"
LEEFLOON = "Een leefloon is een minimuminkomen van het OCMW."


@pytest.fixture
def guide(transactional_db):
    # transactional_db empties the tables between tests, roles included.
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    SearchSynonym.objects.create(term="goedkoop", alternatives="sociaal tarief, gratis")
    SearchSynonym.objects.create(term="gsm", alternatives="smartphone, mobiel")
    GlossaryTerm.objects.create(term="leefloon", explanation=LEEFLOON)
    social = make_offer("Sociaal tarief voor internet", kind=OfferKind.INTERNET,
                        monthly_price=19, is_social_tariff=True, is_online=True,
                        description="Met het sociaal tarief betaal je minder voor internet.",
                        social_tariff_for="Mensen met een leefloon.")
    make_offer("Mobiel abonnement", kind=OfferKind.INTERNET, monthly_price=10, is_online=True,
               description="Een abonnement voor je smartphone met 5 GB data.",
               topics=[make_topic("Smartphone")])
    make_offer("Leer werken met itsme", description="Je leert itsme gebruiken.")
    return {"point": point, "social": social,
            "host": make_user("host", username="hanne", points=[point])}


def test_resident_searches_in_own_words_and_taps_a_word_to_have_it_explained(
        phone_page, guide):
    phone_page.goto("/aanbod/")
    phone_page.get_by_label("Zoeken").fill("goedkoop internet")
    phone_page.get_by_role("button", name="Tonen").click()
    phone_page.get_by_role("heading", name="1 aanbod").wait_for()
    card = phone_page.get_by_test_id("offer")
    expect(card.get_by_role("heading")).to_have_text("Sociaal tarief voor internet")
    expect(card.get_by_test_id("matching-words")).to_have_text(
        "Gevonden op: goedkoop (sociaal tarief), internet")
    assert_no_serious_axe_violations(phone_page)
    card.get_by_role("link", name="Sociaal tarief voor internet").click()
    term = phone_page.get_by_role("button", name="leefloon")
    tip = phone_page.get_by_role("tooltip")
    expect(term).to_be_visible()
    expect(tip).to_be_hidden()
    term.tap()
    expect(tip).to_have_text(LEEFLOON)
    expect(tip).to_be_visible()
    assert_no_serious_axe_violations(phone_page)
    phone_page.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_keyboard_user_hears_and_sees_the_explanation_of_a_word(page, guide):
    page.goto(f"/aanbod/{guide['social'].pk}/")
    term = page.get_by_role("button", name="leefloon")
    expect(term).to_have_accessible_description(LEEFLOON)
    term.focus()
    expect(page.get_by_role("tooltip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("tooltip")).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("tooltip")).to_be_visible()


def test_mouse_user_sees_the_explanation_on_hover(page, guide):
    page.goto(f"/aanbod/{guide['social'].pk}/")
    page.get_by_role("button", name="leefloon").hover()
    expect(page.get_by_role("tooltip")).to_have_text(LEEFLOON)
    page.get_by_role("heading", level=1).hover()
    expect(page.get_by_role("tooltip")).to_be_hidden()


def test_host_searches_the_guide_in_the_visitors_words_and_ticks_an_offer(page, guide):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("Smartphone", exact=True).click()
    panel = page.get_by_role("region", name="Waar kunnen ze terecht?")
    expect(panel.get_by_test_id("panel-offer")).to_have_count(1)
    panel.get_by_label("Zoek in de digikaart").fill("gsm abonnement")
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Mobiel abonnement")
    expect(offer).to_be_visible()
    expect(offer.get_by_test_id("matching-words")).to_have_text(
        "Gevonden op: gsm (smartphone, mobiel), abonnement")
    expect(panel.get_by_test_id("panel-offer")).to_have_count(1)
    assert_no_serious_axe_violations(page)
    offer.get_by_role("checkbox").check()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    assert GivenOffer.objects.get(visit=Visit.objects.get()).offer.title == "Mobiel abonnement"
