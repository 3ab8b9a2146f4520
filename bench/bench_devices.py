"""Devices at size: 50,000 devices and 200,000 device events (movements and
loan steps), 10,000 active and 40,000 past loans. Measures the device list
(plain, filtered, a deep page), a device page and the hand-out action."""

import itertools
from datetime import timedelta

from django.utils import timezone

DEVICES = 50_000
EVENTS = 200_000
RESIDENTS = 10_000
PAST_LOANS = 40_000
BATCH = 5_000


def load(scale: float) -> None:
    from devices.models import (
        Device,
        DeviceEvent,
        DeviceKind,
        DeviceStatus,
        Loan,
        Subscription,
        SubscriptionPlan,
    )
    from digibank.models import Resident
    from points.models import Point

    devices_n, events_n = int(DEVICES * scale), int(EVENTS * scale)
    residents_n, past_n = max(int(RESIDENTS * scale), 50), int(PAST_LOANS * scale)
    points = list(Point.objects.all())
    plan = SubscriptionPlan.objects.create(name="Bench", slug="bench")
    Resident.objects.bulk_create(
        [Resident(first_name=f"Bench{n}", last_name="Inwoner", phone=f"09{n:08d}")
         for n in range(residents_n)], batch_size=BATCH)
    residents = list(Resident.objects.filter(first_name__startswith="Bench").order_by("pk"))
    Subscription.objects.bulk_create(
        [Subscription(resident=r, plan=plan) for r in residents], batch_size=BATCH)
    subscriptions = list(Subscription.objects.filter(plan=plan).order_by("pk"))
    now = timezone.now()
    on_loan = min(len(subscriptions), devices_n // 10)
    statuses = [DeviceStatus.AT_POINT, DeviceStatus.READY, DeviceStatus.REFURBISHING,
                DeviceStatus.RETURNED, DeviceStatus.IN_REPAIR, DeviceStatus.RETIRED]
    kinds = [DeviceKind.LAPTOP, DeviceKind.LAPTOP, DeviceKind.TABLET, DeviceKind.SMARTPHONE]
    rows = []
    for n in range(devices_n):
        if n < 2 * on_loan:
            kind = DeviceKind.LAPTOP if n < on_loan else DeviceKind.TABLET
            status, point = DeviceStatus.ON_LOAN, None
        else:
            kind, status = kinds[n % 4], statuses[n % len(statuses)]
            point = points[n % len(points)] if status in (
                DeviceStatus.AT_POINT, DeviceStatus.RETURNED) else None
        # Devices on their way to a borrower were wiped (as the database demands).
        data_state = {DeviceStatus.ON_LOAN: "borrower", DeviceStatus.AT_POINT: "wiped",
                      DeviceStatus.READY: "wiped"}.get(status, "unproven")
        rows.append(Device(kind=kind, brand="Lenovo", model_name="T480", asset_tag=f"B-{n:06d}",
                           status=status, point=point, data_state=data_state))
    Device.objects.bulk_create(rows, batch_size=BATCH)
    devices = list(Device.objects.filter(asset_tag__startswith="B-").order_by("asset_tag")
                   .only("pk", "kind"))
    loans = []
    for n in range(2 * on_loan):
        subscription = subscriptions[n % on_loan]
        loans.append(Loan(device=devices[n], subscription=subscription,
                          resident_id=subscription.resident_id,
                          slot="laptop" if n < on_loan else "mobile", status="issued",
                          handed_out_at=now, check_due_on=now.date() + timedelta(days=n % 365)))
    for n in range(past_n):
        subscription = subscriptions[n % len(subscriptions)]
        loans.append(Loan(device=devices[n % len(devices)], subscription=subscription,
                          resident_id=subscription.resident_id, slot="laptop",
                          status="returned", handed_out_at=now - timedelta(days=400),
                          returned_at=now - timedelta(days=30)))
    Loan.objects.bulk_create(loans, batch_size=BATCH)
    cycle = itertools.cycle([("received", "refurbishing"), ("refurbishing", "ready"),
                             ("ready", "in_transit"), ("in_transit", "at_point"),
                             ("at_point", "on_loan"), ("on_loan", "returned")])
    events = []
    for n in range(events_n):
        before, after = next(cycle)
        events.append(DeviceEvent(device=devices[n % len(devices)], from_status=before,
                                  to_status=after, at=now - timedelta(minutes=n)))
        if len(events) == BATCH:
            DeviceEvent.objects.bulk_create(events)
            events = []
    DeviceEvent.objects.bulk_create(events)
    # Fresh stock and borrowers for the hand-out action (warm-up + repeats).
    point = Point.objects.get(slug="huis-van-de-mechelaar")
    Device.objects.bulk_create([
        Device(kind=DeviceKind.LAPTOP, brand="HP", asset_tag=f"HAND-{n:03d}",
               status=DeviceStatus.AT_POINT, point=point, data_state="wiped")
        for n in range(40)])
    Resident.objects.bulk_create([Resident(first_name=f"Hand{n}", last_name="Out")
                                  for n in range(40)])
    Subscription.objects.bulk_create([
        Subscription(resident=r, plan=plan)
        for r in Resident.objects.filter(first_name__startswith="Hand")])


def measure(bench) -> None:
    from django.urls import reverse

    from devices.models import Device, Subscription
    from digibank.models import User
    from points.models import Point

    bench.login(User.objects.get(username="host"))
    point = Point.objects.get(slug="huis-van-de-mechelaar")
    busy = Device.objects.filter(asset_tag__startswith="B-").order_by("asset_tag").first()
    bench.page("devices: device list", reverse("devices:device-list"))
    bench.page("devices: device list, tablets at a point",
               reverse("devices:device-list") + f"?kind=tablet&status=at_point&place={point.pk}")
    bench.page("devices: device list, page 500", reverse("devices:device-list") + "?page=500")
    bench.page("devices: device page (history)",
               reverse("devices:device-detail", args=[busy.asset_tag]))
    bench.page("devices: reservations at a point", reverse("devices:reservations"))
    pairs = iter(zip(
        Device.objects.filter(asset_tag__startswith="HAND-").order_by("asset_tag"),
        Subscription.objects.filter(resident__first_name__startswith="Hand").order_by("pk"),
        strict=True))

    def hand_out():
        device, subscription = next(pairs)
        return bench.client.post(reverse("devices:hand-out"), {
            "inwoner": subscription.resident_id, "place": point.pk,
            "device": device.asset_tag, "agreement": "paper"})

    bench.action("devices: hand-out (POST)", hand_out)
