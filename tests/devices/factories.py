"""Builders for device tests."""

import itertools
from decimal import Decimal

from django.utils import timezone

from devices.models import (
    LENDING_STATUSES,
    DataState,
    Device,
    DeviceKind,
    DeviceStatus,
    Loan,
    LoanStatus,
    Subscription,
    SubscriptionPlan,
    SubscriptionStatus,
    slot_for_kind,
)
from tests.factories import make_resident

_seq = itertools.count(1)


def make_plan(name: str | None = None, **fields) -> SubscriptionPlan:
    name = name or f"Plan {next(_seq)}"
    fields.setdefault("monthly_fee", Decimal("5.00"))
    return SubscriptionPlan.objects.create(name=name, slug=name.lower().replace(" ", "-"),
                                           **fields)


def make_device(kind: str = DeviceKind.LAPTOP, *, status: str | None = None,
                point=None, **fields) -> Device:
    """A device in ``status`` (available by default) at ``point`` (None:
    the atelier), written directly: tests of the lifecycle start from any
    state. A device on its way to a borrower is written as wiped (as the
    database demands); tests of the wipe gate build the proof through the
    atelier's services instead."""
    fields.setdefault("asset_tag", f"DB-{next(_seq):05d}")
    fields.setdefault("brand", "Lenovo")
    fields.setdefault("model_name", "ThinkPad T480")
    status = status or (DeviceStatus.AT_POINT if point else DeviceStatus.READY)
    if status == DeviceStatus.AT_POINT and point is None:
        raise ValueError("a device at a point needs a point")
    if status in LENDING_STATUSES:
        fields.setdefault("data_state", DataState.WIPED)
    return Device.objects.create(kind=kind, status=status, point=point, **fields)


def make_subscription(resident=None, *, plan=None, status: str = SubscriptionStatus.ACTIVE,
                      **fields) -> Subscription:
    return Subscription.objects.create(
        resident=resident or make_resident(phone="0470111222"), plan=plan or make_plan(),
        status=status, **fields,
    )


def make_loan(device: Device, subscription: Subscription, *, status: str = LoanStatus.ISSUED,
              **fields) -> Loan:
    """An active loan written directly (the device is set on loan too). A
    loan that was handed out has its hand-out time."""
    if status in (LoanStatus.ISSUED, LoanStatus.RETURNED):
        fields.setdefault("handed_out_at", timezone.now())
    if status == LoanStatus.ISSUED:
        device.status = DeviceStatus.ON_LOAN
        device.point = None
        device.data_state = DataState.BORROWER
        device.save()
    return Loan.objects.create(device=device, subscription=subscription,
                               resident=subscription.resident, slot=slot_for_kind(device.kind),
                               status=status, **fields)
