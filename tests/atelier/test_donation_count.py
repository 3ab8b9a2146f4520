"""The donor's certificate speaks for every device the donor announced: it
waits until they are all registered, or until the atelier records that
fewer came in (and why)."""

import pytest
from django.urls import reverse

from atelier.models import ErasureCertificate, Step
from atelier.services import (
    AtelierError,
    erasure_certificate_problem,
    erasure_proof,
    issue_erasure_certificate,
    receive_donated_device,
    record_received_count,
    record_wipe,
    sign_off_step,
)
from devices.models import DeviceKind
from digibank.models import AuditEvent
from tests.atelier.factories import make_donation
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return make_user("atelier")


def _wiped_device(donation, worker, tag):
    job = receive_donated_device(actor=worker, donation=donation, kind=DeviceKind.LAPTOP,
                                 brand="Dell", asset_tag=tag)
    record_wipe(actor=worker, job=job, medium_serial=f"D-{tag}", method="purge",
                result="passed")
    sign_off_step(actor=worker, job=job, step=Step.WIPE)
    return job


def test_the_certificate_waits_for_every_device_announced(worker):
    donation = make_donation(expected_count=2)
    _wiped_device(donation, worker, "CNT-1")
    with pytest.raises(AtelierError, match="1 van de 2 aangekondigde toestellen is nog niet "
                                           "geregistreerd"):
        issue_erasure_certificate(actor=worker, donation=donation)
    assert not ErasureCertificate.objects.exists()


def test_the_proof_page_says_how_many_devices_are_missing(client, worker):
    donation = make_donation(expected_count=3)
    _wiped_device(donation, worker, "CNT-1")
    assert "2 van de 3" in erasure_certificate_problem(donation, erasure_proof(donation))
    client.force_login(worker)
    page = client.get(reverse("atelier:donation-certificate", args=[donation.pk]))
    assert "2 van de 3 aangekondigde toestellen" in page.content.decode()


def test_the_second_device_can_still_be_added_and_then_the_certificate_issued(worker):
    donation = make_donation(expected_count=2)
    _wiped_device(donation, worker, "CNT-1")
    with pytest.raises(AtelierError):
        issue_erasure_certificate(actor=worker, donation=donation)
    _wiped_device(donation, worker, "CNT-2")
    certificate = issue_erasure_certificate(actor=worker, donation=donation)
    assert len(erasure_proof(certificate.donation)) == 2


def test_recording_that_fewer_were_received_lets_the_certificate_be_issued(worker):
    donation = make_donation(expected_count=2)
    _wiped_device(donation, worker, "CNT-1")
    record_received_count(actor=worker, donation=donation, count=1,
                          reason="De schenker hield één laptop")
    donation.refresh_from_db()
    assert (donation.received_count, donation.received_count_reason) == (
        1, "De schenker hield één laptop")
    assert AuditEvent.objects.filter(summary__contains="De schenker hield").exists()
    assert issue_erasure_certificate(actor=worker, donation=donation).number


@pytest.mark.parametrize("count, reason", [(1, " "), (0, "Kwijt"), (2, "Alles")])
def test_the_number_received_needs_a_reason_and_lies_between_registered_and_announced(
        worker, count, reason):
    donation = make_donation(expected_count=2)
    _wiped_device(donation, worker, "CNT-1")
    with pytest.raises(AtelierError):
        record_received_count(actor=worker, donation=donation, count=count, reason=reason)


def test_a_device_added_after_the_certificate_is_refused_with_the_way_forward(worker):
    donation = make_donation("Kantoor Zonnig BV", expected_count=1)
    _wiped_device(donation, worker, "CNT-1")
    certificate = issue_erasure_certificate(actor=worker, donation=donation)
    with pytest.raises(AtelierError, match=f"{certificate.number} .* vervolgschenking van "
                                           "Kantoor Zonnig BV"):
        _wiped_device(donation, worker, "CNT-LATE")


def test_the_donation_page_records_fewer_received_with_an_error_next_to_the_field(
        client, worker):
    donation = make_donation(expected_count=3)
    _wiped_device(donation, worker, "CNT-1")
    client.force_login(worker)
    address = reverse("atelier:donation-received", args=[donation.pk])
    refused = client.post(address, {"count": "0", "reason": "Kwijt"})
    assert refused.status_code == 400
    assert "1 toestel van deze schenking is al geregistreerd" in refused.content.decode()
    assert client.post(address, {"count": "1", "reason": "Kwijt"}).status_code == 302
    donation.refresh_from_db()
    assert donation.received_count == 1


def test_after_the_certificate_the_donation_page_offers_a_follow_up_donation(client, worker):
    donation = make_donation("Kantoor Zonnig BV", expected_count=1)
    _wiped_device(donation, worker, "CNT-1")
    issue_erasure_certificate(actor=worker, donation=donation)
    client.force_login(worker)
    page = client.get(reverse("atelier:donation-detail", args=[donation.pk])).content.decode()
    assert "Vervolgschenking starten" in page and "Toestel registreren" not in page
    form = client.get(reverse("atelier:donation-list") + "?donor=Kantoor+Zonnig+BV")
    assert 'value="Kantoor Zonnig BV"' in form.content.decode()
