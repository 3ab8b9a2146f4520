"""Atelier journeys in a real browser: a device through every refurbishing
step to ready, the counter's repair intake with a swap, the board."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.models import RepairTicket, WipeRecord
from devices.models import DeviceKind, DeviceStatus, Loan, LoanStatus
from digibank.roles import sync_role_permissions
from tests.atelier.factories import make_job, make_profile, make_ticket
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_user

PASSWORD = "correct horse battery"


@pytest.fixture
def roles(transactional_db):
    sync_role_permissions()
    point = make_point("Digibank Huis van de Mechelaar")
    make_user("atelier", username="arno", password=PASSWORD)
    make_user("host", username="hanne", points=[point], password=PASSWORD)
    return point


def test_atelier_worker_moves_a_device_through_every_step_to_ready(page, roles):
    make_profile("Basis volwassenen", "2026.1")
    job = make_job(make_device(status=DeviceStatus.REFURBISHING, asset_tag="DB-00900"))
    login(page, "arno", PASSWORD)
    page.goto(f"/atelier/klussen/{job.pk}/")
    page.get_by_label("Serienummer van de schijf").fill("SSD-1234")
    page.get_by_label("Methode (NIST SP 800-88)").select_option("purge")
    page.get_by_label("Resultaat").select_option("passed")
    page.get_by_role("button", name="Wissing opslaan").click()
    expect(page.get_by_text("Wissing opgeslagen.")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Aftekenen: Gegevens wissen").click()
    for part in ("Scherm", "Toetsenbord, touchpad en knoppen", "Poorten, wifi en bluetooth"):
        page.get_by_role("group", name=part).get_by_label("Werkt", exact=True).check()
    page.get_by_label("Batterijconditie (%)").fill("86")
    page.get_by_role("button", name="Aftekenen: Hardwaretest").click()
    page.get_by_label("Geïnstalleerd softwareprofiel").select_option(
        label="Basis volwassenen 2026.1")
    page.get_by_role("button", name="Aftekenen: Besturingssysteem en software").click()
    page.get_by_role("button", name="Aftekenen: Schoonmaken").click()
    page.get_by_label("Technische kwaliteit").select_option("A")
    page.get_by_label("Uitzicht").select_option("B")
    # Asked once, in the hardware test; grading only shows it.
    grading = page.locator(f"form[action='/atelier/klussen/{job.pk}/stap/grade/']")
    expect(grading.get_by_label("Batterijconditie (%)")).to_have_count(0)
    expect(page.get_by_text("Batterijconditie (uit de hardwaretest): 86")).to_be_visible()
    page.get_by_role("button", name="Aftekenen: Beoordelen").click()
    page.get_by_role("button", name="Klaar om uit te lenen").click()
    expect(page.get_by_text("DB-00900 is klaar om uit te lenen.")).to_be_visible()
    job.device.refresh_from_db()
    assert job.device.status == DeviceStatus.READY
    assert (job.device.functional_grade, job.device.battery_health) == ("A", 86)


def test_host_takes_in_a_broken_tablet_and_gives_a_swap(page, roles):
    point = roles
    loan = make_loan(make_device(DeviceKind.TABLET, asset_tag="TAB-00007"), make_subscription())
    make_device(DeviceKind.TABLET, point=point, asset_tag="TAB-00008")
    login(page, "hanne", PASSWORD)
    page.goto("/balie/herstelling/")
    page.get_by_label("Waar ben je?").select_option(str(point.pk))
    page.get_by_label("Inventarisnummer").fill("tab-00007")
    page.get_by_label("Wat is er mis?").fill("Het scherm blijft zwart")
    page.get_by_label("Vervangtoestel (niet verplicht)").fill("TAB-00008")
    page.get_by_role("button", name="Aannemen voor herstelling").click()
    expect(page.get_by_text("TAB-00008 in de plaats meegegeven.")).to_be_visible()
    assert_no_serious_axe_violations(page)
    ticket = RepairTicket.objects.get()
    assert ticket.swap_issued and ticket.problem == "Het scherm blijft zwart"
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert Loan.objects.get(device__asset_tag="TAB-00008").status == LoanStatus.ISSUED


def test_atelier_board_is_accessible_and_refreshes_in_place(page, roles):
    make_job()
    make_ticket()
    make_device(status=DeviceStatus.RETURNED)
    login(page, "arno", PASSWORD)
    page.goto("/atelier/")
    expect(page.get_by_role("heading", name="Gegevens wissen")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Vernieuwen").click()
    expect(page.get_by_role("heading", name="Te bekijken")).to_be_visible()


def test_hardware_test_is_signed_off_with_what_it_found(page, roles):
    job = make_job(make_device(status=DeviceStatus.REFURBISHING, asset_tag="DB-00901"),
                   wipe_at=timezone.now())
    login(page, "arno", PASSWORD)
    page.goto(f"/atelier/klussen/{job.pk}/")
    page.get_by_label("Batterijconditie (%)").fill("72")
    page.get_by_role("group", name="Scherm").get_by_label("Werkt", exact=True).check()
    page.get_by_role("group", name="Toetsenbord, touchpad en knoppen").get_by_label(
        "Werkt niet").check()
    page.get_by_role("group", name="Poorten, wifi en bluetooth").get_by_label(
        "Werkt", exact=True).check()
    page.get_by_role("button", name="Aftekenen: Hardwaretest").click()
    expect(page.locator("#id_test-notes_error")).to_have_text(
        "Schrijf op wat niet werkt.")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Notities").fill("Toets E hapert")
    page.get_by_role("button", name="Aftekenen: Hardwaretest").click()
    expect(page.get_by_text("Stap afgetekend.")).to_be_visible()
    expect(page.locator(".test-results")).to_contain_text("Toets E hapert")
    job.refresh_from_db()
    assert (job.test_battery_health, job.test_screen_ok, job.test_keyboard_ok,
            job.test_ports_ok, job.test_notes) == (72, True, False, True, "Toets E hapert")
    assert job.test_at is not None


def test_a_hardware_fault_blocks_grading_until_a_passing_retest(page, roles):
    make_profile("Basis volwassenen", "2026.1")
    job = make_job(make_device(status=DeviceStatus.REFURBISHING, asset_tag="DB-00902"),
                   wipe_at=timezone.now())
    WipeRecord.objects.create(job=job, device=job.device, medium_serial="SSD-902",
                              method="purge", result="passed", certificate_number="W-902")
    login(page, "arno", PASSWORD)
    page.goto(f"/atelier/klussen/{job.pk}/")
    page.get_by_role("group", name="Scherm").get_by_label("Werkt niet").check()
    for part in ("Toetsenbord, touchpad en knoppen", "Poorten, wifi en bluetooth"):
        page.get_by_role("group", name=part).get_by_label("Werkt", exact=True).check()
    page.get_by_label("Notities").fill("Scherm werkt niet")
    page.get_by_role("button", name="Aftekenen: Hardwaretest").click()
    expect(page.get_by_role("alert").filter(has_text="vond een fout")).to_be_visible()
    page.get_by_label("Geïnstalleerd softwareprofiel").select_option(
        label="Basis volwassenen 2026.1")
    page.get_by_role("button", name="Aftekenen: Besturingssysteem en software").click()
    page.get_by_role("button", name="Aftekenen: Schoonmaken").click()
    page.get_by_label("Technische kwaliteit").select_option("A")
    page.get_by_label("Uitzicht").select_option("A")
    page.get_by_role("button", name="Aftekenen: Beoordelen").click()
    expect(page.locator(".messages")).to_contain_text(
        "De hardwaretest van DB-00902 vond een fout: scherm werkt niet.")
    assert_no_serious_axe_violations(page)
    for part in ("Scherm", "Toetsenbord, touchpad en knoppen", "Poorten, wifi en bluetooth"):
        page.get_by_role("group", name=part).get_by_label("Werkt", exact=True).check()
    page.get_by_label("Notities").fill("Scherm vervangen")
    page.get_by_role("button", name="Nieuwe hardwaretest vastleggen").click()
    expect(page.get_by_text("Hardwaretest vastgelegd.")).to_be_visible()
    page.get_by_label("Technische kwaliteit").select_option("A")
    page.get_by_label("Uitzicht").select_option("A")
    page.get_by_role("button", name="Aftekenen: Beoordelen").click()
    page.get_by_role("button", name="Klaar om uit te lenen").click()
    expect(page.get_by_text("DB-00902 is klaar om uit te lenen.")).to_be_visible()
