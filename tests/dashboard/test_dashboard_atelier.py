"""The atelier's figures on the dashboard (repairs, refurbishing, impact)
against hand-computed values, and how they are scoped."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from atelier.models import JobReason, JobStatus, RepairOutcome, TicketStatus
from dashboard.figures import Scope, dashboard_tables, refurbishing, repairs, scope_for
from devices.models import DeviceStatus
from tests.atelier.factories import make_donation, make_job, make_ticket
from tests.devices.factories import make_device
from tests.factories import make_district, make_point, make_user
from tests.points.factories import brussels

pytestmark = pytest.mark.django_db

MARCH = Scope(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _resolved(point, opened: tuple[int, int], resolved: tuple[int, int], outcome: str,
              **fields):
    """A ticket opened and resolved at 10:00 on (month, day) of 2026."""
    return make_ticket(
        point=point, status=TicketStatus.RESOLVED, outcome=outcome,
        barrier="too_old" if outcome == RepairOutcome.END_OF_LIFE else "",
        opened_at=brussels(2026, *opened, 10), resolved_at=brussels(2026, *resolved, 10),
        **fields)


@pytest.fixture
def tickets():
    """Repairs around March 2026 at the Bib, at another point and at the atelier."""
    bib, other = make_point("Bib"), make_point("Elders")
    _resolved(bib, (3, 1), (3, 3), RepairOutcome.FIXED)  # 2 days
    _resolved(bib, (3, 2), (3, 8), RepairOutcome.END_OF_LIFE)  # 6 days
    _resolved(None, (3, 5), (3, 6), RepairOutcome.REPAIRABLE, return_point=bib)  # 1 day
    _resolved(other, (3, 1), (3, 12), RepairOutcome.FIXED)  # 11 days
    _resolved(bib, (2, 20), (4, 5), RepairOutcome.FIXED)  # open on 31/03, for 40 days
    _resolved(bib, (2, 1), (2, 10), RepairOutcome.FIXED)  # before the period
    make_ticket(point=bib, opened_at=brussels(2026, 3, 10, 10))  # open, 22 days by 01/04
    make_ticket(point=bib, opened_at=brussels(2026, 3, 25, 10))  # open, 7 days
    make_ticket(point=bib, opened_at=brussels(2026, 4, 2, 10))  # after the period
    return bib, other


def test_repairs_of_a_point_count_tickets_taken_in_or_given_back_there(tickets):
    bib, _other = tickets
    figures = repairs(scope_for(start=MARCH.start, end=MARCH.end, point=bib))
    assert figures["resolved"] == 3
    assert (figures["fixed"], figures["repairable"], figures["end_of_life"]) == (1, 1, 1)
    assert figures["median"] == Decimal("2.0")  # 1, 2, 6 days
    assert figures["average"] == Decimal("3.0")  # (1 + 2 + 6) / 3
    assert figures["open"] == 3
    assert figures["stale"] == 2  # opened on 20/02 and on 10/03


def test_city_wide_repairs_take_the_median_of_an_even_number_of_tickets(tickets):
    figures = repairs(MARCH)
    assert figures["resolved"] == 4
    assert figures["median"] == Decimal("4.0")  # 1, 2, 6, 11 days: (2 + 6) / 2
    assert figures["average"] == Decimal("5.0")  # 20 / 4


def test_repairs_without_a_resolved_ticket_have_no_turnaround():
    make_ticket(point=make_point(), opened_at=brussels(2026, 3, 10, 10))
    figures = repairs(MARCH)
    assert figures["resolved"] == 0
    assert figures["median"] is None and figures["average"] is None
    assert figures["open"] == 1


def test_repairs_table_names_the_stale_limit(tickets):
    table = dashboard_tables(MARCH, only=("herstellingen",))[0]
    assert table.rows[-1] == ["waarvan langer dan 14 dagen open", 2]


@pytest.fixture
def atelier_march():
    """Refurbishing jobs and donations around March 2026, all laptops."""
    given = make_device(status=DeviceStatus.READY)
    make_job(given, status=JobStatus.DONE, opened_at=brussels(2026, 3, 2, 9),
             finished_at=brussels(2026, 3, 10, 9))
    make_job(given, reason=JobReason.RETURN, status=JobStatus.DONE,
             opened_at=brussels(2026, 3, 20, 9), finished_at=brussels(2026, 3, 25, 9))
    make_job(reason=JobReason.RETURN, status=JobStatus.DONE, opened_at=brussels(2026, 3, 5, 9),
             finished_at=brussels(2026, 3, 12, 9))
    make_job(status=JobStatus.SCRAPPED, opened_at=brussels(2026, 2, 25, 9),
             finished_at=brussels(2026, 3, 15, 9))
    make_job(status=JobStatus.DONE, opened_at=brussels(2026, 2, 10, 9),
             finished_at=brussels(2026, 2, 20, 9))
    make_job(opened_at=brussels(2026, 3, 20, 9))  # donated, still open
    make_donation("Bedrijf A", received_on=date(2026, 3, 3), expected_count=5)
    make_donation("Bedrijf B", received_on=date(2026, 3, 31), expected_count=2)
    make_donation("Bedrijf C", received_on=date(2026, 2, 27), expected_count=10)
    # Two repairs fixed in March: with the donated laptop, three second lives.
    _resolved(None, (3, 1), (3, 3), RepairOutcome.FIXED)
    _resolved(make_point(), (3, 2), (3, 4), RepairOutcome.FIXED)


def test_refurbishing_counts_jobs_finished_devices_made_ready_and_donations(atelier_march):
    assert refurbishing(MARCH) == {"finished": 4, "scrapped": 1, "ready": 2, "donated": 2,
                                   "donations": 2, "announced": 7}


def test_impact_table_gives_second_lives_e_waste_and_co2e_with_its_source(atelier_march):
    table = dashboard_tables(MARCH, only=("impact",))[0]
    assert [row[1] for row in table.rows] == [
        3, 1, 2,
        Decimal("6.8"),  # 3 x 2.26 kg
        Decimal("387"),  # 3 x 258.25 kg x 0.5
    ]
    assert "Restart Project" in table.description


def test_atelier_wide_tables_are_left_out_for_a_point_or_a_district(atelier_march):
    battel = make_district("Battel")
    point = make_point("Digibank Battel", district=battel)
    city = [table.slug for table in dashboard_tables(MARCH)]
    assert {"herstellingen", "opknappen", "impact"} <= set(city)
    for scope in (scope_for(start=MARCH.start, end=MARCH.end, point=point),
                  scope_for(start=MARCH.start, end=MARCH.end, district=battel)):
        slugs = [table.slug for table in dashboard_tables(scope)]
        assert "herstellingen" in slugs
        assert "opknappen" not in slugs and "impact" not in slugs


def test_host_sees_their_repairs_but_not_the_atelier_wide_figures(client, tickets):
    bib, _other = tickets
    client.force_login(make_user("host", points=[bib]))
    response = client.get(reverse("dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    tables = {table.slug: table for table in response.context["tables"]}
    assert "opknappen" not in tables and "impact" not in tables
    assert tables["herstellingen"].rows[0][1] == 3
    assert "Impact van het atelier" not in response.content.decode()
