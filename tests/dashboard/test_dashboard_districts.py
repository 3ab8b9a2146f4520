"""The dashboard and its files filtered on a district, at each level: a
deelgemeente (covering its wijken's points), a wijk with a point, and a wijk
without a point of its own (which crashed with EmptyResultSet before)."""

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
def districts(client):
    """Mechelen (a deelgemeente) with a point; its wijk Nekkerspoel with a
    point; its wijk Mechelen-Noord without one. One visit by a resident at
    each point."""
    mechelen = make_district("Mechelen")
    nekkerspoel = make_district("Nekkerspoel", parent=mechelen)
    noord = make_district("Mechelen-Noord", parent=mechelen)
    for name, district, first_name in (("Bib", mechelen, "Maria"),
                                       ("Wijkcentrum", nekkerspoel, "Jan")):
        arrived = brussels(2026, 3, 3, 10)
        make_visit(make_point(name, district=district), status=VisitStatus.DONE,
                   outcome=VisitOutcome.SOLVED, arrived_at=arrived,
                   finished_at=arrived + timedelta(minutes=20),
                   resident=make_resident(first_name))
    client.force_login(make_user("coordinator"))
    return mechelen, nekkerspoel, noord


def _reach_csv(client, district) -> dict[str, str]:
    response = client.get(reverse("dashboard-export", args=["bereik"]),
                          {**MARCH, "district": district.pk})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[0]: row[1] for row in rows[1:]}


def _every_file_answers(client, district) -> None:
    query = {**MARCH, "district": district.pk}
    dashboard = client.get(reverse("dashboard"), query)
    assert dashboard.status_code == 200
    workbook = client.get(reverse("dashboard-workbook"), query)
    assert workbook.status_code == 200
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames
    pdf = client.get(reverse("funder-report-pdf"), query)
    assert pdf.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1
    assert client.get(reverse("funder-report"), query).status_code == 200
    assert client.get(reverse("dashboard-export-xlsx", args=["doelgroepen"]),
                      query).status_code == 200


def test_a_deelgemeente_counts_the_points_in_its_wijken_in_every_file(client, districts):
    mechelen, _nekkerspoel, _noord = districts
    _every_file_answers(client, mechelen)
    reach = _reach_csv(client, mechelen)
    assert reach["Bezoeken"] == "2"
    assert reach["Unieke mensen bereikt"] == "2"


def test_a_wijk_with_a_point_counts_only_that_point_in_every_file(client, districts):
    _mechelen, nekkerspoel, _noord = districts
    _every_file_answers(client, nekkerspoel)
    reach = _reach_csv(client, nekkerspoel)
    assert reach["Bezoeken"] == "1"
    assert reach["Unieke mensen bereikt"] == "1"


def test_a_wijk_without_a_point_shows_zeros_in_every_file_and_says_why(client, districts):
    _mechelen, _nekkerspoel, noord = districts
    _every_file_answers(client, noord)
    reach = _reach_csv(client, noord)
    assert reach["Bezoeken"] == "0"
    assert reach["Unieke mensen bereikt"] == "0"
    page = client.get(reverse("dashboard"), {**MARCH, "district": noord.pk})
    assert "Er ligt geen punt in deze wijk of deelgemeente" in page.content.decode()
