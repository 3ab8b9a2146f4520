"""A hardware fault found by the test keeps a device from being graded and
released until a new hardware test (after the repair) passes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier.models import JobStatus, Step
from atelier.services import (
    AtelierError,
    finish_job,
    record_wipe,
    retest_hardware,
    sign_off_step,
    wipe_gate_problem,
)
from devices.models import DataState, Device, DeviceStatus
from devices.services import LoanError, change_device_status
from tests.atelier.factories import make_job, make_profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return make_user("atelier")


def _tested_with_a_broken_screen(worker):
    job = make_job()
    record_wipe(actor=worker, job=job, medium_serial="S1", method="purge", result="passed")
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    sign_off_step(actor=worker, job=job, step=Step.TEST, screen_ok=False, keyboard_ok=True,
                  ports_ok=True, battery_health=81, test_notes="Scherm werkt niet")
    sign_off_step(actor=worker, job=job, step=Step.INSTALL, software_profile=make_profile())
    sign_off_step(actor=worker, job=job, step=Step.CLEAN)
    job.refresh_from_db()
    return job


def _grade(worker, job):
    return sign_off_step(actor=worker, job=job, step=Step.GRADE, functional_grade="A",
                         cosmetic_grade="A")


def test_a_device_whose_hardware_test_found_a_fault_cannot_be_graded(worker):
    job = _tested_with_a_broken_screen(worker)
    with pytest.raises(AtelierError, match="hardwaretest .* vond een fout: scherm"):
        _grade(worker, job)
    job.refresh_from_db()
    assert job.grade_at is None


def test_a_job_whose_hardware_test_found_a_fault_cannot_be_finished(worker):
    job = _tested_with_a_broken_screen(worker)
    job.grade_at = timezone.now()  # graded before the rule existed
    job.save()
    with pytest.raises(AtelierError, match="Herstel het toestel en doe de hardwaretest"):
        finish_job(actor=worker, job=job)
    job.refresh_from_db()
    job.device.refresh_from_db()
    assert job.status == JobStatus.OPEN
    assert job.device.status == DeviceStatus.REFURBISHING


def test_a_passing_retest_after_the_repair_lets_the_job_finish(worker):
    job = _tested_with_a_broken_screen(worker)
    retest_hardware(actor=worker, job=job, screen_ok=True, keyboard_ok=True, ports_ok=True,
                    battery_health=80, test_notes="Scherm vervangen")
    _grade(worker, job)
    finish_job(actor=worker, job=job)
    job.refresh_from_db()
    job.device.refresh_from_db()
    assert (job.test_screen_ok, job.test_battery_health, job.test_notes) == (
        True, 80, "Scherm vervangen")
    assert job.device.status == DeviceStatus.READY and job.device.battery_health == 80


def test_a_retest_is_written_in_the_device_history_with_what_it_found_before(worker):
    job = _tested_with_a_broken_screen(worker)
    retest_hardware(actor=worker, job=job, screen_ok=True, keyboard_ok=True, ports_ok=True,
                    test_notes="Scherm vervangen")
    note = job.device.events.order_by("-pk").first().note
    assert "Hardwaretest opnieuw gedaan" in note and "Scherm werkt niet" in note


def test_a_failing_retest_still_blocks_and_needs_a_word_about_the_fault(worker):
    job = _tested_with_a_broken_screen(worker)
    with pytest.raises(AtelierError):
        retest_hardware(actor=worker, job=job, screen_ok=True, keyboard_ok=False,
                        ports_ok=True)
    retest_hardware(actor=worker, job=job, screen_ok=True, keyboard_ok=False, ports_ok=True,
                    test_notes="Toets E hapert")
    with pytest.raises(AtelierError, match="toetsenbord"):
        _grade(worker, job)


def test_a_retest_needs_the_first_hardware_test_signed_off(worker):
    job = make_job(wipe_at=timezone.now())
    with pytest.raises(AtelierError):
        retest_hardware(actor=worker, job=job, screen_ok=True, keyboard_ok=True,
                        ports_ok=True)


def test_the_status_form_cannot_make_a_device_with_a_hardware_fault_ready(worker):
    job = _tested_with_a_broken_screen(worker)
    # A job closed with the fault before the rule existed.
    job.grade_at = job.finished_at = timezone.now()
    job.status = JobStatus.DONE
    job.save()
    Device.objects.filter(pk=job.device_id).update(data_state=DataState.WIPED)
    job.device.refresh_from_db()
    assert "hardwaretest" in wipe_gate_problem(job.device, DeviceStatus.READY)
    with pytest.raises(LoanError):
        change_device_status(actor=worker, device=job.device, status=DeviceStatus.READY)


def test_the_job_page_offers_a_retest_and_records_it(client, worker):
    job = _tested_with_a_broken_screen(worker)
    client.force_login(worker)
    page = client.get(reverse("atelier:job-detail", args=[job.pk])).content.decode()
    assert "Hardwaretest opnieuw doen" in page
    assert "vond een fout" in page
    response = client.post(reverse("atelier:job-retest", args=[job.pk]), {
        "test-screen_ok": "yes", "test-keyboard_ok": "yes", "test-ports_ok": "yes",
        "test-battery_health": "79", "test-notes": "Nieuw scherm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.test_screen_ok is True and job.test_battery_health == 79


def test_the_retest_form_answers_a_missing_result_next_to_the_field(client, worker):
    job = _tested_with_a_broken_screen(worker)
    client.force_login(worker)
    response = client.post(reverse("atelier:job-retest", args=[job.pk]),
                           {"test-screen_ok": "yes"})
    assert response.status_code == 400
    assert "Zeg of het werkt." in response.content.decode()
