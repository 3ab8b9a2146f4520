"""A coordinator checks who saw a resident's record, and the retention periods."""

import re

import pytest

from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_resident, make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def coordinator(transactional_db):
    sync_role_permissions()
    return make_user("coordinator", username="cora", password=PASSWORD)


def test_coordinator_follows_the_audit_link_and_sees_their_own_view(page, coordinator):
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    login(page, "cora", PASSWORD)
    page.goto(f"/inwoners/{resident.pk}/")
    page.get_by_role("link", name="Wie zag of wijzigde dit dossier").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Wie zag of wijzigde het dossier van inwoner #{resident.pk}")
    rows = page.get_by_role("table").get_by_role("row")
    viewed = rows.filter(has_text="Fiche van inwoner bekeken")
    assert viewed.count() == 1
    assert "cora" in viewed.inner_text() and "Bekeken" in viewed.inner_text()
    assert_no_serious_axe_violations(page)


def test_coordinator_filters_the_trail_and_gets_the_error_next_to_the_field(page, coordinator):
    login(page, "cora", PASSWORD)
    page.goto("/audit/")
    page.get_by_label("Van", exact=True).fill("2026-04-30")
    page.get_by_label("Tot en met").fill("2026-04-01")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()
    assert page.locator("#id_tot_error").inner_text() == "Het einde mag niet voor het begin liggen."
    assert_no_serious_axe_violations(page)


def test_coordinator_reads_the_retention_periods(page, coordinator):
    login(page, "cora", PASSWORD)
    page.goto("/audit/")
    page.get_by_role("link", name="Bewaartermijnen: wat we hoelang bewaren, en waarom").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="Notities bij bezoeken")
    assert "12 maanden na het bezoek" in row.inner_text()
    assert_no_serious_axe_violations(page)


def test_back_after_a_search_shows_the_whole_residents_page(page, coordinator):
    from playwright.sync_api import expect

    resident = make_resident("Maria", "Peeters", phone="0470123456")
    login(page, "cora", PASSWORD)
    page.goto("/inwoners/")
    page.get_by_label("Naam of telefoonnummer").fill("Maria")
    link = page.get_by_role("link", name=str(resident))
    expect(link).to_be_visible()
    expect(page).to_have_url(re.compile(r"/inwoners/\?q=Maria$"))
    link.click()
    page.wait_for_url(f"**/inwoners/{resident.pk}/")
    page.go_back()
    page.wait_for_url(re.compile(r"/inwoners/\?q=Maria$"))
    # The whole page, with its heading and search form, not the bare results.
    expect(page.get_by_role("heading", level=1, name="Inwoners")).to_be_visible()
    expect(page.get_by_role("link", name=str(resident))).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Inwoners")).to_be_visible()
    assert_no_serious_axe_violations(page)
