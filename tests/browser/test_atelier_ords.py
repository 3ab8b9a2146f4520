"""The year of manufacture in a real browser: given when a donated device is
registered, it reaches the repair export in the Open Repair Data Standard
with the device's age at the repair; the fault is the problem, not part of
the product category."""

import csv
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devices.models import Device, DeviceStatus
from digibank.roles import sync_role_permissions
from tests.atelier.factories import make_donation, make_ticket
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def atelier_worker(transactional_db):
    sync_role_permissions()
    return make_user("atelier", username="arno", first_name="Arno", last_name="Peeters",
                     password=PASSWORD)


def test_year_of_manufacture_given_at_intake_reaches_the_ords_export(page, atelier_worker):
    donation = make_donation("Kantoor Zonnig BV")
    login(page, "arno", PASSWORD)
    page.goto(f"/atelier/schenkingen/{donation.pk}/")
    page.get_by_label("Soort").select_option(label="Laptop")
    page.get_by_label("Merk").fill("Dell")
    page.get_by_label("Inventarisnummer").fill("DB-00600")
    page.get_by_label("Bouwjaar").fill("2019")
    page.get_by_role("button", name="Toestel registreren").click()
    expect(page.get_by_text("DB-00600")).to_be_visible()
    assert_no_serious_axe_violations(page)
    device = Device.objects.get(asset_tag="DB-00600")
    assert device.year_of_manufacture == 2019

    # Later it broke and could not be repaired.
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.RETIRED)
    make_ticket(device, status="resolved", outcome="end_of_life", barrier="parts_unavailable",
                fault="screen", resolved_at=timezone.make_aware(datetime(2026, 3, 10, 12)))
    page.goto("/atelier/herstellingen/?toon=klaar")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren (Open Repair Data Standard, CSV)").click()
    with open(download.value.path(), encoding="utf-8") as export:
        [row] = list(csv.DictReader(export))
    assert (row["partner_product_category"], row["product_category"],
            row["year_of_manufacture"], row["product_age"], row["problem"]) == (
        "Laptop", "Laptop", "2019", "7", "Screen")
