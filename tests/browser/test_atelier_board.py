"""The atelier board in a real browser: a device set to "being refurbished"
on its page gets its job on the board; a long column pages through all its
devices."""

import pytest
from playwright.sync_api import expect

from atelier.models import RefurbishJob
from devices.models import DeviceStatus
from devices.services import register_device
from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.devices.factories import make_device
from tests.factories import make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def atelier_worker(transactional_db):
    sync_role_permissions()
    return make_user("atelier", username="arno", first_name="Arno", last_name="Peeters",
                     password=PASSWORD)


def test_refurbishing_set_on_the_device_page_puts_its_job_on_the_board(page, atelier_worker):
    register_device(actor=None, kind="laptop", brand="Dell", asset_tag="DB-00128")
    login(page, "arno", PASSWORD)
    page.goto("/toestellen/DB-00128/")
    page.get_by_label("Nieuwe status").select_option(label="Wordt opgeknapt")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.locator(".status")).to_have_text("Wordt opgeknapt")

    page.goto("/atelier/")
    wipe = page.locator('[data-column="wipe"]')
    expect(wipe.locator(".count")).to_have_text("1")
    wipe.get_by_role("link", name="DB-00128").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DB-00128")
    assert RefurbishJob.objects.open().filter(device__asset_tag="DB-00128").count() == 1


def test_a_long_column_pages_through_every_device(page, atelier_worker):
    for n in range(11):
        make_device(status=DeviceStatus.RECEIVED, asset_tag=f"DB-{n + 1:05d}")
    login(page, "arno", PASSWORD)
    page.goto("/atelier/")
    start = page.locator('[data-column="start"]')
    expect(start.locator(".count")).to_have_text("11")
    expect(start.locator("li")).to_have_count(8)
    assert_no_serious_axe_violations(page)
    start.get_by_role("link", name="Volgende").click()
    expect(start.locator("li")).to_have_count(3)
    expect(start.get_by_role("link", name="DB-00011")).to_be_visible()
    expect(start.get_by_text("pagina 2 van 2")).to_be_visible()
    start.get_by_role("link", name="Vorige").click()
    expect(start.locator("li")).to_have_count(8)
