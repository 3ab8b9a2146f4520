from datetime import date, timedelta

import pytest
import time_machine

from devices.models import DeviceKind, DeviceStatus, ReservationStatus
from devices.services import (
    request_reservation,
    reserve_device,
    send_check_reminders,
    send_reservation_reminders,
    send_review_reminders,
)
from devices.tasks import send_check_reminders as check_task
from digibank.models import CallTask, Notification
from digibank.services import residents_due_for_anonymisation
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


def test_check_reminder_mails_the_borrower_once(django_capture_on_commit_callbacks,
                                                 mailoutbox):
    resident = make_resident(email="maria@example.org")
    make_loan(make_device(), make_subscription(resident), check_due_on=TODAY + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert check_task.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_check_reminders() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["maria@example.org"]


def test_check_reminder_is_not_sent_months_ahead():
    make_loan(make_device(), make_subscription(), check_due_on=TODAY + timedelta(days=90))
    assert send_check_reminders() == 0


def test_borrower_without_email_lands_on_the_call_list_of_the_hand_out_point():
    point = make_point()
    loan = make_loan(make_device(), make_subscription(make_resident(phone="0470")),
                     check_due_on=TODAY + timedelta(days=3), handed_out_at_point=point)
    send_check_reminders()
    task = CallTask.objects.get()
    assert task.point == point and task.resident == loan.resident


def test_waiting_reservation_reminds_after_three_days_once():
    point = make_point()
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    with time_machine.travel(TODAY - timedelta(days=4)):
        reserve_device(actor=None, device=make_device(point=point), reservation=reservation)
    assert send_reservation_reminders() == 1
    assert send_reservation_reminders() == 0
    assert Notification.objects.filter(kind="device_reservation_waiting").count() == 1


def test_uncollected_reservation_expires_and_frees_the_device():
    point = make_point()
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    with time_machine.travel(TODAY - timedelta(days=20)):
        reserve_device(actor=None, device=device, reservation=reservation)
    send_reservation_reminders()
    reservation.refresh_from_db()
    device.refresh_from_db()
    assert reservation.status == ReservationStatus.EXPIRED
    assert device.status == DeviceStatus.AT_POINT


def test_review_reminder_is_sent_once_per_review_date():
    make_subscription(next_review_on=TODAY + timedelta(days=10))
    assert send_review_reminders() == 1
    assert send_review_reminders() == 0


def test_resident_with_an_active_loan_is_kept_by_retention():
    resident = make_resident(last_activity=date(2020, 1, 1))
    make_loan(make_device(), make_subscription(resident))
    idle = make_resident(last_activity=date(2020, 1, 1))
    assert list(residents_due_for_anonymisation(TODAY)) == [idle]


def test_resident_is_told_when_the_reserved_device_is_ready_at_the_pick_up_point():
    point = make_point()
    resident = make_resident(phone="0470555666")
    reservation = request_reservation(actor=None, subscription=make_subscription(resident),
                                      kind=DeviceKind.TABLET, pickup_point=point)
    reserve_device(actor=None, device=make_device(DeviceKind.TABLET, point=point),
                   reservation=reservation)
    task = CallTask.objects.get(kind="device_reservation_ready")
    assert task.point == point and task.resident == resident
