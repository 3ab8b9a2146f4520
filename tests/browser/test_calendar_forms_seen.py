"""A refused or questioned planning form is seen at once, even below a long
list and on a phone: the form comes first and the error summary (or the
clash confirmation) has the focus after the page loads."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from tests.browser.conftest import login
from tests.factories import make_point, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)
from tests.trainings.factories import make_session

PASSWORD = "correct horse battery"
MONDAY = brussels(2026, 12, 7, 10)


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE",
                                  timezone_id="Europe/Brussels",
                                  viewport={"width": 375, "height": 700})
    return context.new_page()


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_refused_deployment_puts_its_error_summary_in_view_and_focus(
        browser, live_server, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    bus = make_mobile_point("Digibus")
    for day in range(30):
        start = brussels(2027, 1, 4, 9) + timedelta(days=day)
        make_deployment(bus, start, start + timedelta(hours=3), place=f"Plein {day}")
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
    page = _phone(browser, live_server)
    with time_machine.travel(MONDAY, tick=True):
        login(page, "cora", PASSWORD)
        page.goto(reverse("points:manage-deployments", args=[bus.pk]))
        page.locator("#id_place").fill("Markt")
        page.locator("#id_street").fill("Grote Markt 1")
        page.locator("#id_postcode").fill("2800")
        page.locator("#id_district").select_option(value=str(bus.district.pk))
        page.locator("#id_starts_at").fill("2026-12-25T09:30")
        page.locator("#id_ends_at").fill("2026-12-25T12:30")
        page.get_by_role("button", name="Plannen").click()
        summary = page.locator(".form-errors")
        expect(summary).to_be_focused()
        assert _in_view(page, summary)
    page.context.close()


def test_closure_clash_confirmation_is_in_view_and_focus(browser, live_server, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    point = make_point("Bibliotheek")
    make_period(point, 0, "09:00", "17:00")
    make_session(point=point, starts_at=brussels(2026, 12, 14, 10))
    for week in range(30):
        day = date(2027, 2, 1) + timedelta(weeks=week)
        make_closure(point, day, reason=f"Teamdag {week}")
    page = _phone(browser, live_server)
    with time_machine.travel(MONDAY, tick=True):
        login(page, "cora", PASSWORD)
        page.goto(reverse("points:manage-closures", args=[point.pk]))
        page.locator("#id_starts_on").fill("2026-12-14")
        page.locator("#id_ends_on").fill("2026-12-14")
        page.locator("#id_reason").fill("Inventaris")
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        clashes = page.get_by_test_id("closure-clashes")
        expect(clashes).to_be_focused()
        assert _in_view(page, clashes)
    page.context.close()
