"""The calendar in Chromium: the info screen on a 1080p TV and a portrait
pillar (no scrolling, why a point is closed, the QR code), a resident who
looks for help in a wijk and finds the mobile point that stops there, and
a coordinator whose closure falls on a training. axe-core on each page."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from digibank.models import Notification
from digibank.roles import sync_role_permissions
from outreach.models import ScreenMessage
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import SessionStatus

PASSWORD = "correct horse battery"
MONDAY = brussels(2026, 12, 7, 10)

# What fills a screen most: long names, stops with long addresses, closures
# with their reasons, the longest message outreach can write.
LONG = "Digibank Dienstencentrum en Ontmoetingshuis"


@pytest.fixture
def full_city(transactional_db):
    mechelen = make_district("Mechelen")
    for n in range(9):
        point = make_point(f"{LONG} {n}", district=mechelen,
                           street=f"Onze-Lieve-Vrouwestraat {100 + n}", postcode="2800")
        make_period(point, 0, "09:00", "12:00")  # open on Monday morning
    for n in range(9):
        point = make_point(f"{LONG} gesloten {n}", district=mechelen)
        make_period(point, 1, "13:00", "16:00")
        make_closure(point, date(2026, 12, 7), reason="Verbouwing van de benedenzaal")
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 7, 9), brussels(2026, 12, 7, 12),
                    place="Woonzorgcentrum Hof van Egmont", street="Hanswijkstraat 63")
    ScreenMessage.objects.create(title="T" * 10 + " " + "Gratis hulp met je smartphone" * 2,
                                 text=("Kom langs in een digibankpunt in je buurt. " * 6)[:240])
    return mechelen


@pytest.mark.parametrize("width,height", [(1920, 1080), (1080, 1920)])
def test_info_screen_fits_a_tv_and_a_pillar_without_scrolling(
        browser, live_server, full_city, width, height):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE",
                                  timezone_id="Europe/Brussels",
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    with time_machine.travel(MONDAY, tick=False):
        page.goto(reverse("points:screen"))
        expect(page.get_by_test_id("screen-open")).to_be_visible()
        size = page.evaluate("() => [document.documentElement.scrollWidth, "
                             "document.documentElement.scrollHeight]")
        assert size == [width, height], f"the page scrolls: {size}"
        # Everything that must be read lies inside the screen.
        for box in page.evaluate("""() => [...document.querySelectorAll(
                '.screen-list li, .screen-message, .screen-qr img, .screen-address, h1, h2')]
                .map(e => { const r = e.getBoundingClientRect();
                            return [e.tagName, r.left, r.top, r.right, r.bottom]; })"""):
            _name, left, top, right, bottom = box
            assert left >= 0 and top >= 0 and right <= width and bottom <= height, box
        # Readable from 3 m: point names at least 28 px high on a 1080-pixel side.
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'.screen-list strong')).fontSize)")
        assert size >= 28
        assert page.get_by_test_id("screen-open").get_by_role("listitem").count() == 4
        closed = page.get_by_test_id("screen-next")
        expect(closed.get_by_text("Vandaag gesloten: Verbouwing van de benedenzaal").first
               ).to_be_visible()
        expect(page.get_by_role("img", name="QR-code naar alle digibankpunten")).to_be_visible()
        expect(page.get_by_text("pagina 1 van 3")).to_be_visible()
        assert_no_serious_axe_violations(page)
        # The next page comes with the next refresh: the other points.
        page.goto(reverse("points:screen") + "?pagina=2")
        expect(page.get_by_text("pagina 3 van 3")).to_be_visible()
    context.close()


def test_info_screen_says_when_every_point_is_closed_for_a_holiday(page, full_city):
    make_closure(None, date(2026, 12, 7), reason="Stadsfeest")
    with time_machine.travel(MONDAY, tick=False):
        page.goto(reverse("points:screen"))
        expect(page.get_by_test_id("screen-holiday")).to_have_text(
            "Vandaag zijn alle punten gesloten: Stadsfeest.")
        expect(page.get_by_text("Er is nu geen punt open.")).to_be_visible()


def test_resident_finds_the_mobile_point_that_stops_in_their_wijk(page, transactional_db):
    mechelen = make_district("Mechelen")
    nekkerspoel = make_district("Nekkerspoel", parent=mechelen)
    make_point("Wijkcentrum Nekkerspoel", district=nekkerspoel)
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 9, 9, 30), brussels(2026, 12, 9, 12, 30),
                    place="Markt Nekkerspoel", street="Nekkerspoelstraat 2", district=nekkerspoel)
    with time_machine.travel(MONDAY, tick=True):
        page.goto("/")
        page.get_by_label("Deelgemeente").select_option(label="Nekkerspoel (in Mechelen)")
        page.get_by_role("button", name="Tonen").click()
        card = page.get_by_test_id("stops-here")
        expect(card).to_contain_text("woensdag 9/12")
        expect(card).to_contain_text("Markt Nekkerspoel, Nekkerspoelstraat 2, 2800 Mechelen")
        expect(page.get_by_role("link", name="Wijkcentrum Nekkerspoel")).to_be_visible()
        assert_no_serious_axe_violations(page)


def test_coordinator_closes_a_point_over_a_training_and_everyone_is_told(
        page, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    point = make_point("Bibliotheek")
    make_period(point, 0, "09:00", "17:00")
    session = make_session(point=point, starts_at=brussels(2026, 12, 14, 10))
    make_enrolment(session, make_resident(email="maria@example.org"))
    make_enrolment(session, make_resident(phone="0470123456"))
    with time_machine.travel(MONDAY, tick=True):
        login(page, "cora", PASSWORD)
        page.goto(reverse("points:manage-closures", args=[point.pk]))
        page.locator("#id_starts_on").fill("2026-12-14")
        page.locator("#id_ends_on").fill("2026-12-15")
        page.locator("#id_reason").fill("Inventaris")
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        clashes = page.get_by_test_id("closure-clashes")
        expect(clashes).to_contain_text(str(session.course))
        expect(clashes).to_contain_text("2 mensen ingeschreven of wachtend")
        assert_no_serious_axe_violations(page)
        clashes.get_by_role("button", name="Sluiting toevoegen en deze plannen annuleren").click()
        expect(page.get_by_text("1 geplande opleiding geannuleerd (2 mensen verwittigd)")
               ).to_be_visible()
        # Back lands on the clashes' GET page, not on "resubmit the form".
        page.go_back()
        expect(page.get_by_role("heading", name="Sluitingen · Bibliotheek", exact=False)
               ).to_be_visible()
        expect(page.get_by_test_id("closure-clashes")).to_have_count(0)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert Notification.objects.filter(kind="session_cancelled").count() == 2


def test_coordinator_reads_why_a_deployment_cannot_go_on_a_holiday(page, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    bus = make_mobile_point("Digibus")
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
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
        error = page.locator("#id_starts_at_error")
        expect(error).to_contain_text("gesloten op vrijdag 25/12/2026: Kerstmis")
        assert_no_serious_axe_violations(page)
    assert not bus.deployments.exists()
