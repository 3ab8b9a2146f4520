from datetime import date

import pytest
import time_machine

from devices.models import (
    ALLOWED_TRANSITIONS,
    DeviceEvent,
    DeviceKind,
    DeviceStatus,
    LoanStatus,
    ReservationStatus,
    SubscriptionStatus,
)
from devices.services import (
    LoanError,
    activate_subscription,
    cancel_reservation,
    change_device_status,
    end_subscription,
    issue_loan,
    receive_at_point,
    register_device,
    report_defect,
    request_reservation,
    reserve_device,
    return_device,
    return_to_atelier,
    send_to_point,
    start_subscription,
    swap_device,
)
from tests.devices.factories import make_device, make_loan, make_plan, make_subscription
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


def test_registered_device_starts_received_at_the_atelier_with_an_event():
    device = register_device(actor=None, kind=DeviceKind.LAPTOP, brand="HP", asset_tag="DB-1")
    assert device.status == DeviceStatus.RECEIVED and device.point is None
    assert device.events.get().to_status == DeviceStatus.RECEIVED


def test_atelier_steps_follow_the_transition_table():
    device = make_device(status=DeviceStatus.RECEIVED)
    change_device_status(actor=None, device=device, status=DeviceStatus.REFURBISHING)
    change_device_status(actor=None, device=device, status=DeviceStatus.RETIRED)
    device.refresh_from_db()
    assert device.status == DeviceStatus.RETIRED
    assert [e.to_status for e in device.events.order_by("pk")] == ["refurbishing", "retired"]


def test_device_without_a_proven_wipe_cannot_be_made_ready():
    device = make_device(status=DeviceStatus.REFURBISHING)
    with pytest.raises(LoanError, match="bewezen gewist"):
        change_device_status(actor=None, device=device, status=DeviceStatus.READY)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REFURBISHING and not device.events.exists()


@pytest.mark.parametrize(("start", "target"), [
    (start, target) for start in DeviceStatus.values for target in
    (DeviceStatus.REFURBISHING, DeviceStatus.READY, DeviceStatus.IN_REPAIR, DeviceStatus.RETIRED)
    if target not in ALLOWED_TRANSITIONS[start] and start != DeviceStatus.ON_LOAN
])
def test_refused_atelier_step_changes_nothing(start, target):
    device = make_device(status=start, point=make_point() if start == "at_point" else None)
    with pytest.raises(LoanError):
        change_device_status(actor=None, device=device, status=target)
    device.refresh_from_db()
    assert device.status == start and not DeviceEvent.objects.exists()


def test_retired_device_can_go_nowhere():
    assert ALLOWED_TRANSITIONS[DeviceStatus.RETIRED] == set()


def test_device_is_sent_to_a_point_and_received_there(point, host):
    device = make_device(status=DeviceStatus.READY)
    send_to_point(actor=None, device=device, point=point)
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_TRANSIT and device.point == point
    receive_at_point(actor=host, device=device, point=point)
    device.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT
    event = device.events.first()
    assert event.actor == host and event.where == point


def test_point_cannot_receive_a_device_sent_elsewhere(point, host):
    device = make_device(status=DeviceStatus.READY)
    send_to_point(actor=None, device=device, point=make_point())
    with pytest.raises(LoanError):
        receive_at_point(actor=host, device=device, point=point)


def test_device_at_point_goes_back_to_the_atelier_ready(point):
    device = make_device(point=point)
    return_to_atelier(actor=None, device=device)
    device.refresh_from_db()
    assert device.status == DeviceStatus.READY and device.point is None


def test_host_hands_out_an_available_device(point, host):
    device = make_device(point=point)
    subscription = make_subscription()
    with time_machine.travel(date(2026, 3, 2)):
        loan = issue_loan(actor=host, device=device, subscription=subscription, point=point)
    device.refresh_from_db()
    assert loan.status == LoanStatus.ISSUED and loan.check_due_on == date(2027, 3, 2)
    assert device.status == DeviceStatus.ON_LOAN and device.point is None
    assert device.events.first().loan == loan


def test_device_is_not_handed_out_where_it_is_not(point, host):
    device = make_device(point=make_point())
    with pytest.raises(LoanError, match="niet|not"):
        issue_loan(actor=host, device=device, subscription=make_subscription(), point=point)


@pytest.mark.parametrize("status", [DeviceStatus.RECEIVED, DeviceStatus.RETURNED,
                                    DeviceStatus.IN_REPAIR, DeviceStatus.RETIRED])
def test_device_that_is_not_available_is_not_handed_out(status):
    device = make_device(status=status)
    with pytest.raises(LoanError):
        issue_loan(actor=None, device=device, subscription=make_subscription(), point=None)


@pytest.mark.parametrize("status", [SubscriptionStatus.REFERRED, SubscriptionStatus.SUSPENDED,
                                    SubscriptionStatus.ENDED])
def test_no_loan_without_an_active_subscription(point, status):
    device = make_device(point=point)
    with pytest.raises(LoanError, match="subscription|abonnement"):
        issue_loan(actor=None, device=device, subscription=make_subscription(status=status),
                   point=point)
    device.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT


def test_resident_borrows_one_laptop_and_one_tablet(point):
    subscription = make_subscription()
    issue_loan(actor=None, device=make_device(point=point), subscription=subscription,
               point=point)
    issue_loan(actor=None, device=make_device(DeviceKind.TABLET, point=point),
               subscription=subscription, point=point)
    assert subscription.loans.filter(status=LoanStatus.ISSUED).count() == 2


def test_resident_cannot_borrow_a_second_laptop(point):
    subscription = make_subscription()
    issue_loan(actor=None, device=make_device(point=point), subscription=subscription,
               point=point)
    with pytest.raises(LoanError, match="laptop"):
        issue_loan(actor=None, device=make_device(point=point), subscription=subscription,
                   point=point)


def test_resident_cannot_borrow_a_smartphone_next_to_a_tablet(point):
    subscription = make_subscription()
    issue_loan(actor=None, device=make_device(DeviceKind.TABLET, point=point),
               subscription=subscription, point=point)
    smartphone = make_device(DeviceKind.SMARTPHONE, point=point)
    with pytest.raises(LoanError, match="tablet"):
        issue_loan(actor=None, device=smartphone, subscription=subscription, point=point)
    smartphone.refresh_from_db()
    assert smartphone.status == DeviceStatus.AT_POINT


def test_returned_device_waits_to_be_checked_at_the_point_of_return(point, host):
    device = make_device()
    loan = make_loan(device, make_subscription())
    return_device(actor=host, device=device, point=point, condition="good")
    loan.refresh_from_db()
    device.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.returned_at_point == point
    assert device.status == DeviceStatus.RETURNED and device.point == point


def test_device_not_on_loan_cannot_be_returned(point):
    with pytest.raises(LoanError):
        return_device(actor=None, device=make_device(point=point), point=point, condition="good")


def test_returned_laptop_frees_the_slot_for_another(point):
    subscription = make_subscription()
    first = make_device()
    make_loan(first, subscription)
    return_device(actor=None, device=first, point=point, condition="good")
    loan = issue_loan(actor=None, device=make_device(point=point), subscription=subscription,
                      point=point)
    assert loan.status == LoanStatus.ISSUED


def test_broken_lent_device_is_taken_in_with_the_problem_in_words(point, host):
    device = make_device(DeviceKind.TABLET)
    loan = make_loan(device, make_subscription())
    report = report_defect(actor=host, device=device, point=point,
                           problem="Het scherm blijft zwart")
    device.refresh_from_db()
    loan.refresh_from_db()
    assert device.status == DeviceStatus.IN_REPAIR and device.point == point
    assert loan.status == LoanStatus.RETURNED and loan.condition_on_return == "defect"
    assert report.problem == "Het scherm blijft zwart" and report.reported_by == host
    assert report.loan == loan and report.reported_at_point == point


def test_defect_without_a_description_is_refused(point):
    device = make_device()
    make_loan(device, make_subscription())
    with pytest.raises(LoanError):
        report_defect(actor=None, device=device, point=point, problem="  ")


def test_swap_hands_out_a_replacement_and_links_the_loans(point, host):
    broken = make_device(DeviceKind.TABLET)
    old = make_loan(broken, make_subscription())
    replacement = make_device(DeviceKind.TABLET, point=point)
    new = swap_device(actor=host, device=broken, replacement=replacement, point=point,
                      problem="Laadt niet op")
    old.refresh_from_db()
    assert old.replaced_by == new and new.device == replacement
    assert new.status == LoanStatus.ISSUED


def test_reserved_device_waits_at_the_point_and_is_handed_out_to_that_resident(point, host):
    subscription = make_subscription()
    reservation = request_reservation(actor=host, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    reserve_device(actor=None, device=device, reservation=reservation)
    reservation.refresh_from_db()
    device.refresh_from_db()
    assert reservation.status == ReservationStatus.READY and reservation.expires_on
    assert device.status == DeviceStatus.RESERVED
    loan = issue_loan(actor=host, device=device, subscription=subscription, point=point)
    reservation.refresh_from_db()
    assert loan == reservation.loan and loan.status == LoanStatus.ISSUED
    assert reservation.status == ReservationStatus.COLLECTED


def test_reserved_device_is_not_handed_out_to_someone_else(point):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    reserve_device(actor=None, device=device, reservation=reservation)
    other = make_subscription(make_resident(phone="0499000000"))
    with pytest.raises(LoanError, match="someone else|iemand anders"):
        issue_loan(actor=None, device=device, subscription=other, point=point)


def test_reserved_device_travelling_from_the_atelier_stays_reserved_on_arrival(point):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(status=DeviceStatus.READY)
    reserve_device(actor=None, device=device, reservation=reservation)
    reservation.refresh_from_db()
    assert reservation.expires_on is None
    send_to_point(actor=None, device=device, point=point)
    receive_at_point(actor=None, device=device, point=point)
    device.refresh_from_db()
    reservation.refresh_from_db()
    assert device.status == DeviceStatus.RESERVED and reservation.waiting_since


def test_reservation_of_the_wrong_kind_is_refused(point):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.TABLET, pickup_point=point)
    with pytest.raises(LoanError):
        reserve_device(actor=None, device=make_device(point=point), reservation=reservation)


def test_reservation_counts_against_the_quota(point):
    subscription = make_subscription()
    request_reservation(actor=None, subscription=subscription, kind=DeviceKind.TABLET,
                        pickup_point=point)
    with pytest.raises(LoanError):
        request_reservation(actor=None, subscription=subscription,
                            kind=DeviceKind.SMARTPHONE, pickup_point=point)


def test_cancelled_reservation_releases_the_device(point):
    reservation = request_reservation(actor=None, subscription=make_subscription(),
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    reserve_device(actor=None, device=device, reservation=reservation)
    cancel_reservation(actor=None, reservation=reservation)
    device.refresh_from_db()
    reservation.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT
    assert reservation.status == ReservationStatus.CANCELLED
    assert reservation.loan.status == LoanStatus.CLOSED


def test_subscription_cannot_end_while_a_device_is_lent():
    subscription = make_subscription()
    make_loan(make_device(), subscription)
    with pytest.raises(LoanError):
        end_subscription(actor=None, subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_ending_a_subscription_cancels_its_reservations(point):
    subscription = make_subscription()
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    end_subscription(actor=None, subscription=subscription)
    subscription.refresh_from_db()
    reservation.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ENDED and subscription.ends_on
    assert reservation.status == ReservationStatus.CANCELLED


def test_ended_subscription_cannot_be_activated_again():
    subscription = make_subscription(status=SubscriptionStatus.ENDED)
    with pytest.raises(LoanError):
        activate_subscription(actor=None, subscription=subscription)


def test_resident_has_one_open_subscription_at_a_time():
    resident = make_resident()
    plan = make_plan()
    start_subscription(actor=None, resident=resident, plan=plan)
    with pytest.raises(LoanError):
        start_subscription(actor=None, resident=resident, plan=plan)


def test_referred_subscription_is_activated_at_the_counter():
    subscription = start_subscription(actor=None, resident=make_resident(), plan=make_plan(),
                                      referred_only=True)
    assert subscription.status == SubscriptionStatus.REFERRED
    activate_subscription(actor=None, subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_broken_device_collected_from_a_point_stays_in_repair_at_the_atelier(point):
    device = make_device(status=DeviceStatus.IN_REPAIR, point=point)
    return_to_atelier(actor=None, device=device)
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_REPAIR and device.point is None
    assert device.events.get().from_point == point


def test_returned_device_collected_by_the_atelier_goes_to_be_checked(point):
    device = make_device(status=DeviceStatus.RETURNED, point=point)
    return_to_atelier(actor=None, device=device)
    device.refresh_from_db()
    assert device.status == DeviceStatus.REFURBISHING and device.point is None


def test_device_on_loan_cannot_be_retired():
    device = make_device()
    make_loan(device, make_subscription())
    with pytest.raises(LoanError):
        change_device_status(actor=None, device=device, status=DeviceStatus.RETIRED)


def test_suspended_subscription_lends_nothing_until_reactivated(point):
    from devices.services import suspend_subscription

    subscription = make_subscription()
    suspend_subscription(actor=None, subscription=subscription)
    device = make_device(point=point)
    with pytest.raises(LoanError):
        issue_loan(actor=None, device=device, subscription=subscription, point=point)
    activate_subscription(actor=None, subscription=subscription)
    assert issue_loan(actor=None, device=device, subscription=subscription,
                      point=point).status == LoanStatus.ISSUED


@pytest.mark.parametrize("status", [SubscriptionStatus.REFERRED, SubscriptionStatus.ENDED])
def test_only_an_active_subscription_can_be_suspended(status):
    from devices.services import suspend_subscription

    with pytest.raises(LoanError):
        suspend_subscription(actor=None, subscription=make_subscription(status=status))


def test_reservation_needs_an_active_subscription(point):
    with pytest.raises(LoanError):
        request_reservation(actor=None, kind=DeviceKind.LAPTOP, pickup_point=point,
                            subscription=make_subscription(status=SubscriptionStatus.REFERRED))


def test_collected_reservation_cannot_be_cancelled(point):
    subscription = make_subscription()
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.LAPTOP, pickup_point=point)
    device = make_device(point=point)
    reserve_device(actor=None, device=device, reservation=reservation)
    issue_loan(actor=None, device=device, subscription=subscription, point=point)
    with pytest.raises(LoanError):
        cancel_reservation(actor=None, reservation=reservation)


def test_asset_tags_are_unique_whatever_the_case():
    from django.db import IntegrityError

    make_device(asset_tag="DB-1")
    with pytest.raises(IntegrityError):
        make_device(asset_tag="db-1")


def test_handing_out_to_a_waiting_resident_fulfils_their_reservation(point):
    subscription = make_subscription()
    reservation = request_reservation(actor=None, subscription=subscription,
                                      kind=DeviceKind.SMARTPHONE, pickup_point=point)
    loan = issue_loan(actor=None, device=make_device(DeviceKind.TABLET, point=point),
                      subscription=subscription, point=point)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.COLLECTED and reservation.loan == loan


def test_queue_position_counts_earlier_requests_for_the_same_kind_and_place(point):
    first = request_reservation(actor=None, subscription=make_subscription(),
                                kind=DeviceKind.TABLET, pickup_point=point)
    request_reservation(actor=None, subscription=make_subscription(make_resident(phone="01")),
                        kind=DeviceKind.LAPTOP, pickup_point=point)
    second = request_reservation(actor=None,
                                 subscription=make_subscription(make_resident(phone="02")),
                                 kind=DeviceKind.TABLET, pickup_point=point)
    assert (first.queue_position, second.queue_position) == (1, 2)
