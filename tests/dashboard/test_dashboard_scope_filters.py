"""The dashboard's place filters: a point and a district together, a filter
without dates, and files asked for with a bad period."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from points.models import VisitOutcome, VisitStatus
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import brussels, make_visit

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def places(client):
    """Nekkerspoel with the Wijkcentrum (one visit), Heffen with the Bib
    (two visits), all in March 2026."""
    nekkerspoel, heffen = make_district("Nekkerspoel"), make_district("Heffen")
    wijkcentrum = make_point("Wijkcentrum", district=nekkerspoel)
    bib = make_point("Bib", district=heffen)
    for point, day, name in ((wijkcentrum, 3, "Jan"), (bib, 4, "Maria"), (bib, 5, "Ali")):
        arrived = brussels(2026, 3, day, 10)
        make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                   arrived_at=arrived, finished_at=arrived + timedelta(minutes=20),
                   resident=make_resident(name))
    client.force_login(make_user("coordinator"))
    return {"nekkerspoel": nekkerspoel, "heffen": heffen, "wijkcentrum": wijkcentrum,
            "bib": bib}


def _reach(client, query) -> dict[str, str]:
    response = client.get(reverse("dashboard-export", args=["bereik"]), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[0]: row[1] for row in rows if len(row) > 1}


def test_a_point_in_the_chosen_district_counts_that_point_and_names_both(client, places):
    query = {**MARCH, "district": places["heffen"].pk, "point": places["bib"].pk}
    response = client.get(reverse("dashboard"), query)
    assert response.context["scope"].points == (places["bib"].pk,)
    period = response.content.decode()
    assert "Bib" in period.split('class="period"')[1].split("</p>")[0]
    assert "Heffen" in period.split('class="period"')[1].split("</p>")[0]
    assert _reach(client, query)["Bezoeken"] == "2"


def test_a_point_outside_the_chosen_district_is_refused_next_to_the_point(client, places):
    query = {**MARCH, "district": places["nekkerspoel"].pk, "point": places["bib"].pk}
    response = client.get(reverse("dashboard"), query)
    assert response.context["scope"] is None and response.context["tables"] == []
    assert "Nekkerspoel" in str(response.context["form"].errors["point"])


def test_every_file_refuses_a_point_outside_the_chosen_district(client, places):
    query = {**MARCH, "district": places["nekkerspoel"].pk, "point": places["bib"].pk}
    for url in (reverse("dashboard-export", args=["bereik"]),
                reverse("dashboard-export-xlsx", args=["bereik"]),
                reverse("dashboard-workbook"), reverse("funder-report-pdf")):
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert "Nekkerspoel" in response.content.decode()


def test_every_file_names_the_point_and_district_in_its_name_and_title(client, places):
    query = {**MARCH, "district": places["heffen"].pk, "point": places["bib"].pk}
    csv_file = client.get(reverse("dashboard-export", args=["bereik"]), query)
    assert "bib" in csv_file["Content-Disposition"].lower()
    assert "heffen" in csv_file["Content-Disposition"].lower()
    assert "20260301-20260331" in csv_file["Content-Disposition"]
    book = client.get(reverse("dashboard-workbook"), query)
    assert "bib" in book["Content-Disposition"].lower()
    sheet = load_workbook(io.BytesIO(book.content)).worksheets[0]
    assert "Bib" in sheet["A1"].value and "Heffen" in sheet["A1"].value
    pdf = client.get(reverse("funder-report-pdf"), query)
    assert "heffen" in pdf["Content-Disposition"].lower()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Bib" in text and "Heffen" in text


@pytest.mark.parametrize("key", ["district", "point"])
def test_a_place_without_dates_is_applied_over_the_default_period(client, places, key):
    value = places["heffen"].pk if key == "district" else places["bib"].pk
    response = client.get(reverse("dashboard"), {key: value})
    assert response.context["scope"].points == (places["bib"].pk,)
    assert response.context["form"][key].value() in (value, str(value))


def test_an_end_without_a_start_keeps_the_end_and_starts_on_the_first_of_its_year(
        client, places):
    response = client.get(reverse("dashboard"), {"end": "2026-06-30"})
    scope = response.context["scope"]
    assert (scope.start.isoformat(), scope.end.isoformat()) == ("2026-01-01", "2026-06-30")


def test_a_start_without_an_end_ends_today(client, places, time_machine):
    time_machine.move_to("2026-12-07 10:00+01:00")
    response = client.get(reverse("dashboard"), {"start": "2026-03-01"})
    scope = response.context["scope"]
    assert (scope.start.isoformat(), scope.end.isoformat()) == ("2026-03-01", "2026-12-07")


def test_a_bad_district_without_dates_is_refused_next_to_the_field(client, places):
    response = client.get(reverse("dashboard"), {"district": "abc"})
    assert response.context["scope"] is None
    assert "district" in response.context["form"].errors


@pytest.mark.parametrize("slug", ["bereik", "weken", "drempels"])
@pytest.mark.parametrize("query", [
    {"start": "abc"}, {"start": "2026-01-01", "end": "abc"},
    {"start": "2010-01-01", "end": "2026-06-30"}, {"start": "2026-06-30", "end": "2026-01-01"}])
def test_a_table_file_with_a_bad_period_is_a_plain_400(client, places, slug, query):
    response = client.get(reverse("dashboard-export", args=[slug]), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Geen bestand" in response.content.decode()


@pytest.mark.parametrize("query", [{"start": "abc"}, {"end": "2026-13-45"}])
def test_the_workbook_with_a_bad_period_is_a_plain_400(client, places, query):
    response = client.get(reverse("dashboard-workbook"), query)
    assert response.status_code == 400
    assert "Geen bestand" in response.content.decode()


def test_a_district_gets_no_projection_onto_the_city_wide_thresholds(client, places):
    query = {**MARCH, "district": places["heffen"].pk}
    book = load_workbook(io.BytesIO(client.get(reverse("dashboard-workbook"), query).content))
    assert "Subsidiedrempels" not in book.sheetnames
    assert all("verwacht op" not in str(cell.value) for sheet in book.worksheets
               for row in sheet.iter_rows() for cell in row)
    page = client.get(reverse("dashboard"), query)
    assert page.context["glance"].progress is None
    assert "niet getoond voor deelgemeente Heffen" in page.content.decode()
    city = load_workbook(io.BytesIO(client.get(reverse("dashboard-workbook"), MARCH).content))
    assert "Subsidiedrempels" in city.sheetnames


def test_the_filled_in_default_period_shows_in_the_date_fields(client, places, time_machine):
    time_machine.move_to("2026-12-07 10:00+01:00")
    form = client.get(reverse("dashboard"), {"district": places["heffen"].pk}).context["form"]
    assert (form["start"].value(), form["end"].value()) == ("2026-01-01", "2026-12-07")
