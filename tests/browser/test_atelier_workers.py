"""Workers and hours in a real browser: the atelier adds a volunteer on its
own screen, changes them, records their hours and downloads the month's
report as a workbook with Dutch words and numbers."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from atelier.models import Worker, WorkLog
from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def atelier_worker(transactional_db):
    sync_role_permissions()
    return make_user("atelier", username="arno", first_name="Arno", last_name="Peeters",
                     password=PASSWORD)


def test_atelier_adds_a_volunteer_records_hours_and_exports_them(page, atelier_worker):
    login(page, "arno", PASSWORD)
    page.goto("/atelier/werkers/")
    page.get_by_label("Naam").fill("Greta Claes")
    page.get_by_label("Soort").select_option(label="Vrijwilliger")
    page.get_by_role("button", name="Medewerker toevoegen").click()
    expect(page.get_by_text("Greta Claes toegevoegd.")).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Wijzigen Greta Claes").click()
    page.get_by_label("Naam").fill("Greta Claes-Peeters")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("cell", name="Greta Claes-Peeters", exact=True)).to_be_visible()
    worker = Worker.objects.get()
    today = timezone.localdate()
    for hours in ("7.6", "7.6"):
        WorkLog.objects.create(worker=worker, day=today, hours=hours, tasks="Wissen")

    page.goto(f"/atelier/uren/rapport/?month={today:%Y-%m}")
    row = page.get_by_role("row", name="Greta Claes-Peeters")
    expect(row).to_contain_text("Vrijwilliger")
    expect(row).to_contain_text("15,2")
    expect(row).not_to_contain_text("15,20")
    assert_no_serious_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als Excel").click()
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(BytesIO(workbook.read())).active
    assert list(sheet.iter_rows(min_row=3, max_row=3, values_only=True))[0] == (
        "Greta Claes-Peeters", "Vrijwilliger", None, 1, 15.2)


def test_a_social_economy_worker_without_organisation_is_refused_next_to_the_field(
        page, atelier_worker):
    login(page, "arno", PASSWORD)
    page.goto("/atelier/werkers/")
    page.get_by_label("Naam").fill("Kevin Mertens")
    page.get_by_label("Soort").select_option(label="Medewerker sociale economie")
    page.get_by_role("button", name="Medewerker toevoegen").click()
    expect(page.locator("#id_organisation_error")).to_contain_text("organisatie")
    assert not Worker.objects.exists()
