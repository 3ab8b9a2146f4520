"""The dashboard's exports: a table as CSV or Excel, every table in one
workbook, the funder report as PDF. Audited, and scoped like the dashboard."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from atelier.models import JobStatus, RepairOutcome, TicketStatus
from dashboard.figures import Scope, dashboard_tables
from digibank.models import AuditAction, AuditEvent
from digibank.pseudonyms import visitor_key
from points.models import VisitOutcome, VisitStatus
from tests.atelier.factories import make_job, make_ticket
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import brussels, make_visit

pytestmark = pytest.mark.django_db

FIRST_DAYS = {"start": "2026-03-01", "end": "2026-03-05"}
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def _done(point, day: int, **fields):
    arrived = brussels(2026, 3, day, 10)
    return make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                      arrived_at=arrived, served_at=arrived + timedelta(minutes=10),
                      finished_at=arrived + timedelta(minutes=30), **fields)


@pytest.fixture
def march():
    """Four visits from 1 to 5 March at the Bib (Maria twice, a visitor key,
    one who left), one in February, one at another point; a repair at the
    Bib and a donated laptop refurbished at the atelier."""
    bib, other = make_point("Bib"), make_point("Sint-Romboutsplein")
    maria = make_resident("Maria", phone="0470000001")
    _done(bib, 2, resident=maria)
    _done(bib, 3, resident=maria)
    _done(bib, 4, visitor_key=visitor_key("minou1950"))
    make_visit(bib, status=VisitStatus.LEFT, arrived_at=brussels(2026, 3, 5, 9))
    make_visit(bib, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED, resident=maria,
               arrived_at=brussels(2026, 2, 27, 9))
    make_visit(other, arrived_at=brussels(2026, 3, 4, 9))
    make_ticket(point=bib, status=TicketStatus.RESOLVED, outcome=RepairOutcome.FIXED,
                opened_at=brussels(2026, 3, 1, 10), resolved_at=brussels(2026, 3, 4, 22))
    make_job(status=JobStatus.DONE, opened_at=brussels(2026, 3, 1, 9),
             finished_at=brussels(2026, 3, 3, 9))
    return bib, other


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _book(response):
    return load_workbook(io.BytesIO(response.content))


def _coordinator(client):
    client.force_login(make_user("coordinator"))


def test_excel_export_of_a_table_holds_the_same_cells_as_the_csv(client, march):
    _coordinator(client)
    csv_rows = _csv(client.get(reverse("dashboard-export", args=["herstellingen"]), MARCH))
    sheet = _book(client.get(reverse("dashboard-export-xlsx", args=["herstellingen"]),
                             MARCH)).active
    cells = [["" if cell is None else cell for cell in row]
             for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(cells) == len(csv_rows) == 9
    for xlsx_row, csv_row in zip(cells, csv_rows, strict=True):
        assert [str(cell).replace(".", ",") if isinstance(cell, float) else str(cell)
                for cell in xlsx_row] == csv_row
    assert csv_rows[5] == ["Mediaan aantal dagen van opening tot afhandeling", "3,5"]


def test_excel_sheet_is_named_after_the_table_with_a_title_and_a_frozen_bold_header(
        client, march):
    _coordinator(client)
    response = client.get(reverse("dashboard-export-xlsx", args=["bereik"]), FIRST_DAYS)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "digibank-bereik-20260301-20260305-heel-de-stad.xlsx" in response["Content-Disposition"]
    sheet = _book(response).active
    assert sheet.title == "Bereik"
    assert sheet["A1"].value == "Bereik, van 01/03/2026 tot en met 05/03/2026, heel de stad"
    assert sheet["A1"].font.bold
    assert [cell.value for cell in sheet[3]] == ["Cijfer", "Deze periode", "Vorige periode",
                                                 "Verschil"]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    label_width = sheet.column_dimensions["A"].width
    assert label_width >= len("Gemiddelde tijd van aankomst tot klaar (minuten)")


def test_excel_keeps_numbers_as_numbers_and_shows_the_change_with_its_sign(client, march):
    _coordinator(client)
    sheet = _book(client.get(reverse("dashboard-export-xlsx", args=["bereik"]),
                             FIRST_DAYS)).active
    visits = list(sheet[4])
    assert [cell.value for cell in visits] == ["Bezoeken", 5, 1, 4]  # the change: +4
    assert visits[3].data_type == "n" and visits[3].number_format == "+0;-0;0"
    repairs = _book(client.get(reverse("dashboard-export-xlsx", args=["herstellingen"]),
                               MARCH)).active
    median = repairs["B8"]
    assert median.value == pytest.approx(3.5) and median.number_format == "0.0"


def test_workbook_of_all_tables_has_one_sheet_per_table(client, march):
    _coordinator(client)
    response = client.get(reverse("dashboard-workbook"), MARCH)
    book = _book(response)
    titles = [table.title for table in dashboard_tables(
        Scope(start=date(2026, 3, 1), end=date(2026, 3, 31)))]
    assert len(book.sheetnames) == len(titles) == 17
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len(set(book.sheetnames)) == 17
    # A short name of its own, never a title cut mid-phrase.
    assert "Hoe ze ons leerden kennen" in book.sheetnames
    assert "Per week" in book.sheetnames and "Subsidiedrempels" in book.sheetnames
    assert book["Bereik"]["B4"].value == 5  # four at the Bib, one elsewhere
    assert book["Impact"]["B4"].value == 2  # a donated laptop, a repair
    assert book["Impact"]["A1"].value.startswith("Impact van het atelier")


def test_every_export_is_audited_with_its_format(client, march):
    _coordinator(client)
    client.get(reverse("dashboard-export", args=["bereik"]), MARCH)
    client.get(reverse("dashboard-export-xlsx", args=["bereik"]), MARCH)
    client.get(reverse("dashboard-workbook"), MARCH)
    client.get(reverse("funder-report-pdf"), MARCH)
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk")
    assert [(event.detail["table"], event.detail["format"]) for event in events] == [
        ("bereik", "csv"), ("bereik", "xlsx"), ("*", "xlsx"), ("funder-report", "pdf")]
    assert all(event.detail["start"] == "2026-03-01" for event in events)


def test_host_excel_holds_only_the_figures_of_their_points(client, march):
    bib, _other = march
    client.force_login(make_user("host", points=[bib]))
    book = _book(client.get(reverse("dashboard-workbook"), MARCH))
    assert book["Bereik"]["A1"].value.endswith(", Bib")
    assert book["Bereik"]["B4"].value == 4  # not the visit at the other point
    assert "Impact van het atelier" not in book.sheetnames
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["points"] == [bib.pk]


def test_host_cannot_export_the_figures_of_another_point(client, march):
    bib, other = march
    client.force_login(make_user("host", points=[bib]))
    for name, args in (("dashboard-export-xlsx", ["bereik"]), ("dashboard-workbook", [])):
        response = client.get(reverse(name, args=args), {**MARCH, "point": other.pk})
        # Refused as a wrong filter: a plain answer, no file.
        assert response.status_code == 400
        assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_host_cannot_export_an_atelier_wide_table(client, march):
    bib, _other = march
    client.force_login(make_user("host", points=[bib]))
    for slug in ("impact", "opknappen"):
        assert client.get(reverse("dashboard-export-xlsx", args=[slug]), MARCH).status_code == 404


def test_partners_and_atelier_staff_are_refused_the_excel_exports(client):
    for role in ("atelier", "partner"):
        client.force_login(make_user(role))
        assert client.get(reverse("dashboard-export-xlsx", args=["bereik"])).status_code == 403
        assert client.get(reverse("dashboard-workbook")).status_code == 403


def test_only_coordinators_get_the_funder_report_pdf(client):
    for role in ("host", "coach", "atelier", "partner"):
        client.force_login(make_user(role, points=[make_point()]))
        assert client.get(reverse("funder-report-pdf")).status_code == 403


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_funder_report_pdf_holds_the_figures_of_the_period(client, march, settings):
    settings.DIGIBANK_NAME = "Digibank Testdorp"
    _coordinator(client)
    response = client.get(reverse("funder-report-pdf"), FIRST_DAYS)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response)
    assert "Verslag voor de subsidiegever" in text and "Digibank Testdorp" in text
    assert "van 01/03/2026 tot en met 05/03/2026" in text
    assert "heel de stad" in text
    assert "Bezoeken 5 1 +4" in text
    assert "Unieke mensen bereikt 2 1 +1" in text  # Maria and a visitor key
    assert "Toestellen met een tweede leven 2" in text  # a donated laptop, a repair
    assert "Vermeden e-waste (kg) 4,5" in text  # 2 x 2.26 kg
    assert "Vermeden CO2e (kg) 258" in text  # 2 x 258.25 kg x 0.5
    assert "Pagina 1" in text


def test_funder_report_pdf_names_its_title_and_language(client, march):
    _coordinator(client)
    reader = PdfReader(io.BytesIO(client.get(reverse("funder-report-pdf"), MARCH).content))
    assert reader.metadata.title.startswith("Verslag voor de subsidiegever")
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"


def test_funder_report_pdf_of_a_point_leaves_out_the_atelier_impact(client, march):
    bib, _other = march
    _coordinator(client)
    text = _pdf_text(client.get(reverse("funder-report-pdf"), {**MARCH, "point": bib.pk}))
    assert "Bib" in text
    assert "Impact van het atelier" not in text


def test_dashboard_links_each_table_to_its_csv_and_excel_file(client, march):
    _coordinator(client)
    html = client.get(reverse("dashboard"), MARCH).content.decode()
    assert (f'href="{reverse("dashboard-export-xlsx", args=["bereik"])}?start=2026-03-01'
            in html)
    assert '<span class="visually-hidden">Download „Bereik” als </span>Excel</a>' in html
    assert '<span class="visually-hidden">Download „Bereik” als </span>CSV</a>' in html
    assert reverse("dashboard-workbook") in html


def _grow(n: int) -> None:
    point = make_point()
    for i in range(n):
        _done(point, 1 + i % 28, resident=make_resident(phone=f"0472{i:06d}"))
        make_ticket(point=point, status=TicketStatus.RESOLVED, outcome=RepairOutcome.FIXED,
                    opened_at=brussels(2026, 3, 1 + i % 28, 9),
                    resolved_at=brussels(2026, 3, 1 + i % 28, 15))
        make_job(status=JobStatus.DONE, opened_at=brussels(2026, 3, 1, 9),
                 finished_at=brussels(2026, 3, 1 + i % 28, 9))


@pytest.mark.parametrize("rows", [3, 30])
def test_export_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries,
                                                        rows):
    _grow(rows)
    _coordinator(client)
    # Every table of the workbook; the visit figures read the roll-up and
    # the raw visits of unbuilt days (a fixed number of queries each).
    # (The thresholds: the people of the year, three queries; the weeks: one.)
    with django_assert_max_num_queries(41 + 4):
        assert client.get(reverse("dashboard-workbook"), MARCH).status_code == 200
    # The funder's PDF holds the thresholds and the weeks too (two more).
    with django_assert_max_num_queries(30 + 2):
        assert client.get(reverse("funder-report-pdf"), MARCH).status_code == 200

