from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from digibank.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_no_serious_axe_violations, login

# What each demo user must find in the navigation after logging in.
EXPECTED_NAV = {
    "host": ["Start", "Inwoners"],
    "coach": ["Start", "Inwoners"],
    "atelier": ["Start"],
    "coordinator": ["Start", "Inwoners", "Audittrail", "Beheer"],
    "partner": ["Start"],
}
ROLE_LABEL = {
    "host": "Host",
    "coach": "Coach",
    "atelier": "Ateliermedewerker",
    "coordinator": "Coördinator",
    "partner": "Partner",
}


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", force=True, stdout=StringIO())


@pytest.mark.parametrize("username", list(EXPECTED_NAV))
def test_demo_user_logs_in_and_sees_their_dutch_navigation(page, demo_data, username):
    login(page, username, DEMO_PASSWORD)
    assert page.url.endswith("/start/")
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    for label in EXPECTED_NAV[username]:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert page.get_by_test_id("role").inner_text() == ROLE_LABEL[username]
    assert page.locator("html").get_attribute("lang") == "nl"


def test_host_does_not_see_coordinator_navigation(page, demo_data):
    login(page, "host", DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    assert nav.get_by_role("link", name="Beheer").count() == 0


def test_coordinator_opens_an_entry_outside_the_bar_from_the_start_page(page, demo_data):
    login(page, "coordinator", DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    assert nav.get_by_role("link", name="Campagnes").count() == 0
    section = page.get_by_role("region", name="Partners, feedback en bereik")
    section.get_by_role("link", name="Campagnes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Campagnes"


def test_login_page_has_no_serious_accessibility_violations(page, transactional_db):
    page.goto("/aanmelden/")
    assert_no_serious_axe_violations(page)


def test_home_page_has_no_serious_accessibility_violations(page, demo_data):
    page.goto("/")
    assert_no_serious_axe_violations(page)


def test_accessibility_statement_has_no_serious_accessibility_violations(page, transactional_db):
    page.goto("/toegankelijkheid/")
    assert_no_serious_axe_violations(page)


def test_staff_start_page_has_no_serious_accessibility_violations(page, demo_data):
    login(page, "coordinator", DEMO_PASSWORD)
    assert_no_serious_axe_violations(page)


def test_skip_link_is_the_first_focus_and_moves_to_the_content(page, transactional_db):
    page.goto("/toegankelijkheid/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/toegankelijkheid/", "/aanmelden/"])
def test_public_pages_reflow_without_sideways_scrolling_at_320_pixels(
    browser, live_server, transactional_db, path
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
