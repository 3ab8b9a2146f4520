"""The dashboard's first screen in a real browser: the four questions
answered at a glance, accessible, and printable with every section open."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from points.models import Visit, VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_district, make_point, make_user
from tests.points.factories import (
    brussels,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)
from tests.soundboard.factories import make_board, make_item

PASSWORD = "correct horse battery"


@pytest.fixture
def coordinator(transactional_db):
    sync_role_permissions()
    return make_user("coordinator", username="cora", password=PASSWORD)


def test_coordinator_reads_the_four_answers_and_plans_a_mobile_point(page, coordinator):
    mechelen = make_district("Mechelen")
    point = make_point("Bib", district=mechelen)
    bus = make_mobile_point("Digibus", district=mechelen)
    today = date.today()
    # The bus stopped in Mechelen before, so the suggestion knows where.
    earlier = today - timedelta(days=60)
    make_deployment(bus, brussels(earlier.year, earlier.month, earlier.day, 10),
                    brussels(earlier.year, earlier.month, earlier.day, 16), district=mechelen,
                    place="Grote Markt", street="Grote Markt 21")
    arrived = brussels(today.year, 1, 2, 10)
    Visit.objects.bulk_create([
        Visit(point=point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
              arrived_at=arrived, visitor_key=f"k{n}") for n in range(12)])
    tax = make_topic("Belastingen")
    last_week = today - timedelta(days=7)
    visit = make_visit(point, status=VisitStatus.LEFT,
                       arrived_at=brussels(last_week.year, last_week.month, last_week.day, 10))
    visit.topics.add(tax)
    make_item(make_board("Senioren"), "De ingang is moeilijk te vinden")

    login(page, "cora", PASSWORD)
    page.get_by_role("link", name="Dashboard").first.click()

    people = page.get_by_role("region", name=f"Unieke mensen in {today.year}")
    expect(people.get_by_role("img", name="Unieke mensen tegenover de subsidiedrempels")
           ).to_be_visible()
    expect(people.get_by_text("Volgende drempel: 1.000 mensen")).to_be_visible()
    weeks = page.get_by_role("region", name="Bezoeken en unieke mensen per week")
    expect(weeks.get_by_role("img", name="Bezoeken per week")).to_be_visible()
    weeks.get_by_text("De cijfers per week, als tabel").click()
    expect(weeks.get_by_role("table")).to_be_visible()
    feedback = page.get_by_role("region", name="Feedback die wacht")
    expect(feedback.get_by_role("link", name="De ingang is moeilijk te vinden")).to_be_visible()
    assert_no_serious_axe_violations(page)

    demand = page.get_by_role("region", name="Vraag zonder antwoord")
    expect(demand.get_by_role("row", name="Belastingen Mechelen 1")).to_be_visible()
    demand.get_by_role("button", name="Plan een mobiel punt in Mechelen").click()
    expect(page.get_by_text("Inzet van het mobiele punt gepland")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dashboard/#plan-result$"))
    expect(page.locator("#plan-result")).to_be_focused()


def test_printing_the_dashboard_unfolds_every_section(page, coordinator):
    make_point("Bib")
    login(page, "cora", PASSWORD)
    page.goto("/dashboard/")
    folded = page.locator("details:not([open])")
    assert folded.count() > 5
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details:not([open])").count() == folded.count()
