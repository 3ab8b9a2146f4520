import pytest
from django.core.management import call_command

from atelier.models import (
    Donation,
    JobStatus,
    RefurbishJob,
    RepairTicket,
    WipeRecord,
    WorkLog,
    YearlyCheck,
)
from atelier.services import wipe_gate_problem
from devices.models import LENDING_STATUSES, Device, DeviceStatus

pytestmark = pytest.mark.django_db


def test_demo_atelier_covers_the_pipeline_and_runs_twice_without_changes():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Donation.objects.count(), RefurbishJob.objects.count(),
              RepairTicket.objects.count(), WorkLog.objects.count())
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Donation.objects.count(), RefurbishJob.objects.count(),
            RepairTicket.objects.count(), WorkLog.objects.count()) == counts
    assert counts[0] == 2
    assert set(RefurbishJob.objects.values_list("status", flat=True)) == set(JobStatus.values)
    assert set(RepairTicket.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        "fixed", "repairable", "end_of_life"}
    assert WipeRecord.objects.filter(result="failed").exists()
    assert WipeRecord.objects.filter(method="destroy").exists()
    assert YearlyCheck.objects.exists()


def test_every_demo_device_on_its_way_to_a_borrower_has_a_proven_wipe():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    lending = Device.objects.filter(status__in=LENDING_STATUSES).exclude(
        asset_tag__startswith="B-")
    assert lending.count() > 50
    problems = {device.asset_tag: wipe_gate_problem(
        device, device.status, device.loans.active().first(), recheck=True)
        for device in lending}
    assert {tag: problem for tag, problem in problems.items() if problem} == {}
    assert not Device.objects.filter(status=DeviceStatus.REFURBISHING).exclude(
        refurbish_jobs__status=JobStatus.OPEN).exists()


def test_every_atelier_page_shows_the_demo_data(client):
    from django.urls import reverse

    from digibank.models import User

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(User.objects.get(username="coordinator"))
    donation = Donation.objects.order_by("pk").first()
    job = RefurbishJob.objects.filter(donation=donation).first()
    ticket = RepairTicket.objects.exclude(outcome="").first()
    loan = YearlyCheck.objects.first().loan
    urls = [reverse("atelier:board"), reverse("atelier:donation-list"),
            reverse("atelier:donation-detail", args=[donation.pk]),
            reverse("atelier:donation-certificate", args=[donation.pk]),
            reverse("atelier:job-detail", args=[job.pk]),
            reverse("atelier:device-story", args=[job.device.asset_tag]),
            reverse("atelier:ticket-list"), reverse("atelier:ticket-list") + "?toon=klaar",
            reverse("atelier:ticket-detail", args=[ticket.pk]),
            reverse("atelier:checks"), reverse("atelier:hours"),
            reverse("atelier:hours-report"), reverse("atelier:impact"),
            reverse("atelier:ords-export"), reverse("atelier:intake")]
    if loan.status == "issued":
        urls.append(reverse("atelier:yearly-check", args=[loan.pk]))
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "WD-FAIL-1" in client.get(reverse("atelier:donation-certificate",
                                             args=[donation.pk])).content.decode()
