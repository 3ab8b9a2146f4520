"""The coordinator's dashboard and data-protection journeys in a real browser."""

from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from digibank.models import Resident
from digibank.roles import sync_role_permissions
from points.models import VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import brussels, make_topic, make_visit

PASSWORD = "correct horse battery"


@pytest.fixture
def coordinator(transactional_db):
    sync_role_permissions()
    return make_user("coordinator", username="cora", password=PASSWORD)


def test_coordinator_reads_the_visits_of_a_district_in_march(page, coordinator):
    battel = make_district("Battel")
    point = make_point("Digibank Battel", district=battel)
    school = make_topic("Schoolinschrijving")
    for day in (2, 3, 4):
        arrived = brussels(2026, 3, day, 10)
        visit = make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                           arrived_at=arrived, served_at=arrived + timedelta(minutes=5),
                           finished_at=arrived + timedelta(minutes=25))
        visit.topics.add(school)
    make_visit(make_point("Elders"), arrived_at=brussels(2026, 3, 5, 10))

    login(page, "cora", PASSWORD)
    page.get_by_role("link", name="Dashboard").first.click()
    page.locator("#id_start").fill("2026-03-01")
    page.locator("#id_end").fill("2026-03-31")
    page.get_by_label("Deelgemeente").select_option(label="Battel")
    page.get_by_role("button", name="Toon de cijfers").click()

    reach = page.get_by_role("region", name="Bereik")
    assert reach.get_by_role("row", name="Bezoeken").get_by_role("cell").first.inner_text() == "3"
    topics = page.get_by_role("region", name="Vragen per onderwerp")
    # The detailed tables below the first screen are folded; the first is open.
    topics.locator("summary").click()
    expect(topics.get_by_role("img", name="Vragen per onderwerp")).to_be_visible()
    assert topics.get_by_role("row", name="Schoolinschrijving").get_by_role(
        "cell").first.inner_text() == "3"
    assert_no_serious_axe_violations(page)


def test_coordinator_downloads_a_table_as_excel_and_the_funder_report_as_pdf(
        page, coordinator, tmp_path):
    point = make_point("Digibank Battel")
    for day in (2, 3):
        make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                   arrived_at=brussels(2026, 3, day, 10))

    login(page, "cora", PASSWORD)
    page.goto("/dashboard/")
    page.locator("#id_start").fill("2026-03-01")
    page.locator("#id_end").fill("2026-03-31")
    page.get_by_role("button", name="Toon de cijfers").click()
    assert_no_serious_axe_violations(page)
    reach = page.get_by_role("region", name="Bereik")
    with page.expect_download() as excel:
        reach.get_by_role("link", name="Download „Bereik” als Excel").click()
    assert excel.value.suggested_filename == "digibank-bereik-20260301-20260331-heel-de-stad.xlsx"
    excel.value.save_as(tmp_path / "bereik.xlsx")
    sheet = load_workbook(tmp_path / "bereik.xlsx")["Bereik"]
    assert [cell.value for cell in sheet[4]][:2] == ["Bezoeken", 2]

    page.get_by_role("link", name="Verslag voor de subsidiegever").click()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download dit verslag als pdf").click()
    assert pdf.value.suggested_filename == "digibank-verslag-20260301-20260331-heel-de-stad.pdf"
    pdf.value.save_as(tmp_path / "verslag.pdf")
    text = " ".join(PdfReader(tmp_path / "verslag.pdf").pages[0].extract_text().split())
    assert "van 01/03/2026 tot en met 31/03/2026" in text
    assert "Bezoeken 2 0 +2" in text


def test_coordinator_erases_a_resident_after_reading_what_we_hold(page, coordinator):
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    make_visit(make_point(), resident=resident, status=VisitStatus.DONE,
               outcome=VisitOutcome.SOLVED, note="Hulp met itsme")

    login(page, "cora", PASSWORD)
    page.goto(f"/inwoners/{resident.pk}/")
    page.get_by_role("link", name="Alles wat we over deze inwoner bijhouden").click()
    expect(page.get_by_text("Hulp met itsme")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Terug naar de inwoner").click()
    page.get_by_role("link", name="Gegevens van deze inwoner wissen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gegevens van Maria Peeters wissen")
    expect(page.locator(".erase-who")).to_contain_text("0470123456")
    page.get_by_label("Reden").fill("Vraag van de inwoner")
    page.get_by_label("Ik begrijp").check()
    page.get_by_role("button", name="Wissen").click()

    expect(page.get_by_text("De gegevens van de inwoner zijn gewist.")).to_be_visible()
    resident = Resident.objects.get(pk=resident.pk)
    assert resident.is_anonymised and resident.phone == ""
