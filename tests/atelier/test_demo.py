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
