"""The dashboard's tables as files: CSV, Excel (XLSX) and the funder report
as PDF.

Every file is built from the same ``Table`` objects the pages show, through
one function (``sheet``) that gives a table's title line and its rows of
cells: numbers stay numbers, an empty figure is an empty cell. The CSV keeps
only the rows (its first line is the header, for further processing; the
period is in the file name); the workbook puts the title line above them.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from dashboard.figures import Scope, Table
from digibank.spreadsheets import csv_writer, escape_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 3  # title line, description line, then the header
# The "change" column of a comparison holds signed text ("+3"); in a
# workbook it is a number shown with its sign.
SIGNED = re.compile(r"^[+-]\d+$")
SIGNED_FORMAT = "+0;-0;0"


# A worksheet's tab: Excel allows 31 characters, too few for most table
# titles; a short name of its own instead of a title cut mid-phrase.
SHEET_NAMES = {
    "bereik": pgettext_lazy("sheet name", "Reach"),
    "drempels": pgettext_lazy("sheet name", "Funding thresholds"),
    "weken": pgettext_lazy("sheet name", "Per week"),
    "doelgroepen": pgettext_lazy("sheet name", "Target groups"),
    "onderwerpen": pgettext_lazy("sheet name", "Topics"),
    "afhandeling": pgettext_lazy("sheet name", "Resolution"),
    "kanalen": pgettext_lazy("sheet name", "How they heard of us"),
    "opleidingen": pgettext_lazy("sheet name", "Trainings"),
    "toestellen": pgettext_lazy("sheet name", "Devices by status"),
    "toestellen-plaats": pgettext_lazy("sheet name", "Devices by place"),
    "uitleningen": pgettext_lazy("sheet name", "Loans"),
    "feedback": pgettext_lazy("sheet name", "Sounding-board feedback"),
    "doorverwijzingen": pgettext_lazy("sheet name", "Referrals"),
    "e-diensten": pgettext_lazy("sheet name", "Unsolved e-services"),
    "herstellingen": pgettext_lazy("sheet name", "Repairs"),
    "opknappen": pgettext_lazy("sheet name", "Refurbishing"),
    "impact": pgettext_lazy("sheet name", "Impact"),
}


@dataclass
class Sheet:
    slug: str
    name: str  # the worksheet's tab: a short name (at most 31 characters)
    title: str  # the line above the table: what, when, where
    description: str
    rows: list[list]  # the header first


def period_text(scope: Scope) -> str:
    return _("from %(start)s until %(end)s") % {
        "start": f"{scope.start:%d/%m/%Y}", "end": f"{scope.end:%d/%m/%Y}"}


def sheet(table: Table, scope: Scope, place: str) -> Sheet:
    """A table as the rows of a file, with a title line naming the period
    and the place."""
    title = _("%(table)s, %(period)s, %(place)s") % {
        "table": table.title, "period": period_text(scope), "place": place}
    rows = [list(table.headers)]
    rows += [["" if cell is None else cell for cell in row] for row in table.rows]
    return Sheet(slug=table.slug, name=str(SHEET_NAMES.get(table.slug, table.title)), title=title,
                 description=table.description, rows=rows)


def write_csv(response, table_sheet: Sheet) -> None:
    """Semicolons and decimal commas, as spreadsheet programs in Belgium
    expect, behind a byte-order mark so they read the accents right."""
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerows([[_csv_cell(cell) for cell in row] for row in table_sheet.rows])


def _csv_cell(cell):
    if isinstance(cell, Decimal | float):
        return formats.localize(cell)
    return cell


# --- Excel -----------------------------------------------------------------


def workbook(sheets: list[Sheet], *, title: str) -> bytes:
    """One worksheet per table, named after it: the title line in bold, the
    header row bold and frozen, columns as wide as their contents."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.language = _language_tag()
    names: set[str] = set()
    for table_sheet in sheets:
        worksheet = book.create_sheet(_sheet_name(table_sheet.name, names))
        worksheet.append([table_sheet.title])
        worksheet["A1"].font = Font(bold=True, size=13)
        worksheet.append([table_sheet.description or None])
        for row in table_sheet.rows:
            worksheet.append([_xlsx_value(cell) for cell in row])
            for cell, raw in zip(worksheet[worksheet.max_row][1:], row[1:], strict=False):
                cell.number_format = _number_format(raw)
        for cell in worksheet[HEADER_ROW]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = worksheet.cell(row=HEADER_ROW + 1, column=1)
        for index, width in enumerate(_widths(table_sheet.rows), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _sheet_name(name: str, taken: set[str]) -> str:
    """At most 31 characters (cut after a whole word), none of those Excel
    forbids, unique in the book."""
    name = re.sub(r"[\[\]:*?/\\]", "", name).strip()
    if len(name) > 31:
        name = name[:32].rsplit(" ", 1)[0] if " " in name[:32] else name[:31]
    name = name.rstrip(" ,;") or "Tabel"
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _xlsx_value(cell):
    if cell == "":
        return None
    if isinstance(cell, str) and SIGNED.match(cell):
        return int(cell)
    # openpyxl stores a string starting with "=" as a formula.
    return escape_cell(cell)


def _number_format(raw) -> str:
    """Whole numbers as such, decimals with the digits they have, a signed
    change with its sign."""
    if isinstance(raw, str) and SIGNED.match(raw):
        return SIGNED_FORMAT
    if isinstance(raw, Decimal) and raw.as_tuple().exponent < 0:
        return "0." + "0" * -raw.as_tuple().exponent
    if isinstance(raw, float):
        return "0.0"
    return "General"


def _widths(rows: list[list]) -> list[int]:
    columns = zip(*rows, strict=False) if rows else []
    return [min(60, max(8, *(len(str(cell)) + 2 for cell in column))) for column in columns]


# --- PDF -------------------------------------------------------------------


def _language_tag() -> str:
    """The interface language as a BCP 47 tag for Belgium (nl-BE, en-BE)."""
    return f"{(get_language() or 'nl').split('-')[0]}-BE"


def _cell_text(cell) -> str:
    return "–" if cell is None else str(formats.localize(cell))


def _pdf_table(table: Table, styles) -> PdfTable:
    """The table with its header repeated on every page it runs over;
    figures right-aligned and written as on the page (3,5; – for none)."""
    number = ParagraphStyle("number", parent=styles["BodyText"], alignment=TA_RIGHT)
    header = [Paragraph(f"<b>{escape(str(cell))}</b>", number if n else styles["BodyText"])
              for n, cell in enumerate(table.headers)]
    body = [[Paragraph(escape(str(row[0])), styles["BodyText"])]
            + [Paragraph(escape(_cell_text(cell)), number) for cell in row[1:]]
            for row in table.rows]
    if not body:
        body = [[Paragraph(escape(_("Nothing in this period.")), styles["BodyText"])]
                + [""] * (len(table.headers) - 1)]
    columns = len(table.headers)
    first = 8 * cm if columns > 2 else 11 * cm
    grid = PdfTable([header, *body], repeatRows=1,
                    colWidths=[first] + [(17 * cm - first) / (columns - 1)] * (columns - 1))
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return grid


def funder_pdf(*, tables: list[Table], scope: Scope, place: str, name: str,
               generated_at: datetime, method: str) -> bytes:
    """The funder report as an A4 PDF: title, digibank, period, place, date
    of generation, then each table under its caption; page numbers below.
    reportlab writes the document title and language into the PDF; it cannot
    tag the structure (that needs ReportLab's commercial edition)."""
    title = _("Report for the funder")
    styles = getSampleStyleSheet()
    description = ParagraphStyle("description", parent=styles["BodyText"], spaceAfter=6)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(name), styles["Heading2"]),
        Paragraph(escape(_("Period: %(period)s") % {"period": period_text(scope)}),
                  styles["BodyText"]),
        Paragraph(escape(_("Scope: %(place)s") % {"place": place}), styles["BodyText"]),
        Paragraph(escape(_("Generated on %(when)s") % {
            "when": f"{generated_at:%d/%m/%Y %H:%M}"}), styles["BodyText"]),
        Paragraph(escape(method), styles["Italic"]),
    ]
    for table in tables:
        caption = [Spacer(1, 0.4 * cm), Paragraph(escape(table.title), styles["Heading2"])]
        if table.description:
            caption.append(Paragraph(escape(table.description), description))
        story.append(KeepTogether([*caption, _pdf_table(table, styles)]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(2 * cm, 1.2 * cm, f"{name} · {title}")
        canvas.drawRightString(19 * cm, 1.2 * cm, _("Page %(page)s") % {"page": doc.page})
        canvas.restoreState()

    output = BytesIO()
    document = SimpleDocTemplate(
        output, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
        bottomMargin=2 * cm, title=f"{title} – {name}", author=name,
        subject=period_text(scope), lang=_language_tag(), displayDocTitle=True)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue()
