"""Nothing the host chose at the counter is lost: not the visitor, not the
ticked offers, not by a slip, the browser's Back button, a reload, a
note typed or a validation error. And no htmx error on any counter page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outreach.models import GivenOffer
from points.models import Visit
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_partner, make_point, make_resident, make_user
from tests.outreach.factories import make_offer
from tests.points.factories import make_channel, make_topic, make_visit
from tests.trainings.factories import make_course, make_session

PASSWORD = "correct horse battery"
SEARCH = "Zoek een bezoeker die al eens kwam"
PANEL = "Waar kunnen ze terecht?"


@pytest.fixture
def counter(transactional_db):
    # transactional_db empties the tables between tests, roles included.
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    itsme = make_topic("itsme en eID")
    bank = make_topic("Bankapp")
    course = make_course("Werken met itsme")
    course.topics.set([itsme])
    make_session(course, point=point)
    make_offer("Vragenuurtje in de bib", topics=[itsme], provider=make_partner("Bibliotheek"),
               schedule="Elke woensdag", how_to_enrol="Kom gewoon langs.")
    make_offer("Bankieren voor beginners", topics=[bank], how_to_enrol="Bel de bib.")
    make_channel("Affiche")
    return {
        "point": point,
        "itsme": itsme,
        "host": make_user("host", username="hanne", points=[point]),
        "coach": make_user("coach", username="karim", points=[point]),
        "resident": make_resident("Josée", "Van den Bossche", phone="015201020"),
    }


def _choose_josee(page) -> None:
    page.get_by_label(SEARCH).press_sequentially("Jos")
    page.get_by_label("Josée Van den Bossche").check()


def _panel_requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url)
            if "/balie/aanbod/" in request.url and "briefje" not in request.url else None)
    return urls


def test_visitor_chosen_before_a_slip_and_the_back_button_is_on_the_saved_visit(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    _choose_josee(page)
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Vragenuurtje in de bib")
    offer.get_by_role("link", name="Briefje").click()
    expect(page.get_by_text("Kom gewoon langs.")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    expect(page.get_by_test_id("closed-visit")).to_contain_text("Josée Van den Bossche")
    visit = Visit.objects.get()
    assert visit.resident == counter["resident"]


def test_slip_opens_over_the_counter_and_closes_back_to_it(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    panel.get_by_test_id("panel-offer").get_by_role("link", name="Briefje").click()
    slip = page.get_by_role("dialog", name="Waar kan je terecht")
    expect(slip.get_by_text("Kom gewoon langs.")).to_be_visible()
    assert page.url.endswith("/balie/") or "/balie/?" in page.url
    assert_no_serious_axe_violations(page)
    slip.get_by_role("button", name="Briefje sluiten").click()
    expect(slip).to_be_hidden()
    expect(page.get_by_label("itsme en eID")).to_be_checked()


def test_chosen_visitor_survives_a_reload(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    _choose_josee(page)
    page.reload()
    expect(page.get_by_label("Josée Van den Bossche")).to_be_checked()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    assert Visit.objects.get().resident == counter["resident"]


def test_chosen_visitor_and_ticked_offer_survive_a_validation_error(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    _choose_josee(page)
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Vragenuurtje in de bib")
    offer.get_by_role("checkbox").check()
    # A note too long for the server (as from a browser that ignores maxlength).
    page.get_by_label("Notitie").evaluate("field => field.removeAttribute('maxlength')")
    page.get_by_label("Notitie").fill("x" * 301)
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    expect(page.get_by_text("niet meer dan 300 tekens")).to_be_visible()
    expect(page.get_by_label("Josée Van den Bossche")).to_be_checked()
    expect(offer.get_by_role("checkbox")).to_be_checked()
    page.get_by_label("Notitie").fill("Ok")
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    visit = Visit.objects.get()
    assert visit.resident == counter["resident"]
    assert GivenOffer.objects.filter(visit=visit).count() == 1


def test_ticked_offers_stay_ticked_when_the_host_types_a_note_or_changes_outcome_or_channel(
    page, counter
):
    login(page, "hanne", PASSWORD)
    requests = _panel_requests(page)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Vragenuurtje in de bib")
    offer.get_by_role("checkbox").check()
    loads = len(requests)
    page.get_by_label("Notitie").fill("Wil zelf leren bankieren")
    page.get_by_label("Hoe hoorde de bezoeker van de digibank?").select_option(label="Affiche")
    page.get_by_label("Resultaat als je nu afrondt").select_option(label="Opleiding voorgesteld")
    page.get_by_label("Notitie").press("Tab")
    page.wait_for_timeout(500)  # a reload would have been sent by now
    assert len(requests) == loads
    expect(offer.get_by_role("checkbox")).to_be_checked()


def test_ticked_offer_stays_ticked_when_another_topic_is_ticked(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Vragenuurtje in de bib")
    offer.get_by_role("checkbox").check()
    page.get_by_text("Bankapp", exact=True).click()
    expect(panel.get_by_label("Bankieren voor beginners", exact=False)).to_be_visible()
    expect(offer.get_by_role("checkbox")).to_be_checked()
    page.get_by_text("itsme en eID", exact=True).click()  # untick: the choice stays
    expect(offer.get_by_role("checkbox")).to_be_checked()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    assert GivenOffer.objects.get().offer.title == "Vragenuurtje in de bib"


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" or "htmx:" in message.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_counter_pages_log_no_htmx_or_script_error(page, counter):
    visit = make_visit(counter["point"], resident=counter["resident"])
    errors = _console_errors(page)
    login(page, "karim", PASSWORD)
    page.goto("/balie/")
    page.get_by_label(SEARCH).press_sequentially("Jos")
    page.get_by_label("Josée Van den Bossche").wait_for()
    page.get_by_text("itsme en eID", exact=True).click()
    page.get_by_role("region", name=PANEL).get_by_test_id("panel-offer").first.wait_for()
    page.get_by_test_id("waiting-visit").get_by_role("button", name="Nu helpen").click()
    page.get_by_test_id("visit-with-host").wait_for()
    page.goto("/balie/coach/")
    page.get_by_role("heading", name="Wacht op een coach").wait_for()
    page.goto(f"/balie/bezoek/{visit.pk}/corrigeren/")
    page.get_by_role("heading", name="Een bezoek verbeteren").wait_for()
    page.goto(f"/balie/aanbod/?topics={counter['itsme'].pk}")
    page.get_by_role("heading", name=PANEL).wait_for()
    assert errors == []


def test_slip_printed_from_the_counter_is_the_slip_alone_on_one_page(page, counter, tmp_path):
    from pypdf import PdfReader

    itsme = counter["itsme"]
    for n in (1, 2):  # offers with every field the slip prints, as long as the demo's longest
        make_offer(f"Vragenuurtje digitale hulp in de bib {n}", topics=[itsme],
                   provider=make_partner(f"Bibliotheek Het Predikheren {n}"),
                   schedule="Elke eerste dinsdag van de maand, 14:00 tot 16:00",
                   how_to_enrol="Inschrijven aan de balie van de bibliotheek of via "
                                "015 29 41 00. Je hoeft niet in te schrijven voor het "
                                "vragenuurtje: kom gewoon langs.",
                   what_to_bring="Je smartphone, je identiteitskaart en je pincode",
                   proof_needed="Attest van het OCMW of van je ziekenfonds (verhoogde "
                                "tegemoetkoming)", contact_phone="015 29 41 00")
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    panel.get_by_test_id("panel-offer").nth(2).wait_for()  # a session and three offers
    for box in panel.get_by_role("checkbox").all()[:4]:
        box.check()
    panel.get_by_role("button", name="Briefje afdrukken van het aangeduide aanbod").click()
    slip = page.get_by_role("dialog", name="Waar kan je terecht")
    expect(slip.get_by_test_id("slip-item")).to_have_count(4)
    page.pdf(path=tmp_path / "briefje.pdf", format="A4")
    reader = PdfReader(tmp_path / "briefje.pdf")
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1, [p.extract_text()[:300] for p in reader.pages]
    assert "Waar kan je terecht" in text and "Nu afronden" not in text


def test_back_after_closing_the_slip_stays_on_the_counter_with_the_choices(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/start/")
    page.goto("/balie/")
    page.get_by_text("itsme en eID", exact=True).click()
    panel = page.get_by_role("region", name=PANEL)
    panel.get_by_test_id("panel-offer").get_by_role("link", name="Briefje").click()
    slip = page.get_by_role("dialog", name="Waar kan je terecht")
    expect(slip.get_by_text("Kom gewoon langs.")).to_be_visible()
    slip.get_by_role("button", name="Briefje sluiten").click()
    expect(slip).to_be_hidden()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/balie/\?.*topics="))
    expect(page.get_by_label("itsme en eID")).to_be_checked()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    assert [topic.name for topic in Visit.objects.get().topics.all()] == ["itsme en eID"]


def test_the_offer_panels_search_survives_a_reload_and_back(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    panel = page.get_by_role("region", name=PANEL)
    panel.get_by_label("Zoek in de digikaart").fill("bankieren")
    panel.get_by_role("button", name="Zoeken").click()
    offer = panel.get_by_test_id("panel-offer").filter(has_text="Bankieren voor beginners")
    offer.wait_for()
    expect(page).to_have_url(re.compile(r"zoek=bankieren"))
    page.reload()
    expect(panel.get_by_label("Zoek in de digikaart")).to_have_value("bankieren")
    offer.wait_for()
    page.goto("/aanbod/")
    page.go_back()
    expect(panel.get_by_label("Zoek in de digikaart")).to_have_value("bankieren")
    offer.wait_for()
