"""Many clicks at once: the atelier's rules hold under real concurrency.
These run on PostgreSQL (DATABASE_URL=postgres://…)."""

import pytest

from atelier.models import JobStatus, RepairTicket, Step, YearlyCheck
from atelier.services import (
    finish_job,
    open_ticket_for_report,
    record_wipe,
    record_yearly_check,
    sign_off_step,
    take_in_for_repair,
)
from devices.models import DeviceKind, DeviceStatus
from devices.services import report_defect
from digibank.roles import sync_role_permissions
from tests.atelier.factories import make_job, make_profile
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.devices.test_concurrency import ATTEMPTS, _race
from tests.factories import make_point, make_user


@pytest.fixture
def point(postgres):
    sync_role_permissions()
    return make_point("Race point")


def test_one_intake_wins_when_many_hosts_take_in_the_same_device(point):
    host = make_user("host", points=[point])
    loan = make_loan(make_device(DeviceKind.TABLET), make_subscription())
    results = _race([
        lambda: take_in_for_repair(actor=host, device=loan.device, point=point,
                                   problem="Kapot")
        for _n in range(ATTEMPTS)])
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert RepairTicket.objects.count() == 1


def test_one_ticket_per_defect_report_under_concurrency(point):
    report = report_defect(actor=None, device=make_device(point=point), point=point,
                           problem="Toetsen plakken")
    results = _race([lambda: open_ticket_for_report(actor=None, report=report)
                             for _n in range(ATTEMPTS)])
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert RepairTicket.objects.count() == 1


def test_one_yearly_check_result_per_due_date_under_concurrency(point):
    from datetime import date

    loan = make_loan(make_device(), make_subscription(), check_due_on=date(2026, 12, 1))
    results = _race([
        lambda: record_yearly_check(actor=None, loan=loan, result="pass", point=point,
                                    due_on=date(2026, 12, 1))
        for _n in range(ATTEMPTS)])
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert YearlyCheck.objects.count() == 1


def test_one_finish_wins_when_many_workers_click_ready(point):
    worker = make_user("atelier")
    job = make_job(make_device(status=DeviceStatus.REFURBISHING))
    record_wipe(actor=worker, job=job, medium_serial="S1", method="purge", result="passed")
    for step in Step.values:
        sign_off_step(actor=worker, job=job, step=step, software_profile=make_profile(),
                      functional_grade="A", cosmetic_grade="A", screen_ok=True,
                      keyboard_ok=True, ports_ok=True)
    results = _race([lambda: finish_job(actor=worker, job=job)
                             for _n in range(ATTEMPTS)])
    assert results.tally == (1, ATTEMPTS - 1, [])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.device.events.filter(to_status=DeviceStatus.READY).count() == 1


def test_certificates_issued_at_once_get_consecutive_numbers(point):
    from django.utils import timezone

    from atelier.models import ErasureCertificate
    from atelier.services import issue_erasure_certificate, receive_donated_device
    from tests.atelier.factories import make_donation

    worker = make_user("atelier")
    donations = []
    for n in range(ATTEMPTS):
        donation = make_donation(f"Schenker {n}")
        job = receive_donated_device(actor=worker, donation=donation, kind=DeviceKind.LAPTOP,
                                     brand="Dell", asset_tag=f"RACE-{n}")
        record_wipe(actor=worker, job=job, medium_serial=f"R-{n}", method="purge",
                    result="passed")
        sign_off_step(actor=worker, job=job, step=Step.WIPE)
        donations.append(donation)
    results = _race([lambda d=d: issue_erasure_certificate(actor=worker, donation=d)
                     for d in donations])
    assert results.tally == (ATTEMPTS, 0, [])
    year = timezone.localdate().year
    assert sorted(ErasureCertificate.objects.values_list("number", flat=True)) == [
        f"DW-{year}-{n:05d}" for n in range(1, ATTEMPTS + 1)]
