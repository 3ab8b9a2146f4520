"""Yearly check results: pass moves the check on, the others lead to a
repair, a swap or the end of the loan; one result per due date."""

from datetime import date, timedelta

import pytest

from atelier.models import RepairTicket
from atelier.services import AtelierError, record_yearly_check
from devices.models import DeviceKind, DeviceStatus, LoanStatus
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


@pytest.fixture
def loan():
    return make_loan(make_device(DeviceKind.LAPTOP), make_subscription(),
                     check_due_on=date(2026, 12, 1))


def test_passed_check_moves_the_next_check_a_year_on(host, point, loan):
    record_yearly_check(actor=host, loan=loan, result="pass", point=point, battery_health=77,
                        checked_on=date(2026, 11, 20))
    loan.refresh_from_db()
    loan.device.refresh_from_db()
    assert loan.check_due_on == date(2026, 11, 20) + timedelta(days=365)
    assert loan.device.battery_health == 77


def test_the_same_check_cannot_be_recorded_twice(host, point, loan):
    from atelier.models import YearlyCheck

    YearlyCheck.objects.create(loan=loan, due_on=loan.check_due_on, result="pass")
    with pytest.raises(AtelierError):
        record_yearly_check(actor=host, loan=loan, result="pass", point=point)


def test_check_needing_repair_opens_a_ticket(host, point, loan):
    record_yearly_check(actor=host, loan=loan, result="repair", point=point,
                        findings="Scharnier los")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert RepairTicket.objects.get().problem == "Scharnier los"


def test_check_with_swap_gives_another_device(host, point, loan):
    spare = make_device(DeviceKind.LAPTOP, point=point)
    record_yearly_check(actor=host, loan=loan, result="swap", point=point,
                        findings="Batterij op", replacement=spare)
    loan.refresh_from_db()
    assert loan.replaced_by.device == spare
    assert RepairTicket.objects.get().swap_issued


def test_swap_without_replacement_is_refused(host, point, loan):
    with pytest.raises(AtelierError):
        record_yearly_check(actor=host, loan=loan, result="swap", point=point, findings="X")
    assert not loan.yearly_checks.exists()


def test_check_ending_the_loan_takes_the_device_back(host, point, loan):
    record_yearly_check(actor=host, loan=loan, result="end", point=point)
    loan.refresh_from_db()
    loan.device.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert loan.device.status == DeviceStatus.RETURNED and loan.device.point == point
