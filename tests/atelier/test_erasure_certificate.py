"""The donor's data-erasure certificate: issued only when every disk of
every donated device is proven wiped or destroyed, with a stored unique
number, the issuer from settings, each disk with method, result, date and
the operator's full name, and plainly what happened to a disk that could
not be wiped."""

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from atelier.models import ErasureCertificate, Step
from atelier.services import (
    AtelierError,
    issue_erasure_certificate,
    receive_donated_device,
    record_wipe,
    scrap_job,
    sign_off_step,
)
from devices.models import DeviceKind
from digibank.models import AuditEvent
from tests.atelier.factories import make_donation
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CLAIM = "verklaart dat op elk opslagmedium"


@pytest.fixture
def worker():
    return make_user("atelier", first_name="Greta", last_name="Claes-Verstraeten")


@pytest.fixture
def atelier_client(client, worker):
    client.force_login(worker)
    return client


def _device(donation, worker, tag, disks=1):
    return receive_donated_device(actor=worker, donation=donation, kind=DeviceKind.LAPTOP,
                                  brand="Lenovo", model_name="ThinkPad L480",
                                  asset_tag=tag, serial=f"SN-{tag}", storage_media=disks)


def _wipe(job, worker, serial, result="passed", method="purge"):
    return record_wipe(actor=worker, job=job, medium_serial=serial, method=method,
                       result=result, tool="nwipe", tool_version="0.35")


def _wiped_donation(worker, devices=2):
    donation = make_donation("Kantoor Zonnig BV", donor_contact="info@example.org")
    for n in range(devices):
        job = _device(donation, worker, f"AT-{n:03d}")
        _wipe(job, worker, f"DISK-{n}")
        sign_off_step(actor=worker, job=job, step=Step.WIPE)
    return donation


def test_certificate_is_refused_while_a_disk_has_no_wipe_record(worker):
    donation = _wiped_donation(worker)
    _device(donation, worker, "AT-900")
    with pytest.raises(AtelierError):
        issue_erasure_certificate(actor=worker, donation=donation)
    assert not ErasureCertificate.objects.exists()


def test_certificate_is_refused_while_a_failed_wipe_is_not_redone(worker):
    donation = make_donation()
    job = _device(donation, worker, "AT-1")
    _wipe(job, worker, "WD-1", result="failed")
    with pytest.raises(AtelierError):
        issue_erasure_certificate(actor=worker, donation=donation)


def test_certificate_is_refused_until_the_wipe_step_is_signed_off(worker):
    donation = make_donation()
    _wipe(_device(donation, worker, "AT-1"), worker, "WD-1")
    with pytest.raises(AtelierError):
        issue_erasure_certificate(actor=worker, donation=donation)


def test_certificate_of_a_donation_without_devices_is_refused(worker):
    with pytest.raises(AtelierError):
        issue_erasure_certificate(actor=worker, donation=make_donation())


def test_page_before_issue_says_what_is_missing_and_claims_no_wipe(atelier_client, worker):
    donation = _wiped_donation(worker)
    second_disk = _device(donation, worker, "AT-777", disks=2)
    _wipe(second_disk, worker, "SSD-A")
    response = atelier_client.get(reverse("atelier:donation-certificate", args=[donation.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nog geen certificaat." in content
    assert "AT-777" in content and "1 van zijn 2 schijven heeft geen wisrapport" in content
    assert CLAIM not in content and "Certificaatnummer" not in content
    assert "Certificaat uitreiken" not in content


def test_issued_certificate_keeps_its_number(worker):
    donation = _wiped_donation(worker)
    first = issue_erasure_certificate(actor=worker, donation=donation)
    again = issue_erasure_certificate(actor=worker, donation=donation)
    assert again.pk == first.pk and again.number == first.number
    assert first.number.startswith("DW-")
    assert AuditEvent.objects.filter(target_id=str(first.pk)).count() == 1


def test_the_database_refuses_two_certificates_with_one_number(worker):
    first = issue_erasure_certificate(actor=worker, donation=_wiped_donation(worker))
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureCertificate.objects.create(donation=make_donation("Ander"), number=first.number)


def test_a_device_cannot_join_a_donation_whose_certificate_is_issued(worker):
    donation = _wiped_donation(worker)
    issue_erasure_certificate(actor=worker, donation=donation)
    with pytest.raises(AtelierError):
        _device(donation, worker, "AT-LATE")


@override_settings(ERASURE_CERTIFICATE_ISSUER="Digibank Mechelen, atelier Kraaienhof",
                   ERASURE_CERTIFICATE_ADDRESS="Kraaienhof 2, 2800 Mechelen")
def test_issued_certificate_names_issuer_each_disk_and_its_operator(atelier_client, worker):
    donation = _wiped_donation(worker)
    atelier_client.post(reverse("atelier:donation-certificate", args=[donation.pk]))
    certificate = ErasureCertificate.objects.get(donation=donation)
    content = atelier_client.get(reverse("atelier:donation-certificate",
                                         args=[donation.pk])).content.decode()
    assert certificate.number in content and CLAIM in content
    assert "Digibank Mechelen, atelier Kraaienhof" in content
    assert "Kraaienhof 2, 2800 Mechelen" in content
    assert "DISK-0" in content and "DISK-1" in content
    assert "Purge (secure erase, crypto erase)" in content
    assert "Greta Claes-Verstraeten" in content
    assert timezone.localtime(certificate.issued_at).strftime("%d/%m/%Y") in content
    assert "Handtekening" in content


def test_certificate_says_plainly_a_disk_that_failed_was_destroyed(atelier_client, worker):
    donation = make_donation()
    job = _device(donation, worker, "AT-1")
    _wipe(job, worker, "WD-FAIL-1", result="failed", method="clear")
    _wipe(job, worker, "WD-FAIL-1", method="destroy")
    scrap_job(actor=worker, job=job, note="Moederbord defect: onderdelen")
    issue_erasure_certificate(actor=worker, donation=donation)
    content = atelier_client.get(reverse("atelier:donation-certificate",
                                         args=[donation.pk])).content.decode()
    assert "Schijf WD-FAIL-1 van AT-1 kon niet gewist worden" in content
    assert "werd vernietigd op" in content


def test_host_cannot_issue_a_certificate(client, worker):
    donation = _wiped_donation(worker)
    client.force_login(make_user("host"))
    response = client.post(reverse("atelier:donation-certificate", args=[donation.pk]))
    assert response.status_code == 403
    assert not ErasureCertificate.objects.exists()


def test_certificate_numbers_run_on_without_gaps_within_a_year(worker):
    year = timezone.localdate().year
    first = issue_erasure_certificate(actor=worker, donation=_wiped_donation(worker, 1))
    waiting = make_donation("Nog niet gewist")
    _device(waiting, worker, "AT-WAIT")
    with pytest.raises(AtelierError):  # a refused issue takes no number
        issue_erasure_certificate(actor=worker, donation=waiting)
    make_donation("Tussendoor")  # a donation without a certificate takes none either
    second = _wiped_donation(worker, 0)
    job = _device(second, worker, "AT-NEXT")
    _wipe(job, worker, "DISK-NEXT")
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    assert [first.number, issue_erasure_certificate(actor=worker, donation=second).number] == [
        f"DW-{year}-00001", f"DW-{year}-00002"]


def test_numbering_follows_on_certificates_issued_before_the_sequence(worker):
    year = timezone.localdate().year
    ErasureCertificate.objects.create(donation=make_donation("Oud"), number=f"DW-{year}-00004")
    certificate = issue_erasure_certificate(actor=worker, donation=_wiped_donation(worker, 1))
    assert certificate.number == f"DW-{year}-00005"


def test_a_wipe_passed_with_warning_needs_the_warning_text(worker):
    job = _device(make_donation(), worker, "AT-WARN")
    with pytest.raises(AtelierError, match="Schrijf op waarvoor"):
        record_wipe(actor=worker, job=job, medium_serial="WD-W", method="purge",
                    result="warning")


def test_the_certificate_shows_the_warning_of_a_wipe_passed_with_warning(atelier_client,
                                                                        worker):
    donation = make_donation()
    job = _device(donation, worker, "AT-WARN")
    record_wipe(actor=worker, job=job, medium_serial="WD-W", method="purge", result="warning",
                warning="3 herverdeelde sectoren")
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    issue_erasure_certificate(actor=worker, donation=donation)
    content = atelier_client.get(reverse("atelier:donation-certificate",
                                         args=[donation.pk])).content.decode()
    assert "Geslaagd met waarschuwing" in content
    assert "Waarschuwing: 3 herverdeelde sectoren" in content


def test_the_wipe_form_asks_the_warning_next_to_the_field(atelier_client, worker):
    job = _device(make_donation(), worker, "AT-WARN")
    response = atelier_client.post(reverse("atelier:job-wipe", args=[job.pk]), {
        "medium_serial": "WD-W", "method": "purge", "result": "warning"})
    assert response.status_code == 400
    assert "Schrijf op waarvoor de tool waarschuwde." in response.content.decode()
