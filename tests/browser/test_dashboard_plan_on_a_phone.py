"""The dashboard's unanswered demand in a real browser: at 375 px the page
does not scroll sideways (the table scrolls in its own labelled region), and
each row's plan form offers a free mobile point and day, so planning works
at the first click and its result takes the focus beside the table."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from points.models import MobileDeployment, VisitStatus
from tests.browser.conftest import login
from tests.factories import make_district, make_point, make_user
from tests.points.factories import (
    brussels,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def demand(transactional_db):
    """Two topics left unanswered in Mechelen last week; the A-bus is booked
    on the Monday the plan forms suggest, the B-busje is free."""
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    mechelen = make_district("Mechelen")
    point = make_point("Bib", district=mechelen)
    today = date.today()
    last_week = today - timedelta(days=7)
    for name in ("Belastingen met een heel lange naam voor de tabel", "Itsme op de smartphone"):
        visit = make_visit(point, status=VisitStatus.LEFT, arrived_at=brussels(
            last_week.year, last_week.month, last_week.day, 10))
        visit.topics.add(make_topic(name))
    monday = today + timedelta(days=14 - today.weekday())
    bus = make_mobile_point("A-bus", district=mechelen)
    make_mobile_point("B-busje", district=mechelen)
    make_deployment(bus, brussels(monday.year, monday.month, monday.day, 10),
                    brussels(monday.year, monday.month, monday.day, 16), district=mechelen,
                    place="Grote Markt", street="Grote Markt 21")
    return monday


def test_unanswered_demand_scrolls_in_its_own_region_at_375_px(phone_page, demand):
    login(phone_page, "cora", PASSWORD)
    phone_page.goto("/dashboard/")
    region = phone_page.get_by_role("region", name="Onbeantwoorde vragen per onderwerp")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    expect(region).to_be_focused()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_each_row_plans_a_free_mobile_point_at_the_first_click(page, demand):
    login(page, "cora", PASSWORD)
    page.goto("/dashboard/")
    demand_card = page.get_by_role("region", name="Vraag zonder antwoord")
    first = demand_card.get_by_role("combobox", name="Mobiel punt voor Belastingen")
    expect(first.locator("option").first).to_have_text("Kies een mobiel punt")
    expect(first.locator("option:checked")).to_have_text("B-busje")
    demand_card.get_by_role("button", name="Plan een mobiel punt in Mechelen").first.click()
    result = page.locator("#plan-result")
    expect(result).to_contain_text("Inzet van het mobiele punt gepland")
    expect(result).to_be_focused()
    # The second row now offers another free slot and plans at once too.
    demand_card = page.get_by_role("region", name="Vraag zonder antwoord")
    demand_card.get_by_role("button", name="Plan een mobiel punt in Mechelen").nth(1).click()
    expect(page.locator("#plan-result")).to_contain_text("Inzet van het mobiele punt gepland")
    assert MobileDeployment.objects.count() == 3
