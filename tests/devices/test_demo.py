import pytest
from django.core.management import call_command

from devices.models import Device, DeviceStatus, Loan, Reservation, SubscriptionPlan

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_status_and_runs_twice_without_changes():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Device.objects.count(), Loan.objects.count(), Reservation.objects.count())
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Device.objects.count(), Loan.objects.count(), Reservation.objects.count()) == counts
    assert counts[0] >= 140
    assert set(Device.objects.values_list("status", flat=True)) == set(DeviceStatus.values)
    assert SubscriptionPlan.objects.filter(monthly_fee=0).exists()
