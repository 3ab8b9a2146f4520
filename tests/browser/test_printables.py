"""Every paper the app prints, rendered to PDF by Chromium for the longest
case the demo knows (a point open six days a week, twice a day, with long
names) and counted: one page each, on the paper size it is made for, and
its QR codes decode to the address they promise."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from digibank.roles import sync_role_permissions
from outreach.models import Poster
from tests.browser.printing import decode_qr_codes, page_size_mm, pdf_text, print_pdf, sign_in
from tests.factories import make_point, make_user
from tests.points.factories import make_channel, make_period

LONG_POINT_NAME = "Digibank Lokaal Dienstencentrum Hanswijk-Nekkerspoel en Sint-Romboutskwartier"
A4 = (210, 297)
A5 = (148, 210)


@pytest.fixture
def busy_point(transactional_db):
    """The longest case: six opening days with two periods each."""
    sync_role_permissions()
    cache.clear()
    point = make_point(LONG_POINT_NAME, slug="dienstencentrum-hanswijk-nekkerspoel",
                       street="Goswin de Stassartstraat 137 bus 12", postcode="2800",
                       phone="015 29 40 00")
    for weekday in range(6):
        make_period(point, weekday, "09:00", "12:30")
        make_period(point, weekday, "13:30", "17:00")
    return point


@pytest.fixture
def coordinator(busy_point):
    return make_user("coordinator", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                     points=[busy_point])


@pytest.mark.parametrize(("address", "paper"), [("poster", A4), ("flyer", A5)])
def test_poster_and_flyer_print_on_one_sheet_and_their_qr_code_leads_to_the_point(
        page, live_server, busy_point, coordinator, tmp_path, address, paper):
    channel = make_channel("QR-code op affiche", slug="qr-code")
    sign_in(page, live_server, coordinator)
    page.goto(reverse(f"outreach:{address}", args=[busy_point.slug, channel.slug]))
    reader = print_pdf(page, tmp_path / f"{address}.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert page_size_mm(reader) == paper
    text = pdf_text(reader)
    assert "zaterdag" in text and "13:30–17:00" in text
    poster = Poster.objects.get(point=busy_point, channel=channel)
    promised = live_server.url + reverse("outreach:qr", args=[poster.code])
    assert promised in text.replace(" ", "")
    assert decode_qr_codes(page) == [promised]
    page.goto(promised)
    assert page.url == live_server.url + poster.target_path


def test_donor_certificate_of_the_largest_donation_prints_on_one_a4_page_with_every_column(
        page, live_server, busy_point, tmp_path):
    from atelier.models import Step
    from atelier.services import (
        issue_erasure_certificate,
        receive_donated_device,
        record_wipe,
        scrap_job,
        sign_off_step,
    )
    from tests.atelier.factories import make_donation

    operator = make_user("atelier", first_name="Anne-Sophie",
                         last_name="Vandenbossche-Verhoeven")
    donation = make_donation("Stad Mechelen, ICT-dienst en Dienst Burgerzaken",
                             donor_contact="ict-inventaris@mechelen.example.org",
                             expected_count=10)
    for n in range(10):  # the demo's largest donation; every third with two disks
        job = receive_donated_device(
            actor=operator, donation=donation, kind="laptop", brand="Lenovo",
            model_name="ThinkPad L480 Core i5-8250U", serial=f"PF1ABCDE{n:04d}",
            asset_tag=f"AT-1{n:03d}", storage_media=2 if n % 3 == 0 else 1)
        if n == 0:
            record_wipe(actor=operator, job=job, medium_serial="WD-WXA1E61KPLZ3",
                        medium_model="WD Blue 500 GB", method="clear", result="failed",
                        tool="nwipe", tool_version="0.35")
        for disk in range(job.device.storage_media):
            record_wipe(actor=operator, job=job,
                        medium_serial="WD-WXA1E61KPLZ3" if n == 0 and disk == 0
                        else f"S4EVNX0R{n:03d}{disk}",
                        medium_model="Samsung PM871b 256 GB M.2 SATA",
                        method="destroy" if n == 0 and disk == 0 else "purge",
                        result="passed", tool="ShredOS nwipe", tool_version="0.35")
        if n == 0:
            scrap_job(actor=operator, job=job, note="Moederbord defect: onderdelen")
        else:
            sign_off_step(actor=operator, job=job, step=Step.WIPE)
    certificate = issue_erasure_certificate(actor=operator, donation=donation)
    sign_in(page, live_server, operator)
    page.goto(reverse("atelier:donation-certificate", args=[donation.pk]))
    reader = print_pdf(page, tmp_path / "certificaat.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert page_size_mm(reader) == A4
    text = pdf_text(reader)
    assert certificate.number in text and "Handtekening" in text
    assert "Datum" in text and text.count(certificate.issued_at.strftime("%d/%m/%Y")) >= 14
    assert "Anne-Sophie Vandenbossche-Verhoeven" in text
    # every column on the sheet: the last cell of the date column lies inside the page
    date_cell = page.locator(".certificate-media tbody tr:last-child td").nth(4)
    table = page.locator(".certificate-media")
    assert date_cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
    assert table.evaluate("t => t.getBoundingClientRect().right <= "
                          "t.closest('main').getBoundingClientRect().right + 0.5")
