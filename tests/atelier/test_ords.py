"""The repair export in the Open Repair Data Standard (ORDS v0.3): its
columns as the standard documents them, one row per repair attempt, the
product category without the fault, the fault as the problem, year of
manufacture and product age where known."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.models import DeviceKind, DeviceStatus
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# The ORDS v0.3 columns in the standard's order, as the Open Repair Alliance
# publishes its data (github.com/openrepair/data, OpenRepairData_v0.3_*.csv).
STANDARD_COLUMNS = ["id", "data_provider", "country", "partner_product_category",
                    "product_category", "product_category_id", "brand",
                    "year_of_manufacture", "product_age", "repair_status",
                    "repair_barrier_if_end_of_life", "group_identifier", "event_date",
                    "problem"]
# ORDS v0.3 product categories (OpenRepairData_v0.3_Product_Categories.csv).
STANDARD_CATEGORIES = {"Laptop": "16", "Mobile": "19", "Tablet": "30"}
REPAIR_STATUSES = {"Fixed", "Repairable", "End of life"}
BARRIERS = {"", "Spare parts not available", "Spare parts too expensive",
            "No way to open the product", "Repair information not available",
            "Lack of equipment", "Item too worn out"}


@pytest.fixture
def atelier_client(client):
    client.force_login(make_user("atelier"))
    return client


def _resolved(kind, *, year=None, outcome="fixed", barrier="", fault="screen", day=None):
    device = make_device(kind, status=DeviceStatus.RETIRED, brand="Lenovo",
                         year_of_manufacture=year)
    resolved_at = day or timezone.make_aware(datetime(2026, 3, 10, 14, 0))
    return make_ticket(device, status="resolved", outcome=outcome, barrier=barrier,
                       fault=fault, resolved_at=resolved_at,
                       problem="Mijn scherm is zwart, bel me op 0470 12 34 56")


def _export(client) -> list[dict]:
    response = client.get(reverse("atelier:ords-export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == STANDARD_COLUMNS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_ords_export_has_the_columns_the_standard_documents_in_its_order(atelier_client):
    _resolved(DeviceKind.LAPTOP)
    rows = _export(atelier_client)
    assert list(rows[0]) == STANDARD_COLUMNS


def test_product_category_holds_no_fault_and_the_fault_is_the_problem(atelier_client):
    ticket = _resolved(DeviceKind.LAPTOP, fault="screen")
    [row] = _export(atelier_client)
    assert row["partner_product_category"] == "Laptop"
    assert (row["product_category"], row["product_category_id"]) == ("Laptop", "16")
    assert row["problem"] == "Screen"
    assert "0470" not in row["problem"]  # the resident's words stay home
    assert row["id"] == f"digibank_{ticket.pk}"


def test_year_of_manufacture_and_age_at_the_repair_where_known(atelier_client):
    known = _resolved(DeviceKind.TABLET, year=2019)
    unknown = _resolved(DeviceKind.SMARTPHONE)
    rows = {row["id"]: row for row in _export(atelier_client)}
    assert (rows[f"digibank_{known.pk}"]["year_of_manufacture"],
            rows[f"digibank_{known.pk}"]["product_age"]) == ("2019", "7")
    assert (rows[f"digibank_{unknown.pk}"]["year_of_manufacture"],
            rows[f"digibank_{unknown.pk}"]["product_age"]) == ("", "")


def test_every_value_comes_from_the_standards_lists(atelier_client):
    _resolved(DeviceKind.LAPTOP, outcome="fixed")
    _resolved(DeviceKind.TABLET, outcome="repairable", fault="power")
    for barrier in ("parts_unavailable", "parts_too_expensive", "not_repairable",
                    "no_information", "too_old"):
        _resolved(DeviceKind.SMARTPHONE, outcome="end_of_life", barrier=barrier)
    for row in _export(atelier_client):
        assert STANDARD_CATEGORIES[row["product_category"]] == row["product_category_id"]
        assert row["repair_status"] in REPAIR_STATUSES
        assert row["repair_barrier_if_end_of_life"] in BARRIERS
        assert bool(row["repair_barrier_if_end_of_life"]) == (
            row["repair_status"] == "End of life")
        assert row["country"] == "BEL" and row["event_date"] == "2026-03-10"


def test_one_row_per_repair_attempt(atelier_client):
    device = make_device(DeviceKind.LAPTOP, status=DeviceStatus.RETIRED)
    first = make_ticket(device, status="resolved", outcome="repairable",
                        resolved_at=timezone.now())
    second = make_ticket(device, status="resolved", outcome="end_of_life",
                         barrier="too_old", resolved_at=timezone.now())
    make_ticket()  # still open: no attempt finished yet
    ids = [row["id"] for row in _export(atelier_client)]
    assert ids == [f"digibank_{first.pk}", f"digibank_{second.pk}"]
