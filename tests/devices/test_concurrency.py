"""Two hosts clicking at once: the rules hold under real concurrency.
These run on PostgreSQL (DATABASE_URL=postgres://…); SQLite serialises
writes and cannot show a race."""

import pytest
from django.test import Client
from django.urls import reverse

from devices.models import DeviceKind, Loan, LoanStatus, Subscription, SubscriptionStatus
from devices.services import (
    LoanError,
    end_subscription,
    issue_loan,
    request_reservation,
    reserve_device,
)
from digibank.roles import sync_role_permissions
from tests.concurrency import Race, race
from tests.devices.factories import make_device, make_plan, make_subscription
from tests.factories import make_point, make_resident, make_user

ATTEMPTS = 20


def _race(calls) -> Race:
    """Run each callable in its own thread, all released at once."""
    return race(calls, (LoanError,))


@pytest.fixture
def point(postgres):
    return make_point("Race point")


def _subscriptions(count: int):
    plan = make_plan()
    return [make_subscription(make_resident(phone=f"047{n:07d}"), plan=plan)
            for n in range(count)]


def test_one_device_handed_out_to_twenty_residents_at_once_goes_to_one(point):
    device = make_device(point=point)
    calls = [lambda s=s: issue_loan(actor=None, device=device, subscription=s, point=point)
             for s in _subscriptions(ATTEMPTS)]
    assert _race(calls).tally == (1, ATTEMPTS - 1, [])
    assert Loan.objects.filter(device=device, status=LoanStatus.ISSUED).count() == 1


def test_twenty_laptops_at_once_to_one_resident_gives_one(point):
    subscription = make_subscription()
    devices = [make_device(point=point) for _n in range(ATTEMPTS)]
    calls = [lambda d=d: issue_loan(actor=None, device=d, subscription=subscription,
                                    point=point) for d in devices]
    assert _race(calls).tally == (1, ATTEMPTS - 1, [])
    assert Loan.objects.active().filter(resident=subscription.resident).count() == 1


def test_tablets_and_smartphones_at_once_to_one_resident_gives_one(point):
    subscription = make_subscription()
    devices = [make_device(DeviceKind.TABLET if n % 2 else DeviceKind.SMARTPHONE, point=point)
               for n in range(ATTEMPTS)]
    calls = [lambda d=d: issue_loan(actor=None, device=d, subscription=subscription,
                                    point=point) for d in devices]
    assert _race(calls).tally == (1, ATTEMPTS - 1, [])


def test_one_device_reserved_for_twenty_queues_at_once_goes_to_one(point):
    device = make_device(point=point)
    reservations = [request_reservation(actor=None, subscription=s, kind=DeviceKind.LAPTOP,
                                        pickup_point=point)
                    for s in _subscriptions(ATTEMPTS)]
    calls = [lambda r=r: reserve_device(actor=None, device=device, reservation=r)
             for r in reservations]
    assert _race(calls).tally == (1, ATTEMPTS - 1, [])
    assert Loan.objects.active().filter(device=device).count() == 1


def test_ending_a_subscription_while_lending_never_leaves_a_loan_on_an_ended_subscription(
        point):
    subscription = make_subscription()
    devices = [make_device(point=point) for _n in range(ATTEMPTS // 2)]
    calls = [lambda d=d: issue_loan(actor=None, device=d, subscription=subscription,
                                    point=point) for d in devices]
    calls += [lambda: end_subscription(actor=None, subscription=subscription)] * (ATTEMPTS // 2)
    assert _race(calls).crashes == []
    subscription.refresh_from_db()
    lent = subscription.loans.filter(status=LoanStatus.ISSUED).count()
    assert lent <= 1
    assert not (lent and subscription.status == SubscriptionStatus.ENDED)


def test_twenty_hosts_posting_the_same_hand_out_get_answers_not_server_errors(point):
    sync_role_permissions()  # a transactional test starts without the role groups
    device = make_device(point=point)
    hosts = [make_user("host", points=[point]) for _n in range(ATTEMPTS)]
    subscriptions = _subscriptions(ATTEMPTS)
    statuses = []

    def post(host, subscription):
        client = Client()
        client.force_login(host)
        response = client.post(reverse("devices:hand-out"), {
            "inwoner": subscription.resident_id, "place": point.pk,
            "device": device.asset_tag, "agreement": "paper"})
        statuses.append(response.status_code)
        return response

    results = _race([lambda h=h, s=s: post(h, s)
                     for h, s in zip(hosts, subscriptions, strict=True)])
    assert results.crashes == []
    assert sorted(statuses) == [200] * (ATTEMPTS - 1) + [302]
    assert Loan.objects.filter(device=device).count() == 1


def test_database_refuses_a_loan_under_a_subscription_that_is_not_active(postgres):
    from django.db import IntegrityError, transaction

    subscription = make_subscription(status=SubscriptionStatus.SUSPENDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(device=make_device(), subscription=subscription,
                            resident=subscription.resident, slot="laptop", status="issued")


def test_database_refuses_to_end_a_subscription_with_a_device_out(postgres):
    from django.db import IntegrityError, transaction

    subscription = make_subscription()
    Loan.objects.create(device=make_device(), subscription=subscription,
                        resident=subscription.resident, slot="laptop", status="issued")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(status="ended")
