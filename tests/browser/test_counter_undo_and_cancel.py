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
