"""Impact arithmetic against hand-computed values (Restart Project figures,
displacement factor 0.5)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from atelier.impact import impact_between
from atelier.models import JobReason, JobStatus
from devices.models import DeviceKind, DeviceStatus
from tests.atelier.factories import make_job, make_ticket
from tests.devices.factories import make_device

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Europe/Brussels"))


def _done_job(kind, reason=JobReason.DONATION, when=WHEN):
    make_job(make_device(kind, status=DeviceStatus.READY), reason=reason,
             status=JobStatus.DONE, finished_at=when)


def _ticket(kind, outcome, when=WHEN):
    make_ticket(make_device(kind, status=DeviceStatus.READY), status="resolved",
                outcome=outcome, resolved_at=when,
                barrier="too_old" if outcome == "end_of_life" else "")


def test_impact_counts_only_reused_and_fixed_devices():
    _done_job(DeviceKind.LAPTOP)
    _done_job(DeviceKind.LAPTOP)
    _done_job(DeviceKind.TABLET)
    _done_job(DeviceKind.LAPTOP, reason=JobReason.RETURN)  # a second pass: no new life
    _ticket(DeviceKind.SMARTPHONE, "fixed")
    _ticket(DeviceKind.LAPTOP, "end_of_life")
    _ticket(DeviceKind.TABLET, "repairable")
    impact = impact_between(date(2026, 1, 1), date(2026, 12, 31))
    # 2 laptops, 1 tablet, 1 smartphone
    assert impact.second_life == 4
    assert impact.waste_kg == Decimal("2.26") * 2 + Decimal("0.51") + Decimal("0.14")
    assert impact.co2e_kg == (Decimal("258.25") * 2 + Decimal("107.76")
                              + Decimal("35.82")) * Decimal("0.5")
    assert impact.refurbished == 4 and impact.repaired == 1


def test_impact_leaves_out_what_falls_outside_the_period():
    _done_job(DeviceKind.LAPTOP, when=datetime(2025, 12, 31, 23, tzinfo=ZoneInfo(
        "Europe/Brussels")))
    impact = impact_between(date(2026, 1, 1), date(2026, 12, 31))
    assert impact.second_life == 0 and impact.co2e_kg == 0


def test_impact_gives_the_average_repair_turnaround():
    from datetime import timedelta

    for days in (2, 4):
        make_ticket(make_device(status=DeviceStatus.READY), status="resolved", outcome="fixed",
                    opened_at=WHEN - timedelta(days=days), resolved_at=WHEN)
    impact = impact_between(date(2026, 1, 1), date(2026, 12, 31))
    assert impact.turnaround_days == 3.0
