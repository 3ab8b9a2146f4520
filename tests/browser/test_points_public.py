"""Public pages in Chromium: the finder on a phone at a frozen time, and
axe-core on the finder, a point page and the info screen."""

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import make_point
from tests.points.factories import brussels, make_closure, make_period


@pytest.fixture
def points(transactional_db):
    open_point = make_point("Digibank Markt", street="Grote Markt 21", postcode="2800",
                            wheelchair_accessible=True)
    make_period(open_point, 3, "09:00", "12:00")
    closed_point = make_point("Digibank Dorp")
    make_period(closed_point, 4, "13:00", "16:00")
    make_closure(None, brussels(2026, 12, 25).date(), reason="Kerstmis")
    return open_point, closed_point


def test_resident_on_a_phone_sees_the_open_points_first(phone_page, points):
    with time_machine.travel(brussels(2026, 11, 26, 10, 0)):
        phone_page.goto("/")
        open_list = phone_page.get_by_test_id("open-points")
        expect(open_list.get_by_role("link", name="Digibank Markt")).to_be_visible()
        assert "tot 12:00" in open_list.inner_text()
        closed_list = phone_page.get_by_test_id("closed-points")
        assert "Digibank Dorp" in closed_list.inner_text()
        assert "opent morgen om 13:00" in closed_list.inner_text()
        # Nothing sticks out sideways at 375px.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_finder_has_no_serious_accessibility_violations(page, points):
    page.goto("/")
    assert_no_serious_axe_violations(page)


def test_point_page_has_no_serious_accessibility_violations(page, points):
    page.goto(f"/punten/{points[0].slug}/")
    expect(page.get_by_role("heading", name="Digibank Markt")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_info_screen_has_no_serious_accessibility_violations(page, points):
    page.goto("/scherm/")
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("path", ["/", "/punten/digibank-markt/", "/scherm/"])
def test_public_points_pages_reflow_at_320_pixels(browser, live_server, points, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
