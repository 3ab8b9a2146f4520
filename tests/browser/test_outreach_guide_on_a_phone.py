"""A resident on a phone (375 px) in the offer guide: finds it from the home
page, searches and is told how many offers were found with a way to the
results, opens a word's explanation that stays on the screen; one search is
one step back in the history."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outreach.models import GlossaryTerm, OfferKind
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.outreach.factories import make_offer

LEEFLOON = ("Een leefloon is een minimuminkomen van het OCMW voor wie geen ander inkomen "
            "heeft, en dat is een lange uitleg.")


@pytest.fixture
def guide(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    GlossaryTerm.objects.create(term="leefloon", explanation=LEEFLOON)
    # Terms in the middle and at the end of lines, where a tip used to run off.
    for term in ("tarief", "internet", "gsm"):
        GlossaryTerm.objects.create(term=term, explanation=f"{term}: {LEEFLOON}")
    for number in range(3):
        make_offer(f"Gsm-abonnement {number}", kind=OfferKind.INTERNET, monthly_price=10,
                   is_online=True, description="Een abonnement voor je gsm.")
    social = make_offer(
        "Sociaal tarief", kind=OfferKind.INTERNET, monthly_price=19, is_social_tariff=True,
        is_online=True, social_tariff_for="Mensen die het zwaar hebben met een leefloon",
        description="Met het sociaal tarief betaal je minder voor internet en je gsm.")
    return {"social": social}


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_resident_goes_from_the_home_page_to_the_guide(phone_page, guide):
    phone_page.goto("/")
    phone_page.get_by_test_id("more-help").get_by_role("link", name="digikaart").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(
        "Digikaart: het digitale aanbod")
    phone_page.goto("/")
    phone_page.get_by_test_id("more-help").get_by_role("link", name="opleidingen").click()
    expect(phone_page).to_have_url("/opleidingen/")


def test_search_on_a_phone_announces_the_count_near_the_box_with_a_link_to_the_results(
        phone_page, guide):
    phone_page.goto("/aanbod/")
    box = phone_page.get_by_label("Zoeken")
    box.fill("gsm")
    box.press("Enter")
    status = phone_page.get_by_role("status")
    expect(status).to_contain_text("4 resultaten")
    link = status.get_by_role("link", name="Naar de resultaten")
    expect(link).to_be_in_viewport()
    link.click()
    expect(phone_page.get_by_role("heading", name="4 aanbiedingen")).to_be_in_viewport()
    assert_no_serious_axe_violations(phone_page)


def test_one_search_with_enter_is_one_step_back(phone_page, guide):
    phone_page.goto("/aanbod/")
    length = phone_page.evaluate("history.length")
    box = phone_page.get_by_label("Zoeken")
    box.fill("gsm")
    with phone_page.expect_response(lambda r: "zoek=gsm" in r.url):
        box.press("Enter")
    expect(phone_page).to_have_url("/aanbod/?zoek=gsm&thema=&soort=&wijk=&doelgroep=&taal=")
    phone_page.wait_for_timeout(300)
    assert phone_page.evaluate("history.length") == length + 1


def test_every_words_explanation_stays_inside_a_phone_screen(phone_page, guide):
    phone_page.goto(f"/aanbod/{guide['social'].pk}/")
    width = phone_page.evaluate("document.documentElement.clientWidth")
    terms = phone_page.locator("button.term-button")
    assert terms.count() >= 3
    for index in range(terms.count()):
        term = terms.nth(index)
        term.focus()  # as Tab does
        tip = term.locator("xpath=following-sibling::*[1]")
        expect(tip).to_be_visible()
        phone_page.wait_for_timeout(100)
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (term.inner_text(), box)
        assert _no_sideways_scroll(phone_page), term.inner_text()
        phone_page.keyboard.press("Escape")


def test_a_words_explanation_stays_inside_the_screen_after_other_tips_were_opened(
        phone_page, transactional_db):
    """The re-test's sequence on the demo's social tariff page: tap leefloon,
    inkomensgarantie voor ouderen, verhoogde tegemoetkoming and Mbps with
    Escape in between, then OCMW; OCMW's tip used to keep a stale offset."""
    from outreach.demo_offers import GLOSSARY

    for term, variants, explanation in GLOSSARY:
        GlossaryTerm.objects.create(term=term, variants=variants, explanation=explanation)
    offer = make_offer(
        "Sociaal tarief voor internet", kind=OfferKind.INTERNET, monthly_price=19,
        is_social_tariff=True, is_online=True, download_mbps=30,
        description="Met het sociaal tarief betaal je minder voor internet.",
        social_tariff_for="Mensen met een leefloon, een inkomensgarantie voor ouderen, of een "
                          "verhoogde tegemoetkoming met een laag inkomen.",
        proof_needed="Attest van het OCMW of het ziekenfonds")
    phone_page.goto(f"/aanbod/{offer.pk}/")
    width = phone_page.evaluate("document.documentElement.clientWidth")
    for name in ("leefloon", "inkomensgarantie voor ouderen", "verhoogde tegemoetkoming",
                 "Mbps", "OCMW"):
        term = phone_page.locator("button.term-button", has_text=name).first
        term.tap()
        tip = term.locator("xpath=following-sibling::*[1]")
        expect(tip).to_be_visible()
        phone_page.wait_for_timeout(100)
        box = tip.bounding_box()
        assert box["x"] >= 8 and box["x"] + box["width"] <= width - 8, (name, box)
        assert _no_sideways_scroll(phone_page), name
        if name != "OCMW":
            phone_page.keyboard.press("Escape")



def test_the_guide_breaks_no_content_security_rule(page, guide):
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    page.goto("/aanbod/")
    box = page.get_by_label("Zoeken")
    box.fill("gsm")
    with page.expect_response(lambda r: "zoek=gsm" in r.url):
        box.press("Enter")
    page.get_by_role("status").get_by_text("4 resultaten").wait_for()
    page.get_by_label("Alleen gratis").check()
    page.get_by_role("status").get_by_text("0 resultaten").wait_for()
    page.goto(f"/aanbod/{guide['social'].pk}/")
    page.get_by_role("button", name="leefloon").focus()
    assert problems == []
