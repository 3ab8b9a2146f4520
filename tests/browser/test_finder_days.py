"""The finder's "Open op <dag>" in Chromium: a resident on a phone picks a
day with the keyboard, sees only the points open then with that day's
hours, and finds the same hours on the point's page; without JavaScript
the filter form does the same."""

import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import make_point
from tests.points.factories import brussels, make_deployment, make_mobile_point, make_period

THURSDAY_MORNING = brussels(2026, 11, 26, 10, 0)


def _city():
    market = make_point("Digibank Markt", street="Grote Markt 21", postcode="2800")
    make_period(market, 3, "09:00", "12:00")  # Thursdays
    village = make_point("Digibank Dorp", street="Dorpsstraat 1", postcode="2811")
    make_period(village, 4, "13:00", "16:00")  # Fridays
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 11, 27, 9, 30), brussels(2026, 11, 27, 11, 30),
                    place="Vrijbroekpark", street="Mechelsesteenweg 411", postcode="2812",
                    city="Muizen")


def test_resident_on_a_phone_chooses_tomorrow_with_the_keyboard_and_sees_that_days_hours(
        phone_page, transactional_db):
    _city()
    with time_machine.travel(THURSDAY_MORNING):
        phone_page.goto("/")
        days = phone_page.get_by_role("navigation", name="Wanneer wil je komen?")
        tomorrow = days.get_by_role("link", name="Morgen (vrijdag 27/11)")
        tomorrow.focus()
        phone_page.keyboard.press("Enter")
        expect(phone_page.get_by_role("heading", name="Open op vrijdag 27/11")).to_be_visible()
        expect(days.get_by_role("link", name="Morgen (vrijdag 27/11)")).to_have_attribute(
            "aria-current", "page")
        listed = phone_page.get_by_test_id("day-points")
        expect(listed.get_by_test_id("day-card")).to_have_count(2)
        expect(listed).to_contain_text("13:00–16:00")
        expect(listed).to_contain_text(
            "09:30–11:30 (Vrijbroekpark, Mechelsesteenweg 411, 2812 Muizen)")
        expect(listed.get_by_role("link", name="Digibank Markt")).to_have_count(0)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_no_serious_axe_violations(phone_page)
        # The point's own page says the same for that day.
        listed.get_by_role("link", name="Digibank Dorp").click()
        row = phone_page.get_by_role("row", name="vrijdag 27/11")
        expect(row).to_contain_text("13:00–16:00")


def test_resident_without_javascript_filters_on_a_day_and_part_of_the_day(
        browser, live_server, transactional_db):
    _city()
    context = browser.new_context(base_url=live_server.url, locale="nl-BE",
                                  timezone_id="Europe/Brussels", java_script_enabled=False,
                                  viewport={"width": 375, "height": 740})
    page = context.new_page()
    with time_machine.travel(THURSDAY_MORNING):
        page.goto("/")
        page.get_by_label("Open op").select_option(label="Morgen (vrijdag 27/11)")
        page.get_by_label("Dagdeel").select_option(label="in de namiddag")
        page.get_by_role("button", name="Tonen").click()
        expect(page.get_by_role("heading", name="Open op vrijdag 27/11 in de namiddag")
               ).to_be_visible()
        cards = page.get_by_test_id("day-card")
        expect(cards).to_have_count(1)
        expect(cards).to_contain_text("Digibank Dorp")
        assert "dag=2026-11-27" in page.url and "dagdeel=namiddag" in page.url
    context.close()
