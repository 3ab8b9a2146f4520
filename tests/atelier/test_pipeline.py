"""Refurbishing: donations, steps signed off in order, wipe records, and the
gate before a device may be lent (again)."""

import pytest
from django.utils import timezone

from atelier.models import JobReason, JobStatus, RefurbishJob, Step
from atelier.services import (
    AtelierError,
    finish_job,
    receive_donated_device,
    record_wipe,
    scrap_job,
    sign_off_step,
    start_refurbish_job,
)
from devices.models import DeviceKind, DeviceStatus, LoanStatus
from devices.services import LoanError, change_device_status
from tests.atelier.factories import make_donation, make_job, make_profile
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return make_user("atelier")


def _wipe(job, worker, serial="S1", result="passed", method="purge"):
    return record_wipe(actor=worker, job=job, medium_serial=serial, method=method,
                       result=result, tool="nwipe", tool_version="0.35")


def _all_steps(job, worker):
    for step in Step.values:
        sign_off_step(actor=worker, job=job, step=step, software_profile=make_profile(),
                      functional_grade="A", cosmetic_grade="B", battery_health=88,
                      screen_ok=True, keyboard_ok=True, ports_ok=True)


def test_donated_device_is_registered_with_an_open_job_and_its_history(worker):
    donation = make_donation()
    job = receive_donated_device(actor=worker, donation=donation, kind=DeviceKind.LAPTOP,
                                 brand="Dell", asset_tag="DB-77")
    assert job.status == JobStatus.OPEN and job.donation == donation
    assert job.device.status == DeviceStatus.REFURBISHING
    assert [e.to_status for e in job.device.events.order_by("pk")] == ["received",
                                                                        "refurbishing"]


def test_steps_are_signed_off_in_order(worker):
    job = make_job()
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.TEST)
    job.refresh_from_db()
    assert job.test_at is None


def test_wipe_step_needs_a_wipe_record(worker):
    job = make_job()
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.WIPE)


def test_failed_wipe_blocks_until_the_disk_is_destroyed(worker):
    job = make_job()
    _wipe(job, worker, result="failed", method="clear")
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.WIPE)
    _wipe(job, worker, result="passed", method="destroy")
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    job.refresh_from_db()
    assert job.wipe_at is not None and job.wipe_by == worker


def test_every_disk_needs_a_passing_wipe(worker):
    job = make_job()
    _wipe(job, worker, serial="SSD-1")
    _wipe(job, worker, serial="HDD-2", result="failed")
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.WIPE)


def test_wipe_records_get_unique_certificate_numbers(worker):
    job = make_job()
    first, second = _wipe(job, worker, "A"), _wipe(job, worker, "B")
    assert first.certificate_number != second.certificate_number


def test_installation_and_grading_are_written_on_the_device(worker):
    job = make_job()
    _wipe(job, worker)
    make_profile("School", "2", device_profile="school")
    for step in Step.values:
        sign_off_step(actor=worker, job=job, step=step,
                      software_profile=make_profile("School", "2"),
                      functional_grade="A", cosmetic_grade="C", battery_health=81,
                      screen_ok=True, keyboard_ok=True, ports_ok=True)
    job.device.refresh_from_db()
    assert job.device.software_profile == "school"
    assert (job.device.functional_grade, job.device.cosmetic_grade) == ("A", "C")
    assert job.device.battery_health == 81


def test_grading_needs_both_grades(worker):
    job = make_job(wipe_at=timezone.now(), test_at=timezone.now(), install_at=timezone.now(),
                   clean_at=timezone.now())
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.GRADE, functional_grade="A")


def test_job_cannot_finish_before_every_step_is_signed_off(worker):
    job = make_job()
    _wipe(job, worker)
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    with pytest.raises(AtelierError):
        finish_job(actor=worker, job=job)
    job.device.refresh_from_db()
    assert job.device.status == DeviceStatus.REFURBISHING


def test_finished_job_makes_the_device_ready_with_an_event(worker):
    job = make_job()
    _wipe(job, worker)
    _all_steps(job, worker)
    finish_job(actor=worker, job=job)
    job.refresh_from_db()
    job.device.refresh_from_db()
    assert job.status == JobStatus.DONE and job.finished_at is not None
    assert job.device.status == DeviceStatus.READY
    assert job.device.events.first().to_status == DeviceStatus.READY


def test_device_with_an_open_job_cannot_be_made_ready_on_the_device_page(worker):
    job = make_job()
    with pytest.raises(LoanError):
        change_device_status(actor=worker, device=job.device, status=DeviceStatus.READY)


def test_returned_device_cannot_be_lent_again_without_a_new_wipe(worker):
    device = make_device(status=DeviceStatus.READY)
    make_loan(device, make_subscription(), status=LoanStatus.RETURNED,
              returned_at=timezone.now())
    device.status = DeviceStatus.RETURNED
    device.save()
    change_device_status(actor=worker, device=device, status=DeviceStatus.REFURBISHING)
    with pytest.raises(LoanError):
        change_device_status(actor=worker, device=device, status=DeviceStatus.READY)


def test_returned_device_is_ready_after_a_new_job(worker):
    device = make_device(status=DeviceStatus.RETURNED)
    make_loan(device, make_subscription(), status=LoanStatus.RETURNED,
              returned_at=timezone.now())
    job = start_refurbish_job(actor=worker, device=device)
    assert job.reason == JobReason.RETURN
    _wipe(job, worker)
    _all_steps(job, worker)
    finish_job(actor=worker, job=job)
    device.refresh_from_db()
    assert device.status == DeviceStatus.READY


def test_second_open_job_for_a_device_is_refused(worker):
    job = make_job()
    with pytest.raises(AtelierError):
        start_refurbish_job(actor=worker, device=job.device)
    assert RefurbishJob.objects.count() == 1


def test_device_at_a_point_must_come_to_the_atelier_before_a_job(worker):
    from tests.factories import make_point

    device = make_device(status=DeviceStatus.RETURNED, point=make_point())
    with pytest.raises(AtelierError):
        start_refurbish_job(actor=worker, device=device)


def test_scrapping_a_job_retires_the_device(worker):
    job = make_job()
    _wipe(job, worker, method="destroy")
    scrap_job(actor=worker, job=job, note="Moederbord defect")
    job.refresh_from_db()
    job.device.refresh_from_db()
    assert job.status == JobStatus.SCRAPPED
    assert job.device.status == DeviceStatus.RETIRED


def test_scrapping_refuses_while_a_disk_wipe_failed(worker):
    job = make_job()
    _wipe(job, worker, result="failed")
    with pytest.raises(AtelierError):
        scrap_job(actor=worker, job=job, note="Kapot")


def test_returned_device_cannot_be_sent_to_another_point_before_a_new_wipe(worker):
    from devices.services import send_to_point
    from tests.factories import make_point

    here, there = make_point(), make_point()
    device = make_device(status=DeviceStatus.READY)
    make_loan(device, make_subscription(), status=LoanStatus.RETURNED,
              returned_at=timezone.now())
    device.status, device.point = DeviceStatus.RETURNED, here
    device.save()
    with pytest.raises(LoanError):
        send_to_point(actor=worker, device=device, point=there)
    device.refresh_from_db()
    assert device.status == DeviceStatus.RETURNED and device.point == here


def test_hardware_test_needs_its_results_and_keeps_them(worker):
    job = make_job(wipe_at=timezone.now())
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.TEST, screen_ok=True)
    with pytest.raises(AtelierError):  # a fault without a word about it
        sign_off_step(actor=worker, job=job, step=Step.TEST, screen_ok=False,
                      keyboard_ok=True, ports_ok=True)
    with pytest.raises(AtelierError):
        sign_off_step(actor=worker, job=job, step=Step.TEST, screen_ok=True,
                      keyboard_ok=True, ports_ok=True, battery_health=140)
    sign_off_step(actor=worker, job=job, step=Step.TEST, screen_ok=True, keyboard_ok=False,
                  ports_ok=True, battery_health=64, test_notes="Toets E hapert")
    job.refresh_from_db()
    assert (job.test_screen_ok, job.test_keyboard_ok, job.test_ports_ok,
            job.test_battery_health, job.test_notes) == (True, False, True, 64,
                                                         "Toets E hapert")
    assert job.test_at is not None and job.test_by == worker
