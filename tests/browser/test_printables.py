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
    from django.utils import timezone

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
    issued = timezone.localtime(certificate.issued_at).strftime("%d/%m/%Y")
    assert "Datum" in text and text.count(issued) >= 14
    assert "Anne-Sophie Vandenbossche-Verhoeven" in text
    # every column on the sheet: the last cell of the date column lies inside the page
    date_cell = page.locator(".certificate-media tbody tr:last-child td").nth(4)
    table = page.locator(".certificate-media")
    assert date_cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
    assert table.evaluate("t => t.getBoundingClientRect().right <= "
                          "t.closest('main').getBoundingClientRect().right + 0.5")


LONG_PROBLEM = (
    "Sinds vorige week gaat het scherm soms zwart als ik de tablet opzet. Dan moet ik hem "
    "drie keer aan- en uitzetten. Mijn kleinzoon heeft alles al geprobeerd, ook opnieuw "
    "opstarten met de knoppen. Het laden gaat ook traag: 's nachts aan de lader en 's morgens "
    "maar half vol. Ik gebruik hem vooral voor itsme, de bankapp en om met mijn dochter in "
    "Spanje te bellen. Er staan foto's van mijn kleinkinderen op die ik niet kwijt wil.")


def _lent_at(point, host, kind="tablet", **resident):
    from tests.devices.factories import make_device, make_loan, make_plan, make_subscription
    from tests.factories import make_resident

    plan = make_plan("Tablet voor thuis met mobiel internet en hulp aan de balie",
                     deposit="25.00",
                     includes="Een tablet met hoes en lader, 10 GB mobiel internet per "
                              "maand, hulp bij het instellen aan elke digibankbalie en een "
                              "jaarlijkse controle.")
    subscription = make_subscription(make_resident(
        resident.get("first_name", "Anna-Maria Josephina"),
        resident.get("last_name", "Van den Bossche-Vercammen"), phone="0470 12 34 56"),
        plan=plan)
    device = make_device(kind, brand="Samsung", model_name="Galaxy Tab A7 Lite (SM-T225)",
                         serial="R9WR70ABCDEFG")
    return make_loan(device, subscription, handed_out_at_point=point, handed_out_by=host)


def test_repair_receipt_and_the_replacements_loan_agreement_print_on_one_page_each(
        page, live_server, busy_point, tmp_path):
    from atelier.services import take_in_for_repair
    from devices.models import Loan
    from tests.devices.factories import make_device

    host = make_user("host", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                     points=[busy_point])
    loan = _lent_at(busy_point, host)
    spare = make_device("tablet", point=busy_point, brand="Samsung",
                        model_name="Galaxy Tab A8 (SM-X200)", serial="R9XT80HIJKLMN")
    ticket = take_in_for_repair(actor=host, device=loan.device, point=busy_point,
                                problem=LONG_PROBLEM, replacement=spare)
    sign_in(page, live_server, host)
    page.goto(reverse("atelier:intake-receipt", args=[ticket.pk]))
    reader = print_pdf(page, tmp_path / "ontvangstbewijs.pdf")
    assert page_size_mm(reader) == A5
    assert len(reader.pages) == 1, pdf_text(reader)
    text = pdf_text(reader)
    assert "Herstelnummer" in text and str(ticket.pk) in text
    assert "015 29 40 00" in text and spare.asset_tag in text
    assert "foto's van mijn kleinkinderen" in text
    page.get_by_role("link", name="Leenovereenkomst voor het vervangtoestel").click()
    page.get_by_role("heading", name="Leenovereenkomst voor een toestel van de digibank").wait_for()
    reader = print_pdf(page, tmp_path / "overeenkomst.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    text = pdf_text(reader)
    new_loan = Loan.objects.get(device=spare)
    assert spare.asset_tag in text and new_loan.resident.last_name in text
    assert f"{loan.device.asset_tag}, binnengebracht voor herstelling" in text


def test_repair_receipt_without_a_replacement_prints_on_one_a5_page(
        page, live_server, busy_point, tmp_path):
    from atelier.services import take_in_for_repair

    host = make_user("host", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                     points=[busy_point])
    loan = _lent_at(busy_point, host)
    ticket = take_in_for_repair(actor=host, device=loan.device, point=busy_point,
                                problem=LONG_PROBLEM)
    sign_in(page, live_server, host)
    page.goto(reverse("atelier:intake-receipt", args=[ticket.pk]))
    reader = print_pdf(page, tmp_path / "ontvangstbewijs.pdf")
    assert page_size_mm(reader) == A5
    assert len(reader.pages) == 1, pdf_text(reader)
    text = pdf_text(reader)
    assert "foto's van mijn kleinkinderen" in text and "015 29 40 00" in text
    assert "Van den Bossche-Vercammen" in text


def test_attendance_sheet_of_a_full_session_prints_on_one_page(
        page, live_server, busy_point, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_resident
    from tests.trainings.factories import make_course, make_enrolment, make_run
    from trainings.models import EnrolmentStatus

    coach = make_user("coach", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                      points=[busy_point])
    run = make_run(make_course("Je smartphone veilig gebruiken: itsme, de bankapp en "
                               "veilig online betalen"), weeks=4, point=busy_point,
                   capacity=14, trainer=coach, room="Zaal Dijle, eerste verdieping links",
                   starts_at=timezone.now() + timedelta(days=1))
    session = run.sessions.order_by("starts_at")[1]
    for n in range(14):
        make_enrolment(session, make_resident("Anna-Maria Josephina",
                                              f"Van den Bossche-Vercammen-{n:02}",
                                              phone=f"04701234{n:02}"))
    for n in range(3):
        make_enrolment(session, make_resident("Mohammed", f"El Amrani-{n}"),
                       status=EnrolmentStatus.WAITING)
    sign_in(page, live_server, coach)
    page.goto(reverse("trainings:attendance-sheet", args=[session.pk]))
    reader = print_pdf(page, tmp_path / "aanwezigheden.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert page_size_mm(reader) == A4
    assert "VandenBossche-Vercammen-13" in pdf_text(reader).replace(" ", "")


def test_call_list_of_a_busy_morning_prints_on_one_page(page, live_server, busy_point,
                                                          tmp_path):
    from tests.factories import make_call_task, make_resident

    host = make_user("host", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                     points=[busy_point])
    for n in range(8):
        make_call_task(make_resident("Anna-Maria Josephina", f"Van den Bossche-{n}",
                                     phone=f"0470 12 34 {n:02}"), point=busy_point,
                       subject="Je plaats in de opleiding 'Je smartphone veilig gebruiken'",
                       message="Er is een plaats vrij in de opleiding op dinsdag 15/12/2026 "
                               "om 09:30 in " + LONG_POINT_NAME + ". Wil je komen?")
    sign_in(page, live_server, host)
    page.goto(reverse("call-list"))
    reader = print_pdf(page, tmp_path / "bellijst.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert "Van den Bossche-7" in pdf_text(reader)


def test_easy_read_digest_prints_on_one_page(page, live_server, busy_point, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from soundboard.models import FeedbackStatus
    from soundboard.services import answer_feedback, build_digest, record_step
    from tests.soundboard.factories import make_board, make_item, make_meeting

    coordinator = make_user("coordinator")
    board = make_board("Adviesraad voor personen met een beperking en hun mantelzorgers")
    last = make_meeting(board, timezone.now() - timedelta(days=40), point=busy_point)
    first = make_item(board, "Voor mensen uit Battel is het digibankpunt in de stad te ver. "
                             "De bus rijdt maar één keer per uur.", meeting=last)
    second = make_item(board, "De opleiding over de bankapp ging te snel. Wij willen meer "
                              "tijd om te oefenen.", meeting=last)
    now = make_meeting(board, timezone.now() + timedelta(days=2), point=busy_point)
    make_meeting(board, timezone.now() + timedelta(days=44), point=busy_point)
    answer_feedback(actor=coordinator, item=first, status=FeedbackStatus.DONE,
                    answer="Sinds september is er een digibankpunt in het "
                           "ontmoetingscentrum van Battel.")
    record_step(actor=coordinator, title="Nieuw digibankpunt in Battel geopend",
                taken_on=timezone.localdate(), items=[first])
    answer_feedback(actor=coordinator, item=second, status=FeedbackStatus.PLANNED,
                    answer="In de volgende reeks zijn er vier lessen in plaats van twee.")
    digest = build_digest(meeting=now, actor=coordinator)
    sign_in(page, live_server, coordinator)
    page.goto(reverse("soundboard:digest-sheet", args=[digest.pk]))
    reader = print_pdf(page, tmp_path / "terugkoppeling.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert "Battel" in pdf_text(reader)


def test_funder_report_prints_on_a4_with_every_table_inside_the_page(
        page, live_server, busy_point, tmp_path):
    """A year's report runs over several pages (a row per week); what must
    hold is that no column is cut off."""
    coordinator = make_user("coordinator")
    sign_in(page, live_server, coordinator)
    page.goto(reverse("funder-report"))
    reader = print_pdf(page, tmp_path / "verslag.pdf")
    assert page_size_mm(reader) == A4
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 1 cm margins
    overflowing = page.locator("main table").evaluate_all(
        "tables => tables.filter(t => t.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 0.5).length")
    assert overflowing == 0


def test_device_label_prints_a_qr_code_that_leads_to_the_device_page(
        page, live_server, busy_point, tmp_path):
    from tests.devices.factories import make_device

    host = make_user("host", points=[busy_point])
    device = make_device(point=busy_point, asset_tag="DB-00128")
    sign_in(page, live_server, host)
    page.goto(reverse("devices:device-label", args=[device.asset_tag]))
    reader = print_pdf(page, tmp_path / "etiket.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    promised = live_server.url + reverse("devices:device-detail", args=[device.asset_tag])
    assert decode_qr_codes(page) == [promised]
