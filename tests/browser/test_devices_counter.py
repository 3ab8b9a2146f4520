"""The counter's device journeys in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from atelier.models import RepairTicket
from devices.models import DeviceKind, DeviceStatus, Loan, LoanStatus
from devices.services import request_reservation, reserve_device
from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def counter(transactional_db):
    sync_role_permissions()
    point = make_point("Digibank Huis van de Mechelaar")
    host = make_user("host", username="hanne", points=[point], password=PASSWORD)
    return point, host


def test_host_hands_out_a_reserved_laptop_at_the_counter(page, counter):
    point, _host = counter
    subscription = make_subscription(make_resident("Maria", "Peeters", phone="0470123456"))
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point, asset_tag="DB-00042")
    reserve_device(actor=None, device=device, reservation=reservation)

    login(page, "hanne", PASSWORD)
    page.goto("/reservaties/")
    row = page.get_by_role("row", name="Maria Peeters")
    row.get_by_role("link", name="Uitlenen").click()
    assert page.get_by_label("Inventarisnummer").input_value() == "DB-00042"
    page.get_by_label("Getekend op papier").check()
    page.get_by_role("button", name="Uitlenen").click()

    expect(page.get_by_role("heading", name="Leenovereenkomst voor een toestel")).to_be_visible()
    expect(page.get_by_text("DB-00042 meegegeven aan Maria Peeters.")).to_be_visible()
    loan = Loan.objects.get(device=device)
    assert loan.status == LoanStatus.ISSUED and loan.handed_out_at_point == point


def test_host_takes_in_a_broken_tablet_from_the_counter_tabs(page, counter):
    point, host = counter
    tablet = make_device(DeviceKind.TABLET, asset_tag="TAB-00007")
    make_loan(tablet, make_subscription())

    login(page, "hanne", PASSWORD)
    page.goto("/balie/terugbrengen/")
    page.get_by_role("link", name="Kapot toestel", exact=True).click()
    expect(page.get_by_role("heading", name="Aannemen voor herstelling")).to_be_visible()
    page.get_by_label("Inventarisnummer").fill("tab-00007")
    page.get_by_label("Wat is er mis?").fill("Het scherm blijft zwart na het opladen.")
    page.get_by_role("button", name="Aannemen voor herstelling").click()

    expect(page.get_by_text(re.compile(
        r"TAB-00007 aangenomen voor herstelling \(herstelling \d+\)\. Het atelier weet het\.",
    ))).to_be_visible()
    tablet.refresh_from_db()
    assert tablet.status == DeviceStatus.IN_REPAIR and tablet.point == point
    ticket = RepairTicket.objects.get()
    assert ticket.problem == "Het scherm blijft zwart na het opladen."
    assert ticket.return_point == point and ticket.defect_report == tablet.defects.get()


def test_old_defect_bookmark_opens_the_repair_intake(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/defect/")
    expect(page).to_have_url(re.compile(r"/balie/herstelling/$"))
    expect(page.get_by_role("heading", name="Aannemen voor herstelling")).to_be_visible()


def test_unknown_tag_at_the_counter_is_explained_next_to_the_field(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/terugbrengen/")
    page.get_by_label("Inventarisnummer").fill("XX-1")
    page.get_by_role("button", name="Terugnemen").click()
    expect(page.get_by_text("Geen enkel toestel heeft inventarisnummer “XX-1”")).to_be_visible()


def test_device_list_has_no_serious_accessibility_violations(page, counter):
    point, _host = counter
    make_device(point=point)
    make_loan(make_device(DeviceKind.TABLET), make_subscription())
    login(page, "hanne", PASSWORD)
    page.goto("/toestellen/")
    expect(page.get_by_role("heading", name="Toestellen", exact=True)).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_hand_out_screen_has_no_serious_accessibility_violations(page, counter):
    subscription = make_subscription(make_resident("Luc", "Janssens", phone="0475998877"))
    login(page, "hanne", PASSWORD)
    page.goto(f"/balie/uitlenen/?inwoner={subscription.resident_id}")
    assert_no_serious_axe_violations(page)


def test_hand_out_screen_works_on_a_phone(phone_page, counter):
    make_subscription(make_resident("Maria-Magdalena", "Peeters-Vandenbroucke",
                                    phone="0470123456"))
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/uitlenen/")
    phone_page.get_by_label("Inwoner").fill("Pee")
    phone_page.get_by_role("button", name="Zoeken").click()
    # Measure the result page, not the search page while it is being replaced.
    phone_page.get_by_role("link", name="Maria-Magdalena Peeters-Vandenbroucke").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_reservation_subscription_and_device_pages_have_no_serious_violations(page, counter):
    point, _host = counter
    subscription = make_subscription(make_resident("Anna", "Wouters", phone="0471000001"))
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point, asset_tag="DB-00088")
    reserve_device(actor=None, device=device, reservation=reservation)
    waiting = make_subscription(make_resident("Ivan", "Petrenko", phone="0471000002"))
    request_reservation(actor=None, subscription=waiting, kind=DeviceKind.TABLET,
                        pickup_point=point)
    make_device(DeviceKind.TABLET, point=point)
    login(page, "hanne", PASSWORD)
    for path in ("/reservaties/", f"/inwoners/{subscription.resident_id}/toestellen/",
                 "/toestellen/DB-00088/", "/toestellen/DB-00088/label/"):
        page.goto(path)
        assert_no_serious_axe_violations(page)
