"""Issue 14, problem 7 in the browser: "left without help" undone, a visit
registered by mistake cancelled with a reason, the visit history in Dutch
with full names."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from digibank.models import AuditEvent
from points.models import Visit, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

PASSWORD = "correct horse battery"


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    make_topic("Bankapp")
    host = make_user("host", username="hanne", points=[point], first_name="Hanne",
                     last_name="Janssens")
    return {"point": point, "host": host,
            "visit": make_visit(point, resident=make_resident("Maria", "Peeters"))}


def test_left_without_help_is_undone_from_the_finished_list(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("waiting-visit").get_by_role(
        "button", name="Vertrokken zonder hulp").click()
    expect(page.get_by_test_id("waiting-visit")).to_have_count(0)
    page.get_by_role("button", name="Toch niet vertrokken").click()
    expect(page.get_by_test_id("waiting-visit")).to_have_count(1)
    assert Visit.objects.get().status == VisitStatus.WAITING
    assert_no_serious_axe_violations(page)


def test_a_visit_registered_by_mistake_is_cancelled_with_a_reason(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("waiting-visit").get_by_role(
        "link", name="Verbeteren of annuleren").click()
    page.get_by_role("button", name="Bezoek annuleren").click()
    expect(page.get_by_text("Zeg waarom je het bezoek annuleert.")).to_be_visible()
    page.get_by_label("Waarom annuleer je dit bezoek?").fill("Twee keer geregistreerd")
    page.get_by_role("button", name="Bezoek annuleren").click()
    expect(page.get_by_text("is geannuleerd")).to_be_visible()
    expect(page.get_by_test_id("waiting-visit")).to_have_count(0)
    assert not Visit.objects.exists()
    assert AuditEvent.objects.filter(summary__contains="Twee keer geregistreerd").exists()


def test_the_visit_history_reads_dutch_field_names_and_full_names(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("waiting-visit").get_by_role(
        "link", name="Verbeteren of annuleren").click()
    page.get_by_text("Bankapp", exact=True).click()
    page.get_by_label("Notitie").fill("Komt terug met de kaartlezer")
    page.get_by_role("button", name="Verbetering bewaren").click()
    page.get_by_role("link", name="Verbeteren of annuleren").first.click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("Verbeterd: onderwerpen, notitie")
    expect(history).to_contain_text("Hanne Janssens")
    expect(history).not_to_contain_text("hanne ")
    assert_no_serious_axe_violations(page)


def test_no_page_asks_for_something_missing_such_as_a_favicon(page, counter):
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url)
            if response.status == 404 else None)
    page.goto("/")
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.wait_for_timeout(500)
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert icon.endswith("/static/favicon.svg")
    assert page.request.get(icon).status == 200
    assert missing == []


def test_a_correction_in_a_second_tab_after_a_cancel_says_who_cancelled_and_keeps_the_text(
        page, counter):
    login(page, "hanne", PASSWORD)
    url = f"/balie/bezoek/{counter['visit'].pk}/corrigeren/"
    page.goto(url)
    tab_b = page.context.new_page()
    tab_b.goto(url)
    tab_b.get_by_label("Notitie").fill("Bankapp opnieuw geïnstalleerd")
    # Tab A cancels the visit with a reason; tab B then saves its correction.
    page.get_by_label("Waarom annuleer je dit bezoek?").fill("Twee keer geregistreerd")
    page.get_by_role("button", name="Bezoek annuleren").click()
    expect(page.get_by_text("is geannuleerd")).to_be_visible()
    tab_b.get_by_role("button", name="Verbetering bewaren").click()
    message = tab_b.get_by_test_id("cancelled-meanwhile")
    expect(message).to_contain_text("Dit bezoek werd intussen geannuleerd door Hanne Janssens")
    expect(message).to_contain_text("Twee keer geregistreerd")
    expect(tab_b.get_by_label("Notitie")).to_have_value("Bankapp opnieuw geïnstalleerd")
    assert_no_serious_axe_violations(tab_b)


def test_to_the_coach_is_taken_back_and_the_visit_is_with_the_host_again(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_test_id("waiting-visit").get_by_role("button", name="Naar de coach").click()
    for_coach = page.get_by_test_id("visit-for-coach")
    expect(for_coach).to_have_count(1)
    expect(for_coach.get_by_role("link", name="Verbeteren of annuleren")).to_be_visible()
    for_coach.get_by_role("button", name="Terugnemen van de coach").click()
    expect(page.get_by_test_id("visit-with-host")).to_have_count(1)
    expect(page.get_by_test_id("visit-for-coach")).to_have_count(0)
    assert Visit.objects.get().status == VisitStatus.WITH_HOST
    assert_no_serious_axe_violations(page)
