"""The wipe gate in a real browser: the device page's "Change status"
cannot make a donated laptop that was never wiped ready, and the page does
not offer to send it to a lending point."""

import pytest
from playwright.sync_api import expect

from devices.models import DeviceStatus
from devices.services import register_device
from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def atelier_worker(transactional_db):
    sync_role_permissions()
    make_point("Sociaal Huis")
    return make_user("atelier", username="arno", first_name="Arno", last_name="Peeters",
                     password=PASSWORD)


def _change_status(page, label: str) -> None:
    page.get_by_label("Nieuwe status").select_option(label=label)
    page.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_load_state()


def test_unwiped_donated_laptop_cannot_be_made_ready_or_sent_from_the_device_page(
        page, atelier_worker):
    device = register_device(actor=None, kind="laptop", brand="Dell", model_name="Latitude",
                             asset_tag="DB-00002")
    login(page, "arno", PASSWORD)
    page.goto("/toestellen/DB-00002/")
    _change_status(page, "Wordt opgeknapt")
    expect(page.locator(".status")).to_have_text("Wordt opgeknapt")

    _change_status(page, "Klaar in het atelier")
    expect(page.locator(".message-error")).to_contain_text("gewist")
    assert_no_serious_axe_violations(page)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REFURBISHING

    # A device being refurbished can never be sent: the page does not offer
    # it (the send address itself refuses too: tests/test_every_door.py).
    expect(page.get_by_label("Versturen naar")).to_have_count(0)
    expect(page.get_by_role("button", name="Versturen", exact=True)).to_have_count(0)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REFURBISHING and device.point is None
