"""Demo devices: about 150 devices in every status and place, plans (one
free), subscriptions, current and past loans, school loans and reservations.

Every state is reached through the services, so the history is real. A
device reaches a borrower only through the atelier's refurbishing job with
a wipe of every disk, and devices never imports atelier: ``seed`` registers
the devices (received at the atelier) and the atelier's demo, which runs
next, calls ``drive`` with its workshop to take each one to its demo state.
Idempotent: devices, plans, residents and subscriptions have fixed natural
keys; a device that already exists, or has moved, is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from devices import services
from devices.models import (
    Device,
    DeviceKind,
    DeviceStatus,
    Grade,
    Loan,
    Reservation,
    SoftwareProfile,
    Subscription,
    SubscriptionPlan,
)
from digibank.models import Resident, User
from outreach.models import Partner, PartnerKind
from points.models import Point

PLANS = [
    ("sociaal-tarief", "Sociaal tarief", Decimal("0"), Decimal("0"),
     "Laptop met basissoftware, hulp aan de balie, jaarlijkse controle.",
     "Met een leefloon, verhoogde tegemoetkoming of via het Sociaal Huis."),
    ("basis", "Basis", Decimal("5"), Decimal("25"),
     "Laptop en tablet of smartphone, hulp aan de balie, herstelling en jaarlijkse controle.",
     "Voor elke Mechelaar met een laag inkomen."),
    ("school", "Schoollaptop", Decimal("0"), Decimal("0"),
     "Laptop met schoolsoftware voor een leerling, een jaar lang, met controle na een jaar.",
     "Via de school, met een ouder of voogd die tekent."),
]

SCHOOL = ("Basisschool Sint-Jozef", "basisschool-sint-jozef")

# (first name, last name, phone, e-mail)
BORROWERS = [
    (f"{first}", f"{last}", f"04{70 + n % 20}{n:06d}", f"{first.lower()}@example.org" if n % 3
     else "")
    for n, (first, last) in enumerate([
        ("Anna", "Wouters"), ("Youssef", "Benali"), ("Mieke", "Claes"), ("Jan", "Maes"),
        ("Ilse", "Jacobs"), ("Samir", "Haddad"), ("Rita", "Willems"), ("Tom", "Goossens"),
        ("Leen", "Mertens"), ("Karim", "Ait"), ("Sofie", "Dubois"), ("Piet", "Hermans"),
        ("Nadia", "Rahimi"), ("Marc", "Michiels"), ("Els", "Verstraeten"), ("Ali", "Yilmaz"),
        ("Greet", "Aerts"), ("Dirk", "Smets"), ("Hanna", "Tesfaye"), ("Bart", "Lemmens"),
        ("Zehra", "Kaya"), ("Ivan", "Petrenko"), ("Lotte", "Van Dyck"), ("Omar", "Said"),
    ], start=1)
]
PUPILS = [
    ("Lina", "Bouzid", "Fatima Bouzid", "0488776655"),
    ("Mila", "Kovalenko", "Olena Kovalenko", "0492334455"),
    ("Noah", "Peeters", "Sara Peeters", "0470998877"),
    ("Adam", "El Amrani", "Ahmed El Amrani", "0486112233"),
]

MODELS = {
    DeviceKind.LAPTOP: [("Lenovo", "ThinkPad T480", "i5, 8 GB, 256 GB SSD"),
                        ("HP", "EliteBook 840 G5", "i5, 8 GB, 256 GB SSD"),
                        ("Dell", "Latitude 5490", "i5, 8 GB, 240 GB SSD")],
    DeviceKind.TABLET: [("Samsung", "Galaxy Tab A8", "10,5 inch, 32 GB"),
                        ("Lenovo", "Tab M10", "10,1 inch, 32 GB")],
    DeviceKind.SMARTPHONE: [("Samsung", "Galaxy A32", "128 GB"),
                            ("Motorola", "Moto G30", "128 GB")],
}

# How many demo devices end in each state, per kind (laptops, tablets, phones).
TARGETS = [
    ("received", 9, 3, 2), ("refurbishing", 9, 3, 3), ("ready", 14, 5, 3),
    ("in_transit", 4, 2, 2), ("at_point", 16, 6, 6), ("reserved", 3, 1, 1),
    ("on_loan", 18, 8, 4), ("school_loan", 4, 0, 0), ("returned", 4, 2, 2),
    ("in_repair", 4, 3, 2), ("retired", 4, 2, 1),
]


def _resident(first, last, phone, email="") -> Resident:
    resident = Resident.objects.filter(first_name=first, last_name=last).first()
    if resident is None:
        resident = Resident.objects.create(first_name=first, last_name=last, phone=phone,
                                           email=email)
    return resident


def _subscription(resident, plan, actor, **extra) -> Subscription:
    existing = resident.subscriptions.open().first()
    if existing is not None:
        return existing
    return services.start_subscription(actor=actor, resident=resident, plan=plan, **extra)


def _new_device(tag: str, kind: str, n: int) -> Device:
    brand, model, specs = MODELS[kind][n % len(MODELS[kind])]
    return services.register_device(
        actor=None, kind=kind, brand=brand, model_name=model, specs=specs, asset_tag=tag,
        serial=f"SN{n:06d}", year_of_manufacture=2017 + n % 6,
        functional_grade=Grade.A if n % 3 else Grade.B,
        cosmetic_grade=[Grade.A, Grade.B, Grade.C][n % 3], battery_health=70 + n % 30,
        software_profile=SoftwareProfile.BASIC, note="Schenking")


def _to_point(device, point, atelier, host) -> None:
    services.send_to_point(actor=atelier, device=device, point=point)
    services.receive_at_point(actor=host, device=device, point=point)


class _Slots:
    """Hands out borrowers whose laptop or mobile slot is still free."""

    def __init__(self, subscriptions):
        self.subscriptions = subscriptions

    def take(self, kind: str):
        slot = "laptop" if kind == DeviceKind.LAPTOP else "mobile"
        for subscription in self.subscriptions:
            busy = Loan.objects.active().filter(resident=subscription.resident, slot=slot)
            waiting = Reservation.objects.open().filter(resident=subscription.resident,
                                                        slot=slot)
            if not busy.exists() and not waiting.exists():
                return subscription
        return None


def seed(stdout=None) -> None:
    plans = {}
    for slug, name, fee, deposit, includes, note in PLANS:
        plans[slug], _created = SubscriptionPlan.objects.update_or_create(
            slug=slug, defaults={"name": name, "monthly_fee": fee, "deposit": deposit,
                                 "includes": includes, "eligibility_note": note})
    school, _created = Partner.objects.update_or_create(
        slug=SCHOOL[1], defaults={"name": SCHOOL[0], "kind": PartnerKind.SCHOOL})
    host = User.objects.filter(username="host").first()
    social = Partner.objects.filter(kind=PartnerKind.SOCIAL_SERVICES).first()

    subscriptions = []
    for n, (first, last, phone, email) in enumerate(BORROWERS):
        resident = _resident(first, last, phone, email)
        plan = plans["sociaal-tarief"] if n % 4 == 0 else plans["basis"]
        subscriptions.append(_subscription(resident, plan, host,
                                           referred_by=social if n % 4 == 0 else None))
    # Also a referral still to confirm and an ended subscription.
    _subscription(_resident("Wim", "Coppens", "0477000111"), plans["basis"], host,
                  referred_by=social, referred_only=True)
    ended = _resident("Rosa", "Lambrechts", "0477000222")
    if not ended.subscriptions.exists():
        services.end_subscription(actor=host, subscription=_subscription(
            ended, plans["basis"], host))
    for first, last, guardian, phone in PUPILS:
        _subscription(_resident(first, last, ""), plans["school"], host, referred_by=school,
                      guardian_name=guardian, guardian_phone=phone)
    created = 0
    for n, (tag, kind, _target) in enumerate(demo_devices(), start=1):
        if not Device.objects.filter(asset_tag=tag).exists():
            _new_device(tag, kind, n)
            created += 1
    if stdout:
        stdout.write(f"  devices: {Device.objects.count()} devices ({created} new, "
                     "taken to their state by the atelier's demo)")


def demo_devices() -> list[tuple[str, str, str]]:
    """Each demo device's tag, kind and the state it ends in."""
    rows = []
    for target, *per_kind in TARGETS:
        for kind, count in zip(
                (DeviceKind.LAPTOP, DeviceKind.TABLET, DeviceKind.SMARTPHONE), per_kind,
                strict=True):
            for _i in range(count):
                rows.append((f"DB-{len(rows) + 1:05d}", kind, target))
    return rows


def drive(workshop) -> int:
    """Take each demo device that is still as registered to its demo state,
    through the services. ``workshop`` is the atelier's: ``refurbish(device)``
    opens a job and ``finish(device)`` wipes every disk, signs off every step
    and makes the device ready; ``scrap(device, note)`` retires it."""
    points = list(Point.objects.filter(is_active=True).order_by("name"))
    host = User.objects.filter(username="host").first()
    atelier = User.objects.filter(username="atelier").first()
    subscriptions = list(Subscription.objects.open().filter(
        resident__first_name__in=[first for first, *_rest in BORROWERS],
        status="active", guardian_name="").select_related("resident").order_by("pk"))
    pupils = list(Subscription.objects.open().exclude(guardian_name="").order_by("pk"))
    slots = _Slots(subscriptions)
    driven = 0
    for n, (tag, _kind, target) in enumerate(demo_devices(), start=1):
        device = Device.objects.filter(asset_tag=tag, status=DeviceStatus.RECEIVED).first()
        if device is None or target == "received" or device.events.count() > 1:
            continue
        driven += 1
        point = points[n % len(points)] if points else None
        _drive(device, target, point, atelier, host, slots, pupils, workshop)
    # A few residents wait in the queue for a tablet.
    if points and not Reservation.objects.filter(status="waiting").exists():
        for subscription in subscriptions[-3:]:
            if slots.take(DeviceKind.TABLET) is not None and not Reservation.objects.open(
                    ).filter(resident=subscription.resident, slot="mobile").exists() and not \
                    Loan.objects.active().filter(resident=subscription.resident,
                                                 slot="mobile").exists():
                services.request_reservation(actor=host, subscription=subscription,
                                             kind=DeviceKind.TABLET, pickup_point=points[0])
    # Some loans are almost a year old, so their yearly check is coming up.
    if driven:
        today = timezone.localdate()
        for days, loan in zip((3, 10, 20, -5), Loan.objects.filter(
                status="issued", device__asset_tag__startswith="DB-").order_by("pk")[:4],
                strict=False):
            Loan.objects.filter(pk=loan.pk).update(check_due_on=today + timedelta(days=days))
    return driven


def _drive(device, target, point, atelier, host, slots, pupils, workshop) -> None:
    """Take a freshly received demo device to ``target`` through the services."""
    workshop.refurbish(device)
    if target == "refurbishing":
        return
    if target == "retired":
        workshop.scrap(device, "Moederbord defect")
        return
    workshop.finish(device)
    if target == "ready" or point is None:
        return
    if target == "in_transit":
        services.send_to_point(actor=atelier, device=device, point=point)
        return
    if target == "reserved":
        subscription = slots.take(device.kind)
        if subscription is None:
            return
        reservation = services.request_reservation(
            actor=host, subscription=subscription, kind=device.kind, pickup_point=point)
        services.reserve_device(actor=atelier, device=device, reservation=reservation)
        _to_point(device, point, atelier, host)
        return
    _to_point(device, point, atelier, host)
    if target == "at_point":
        return
    if target == "school_loan":
        pupil = next((s for s in pupils if not s.loans.filter(
            Q(status="issued") | Q(status="reserved")).exists()), None)
        if pupil is not None:
            services.issue_loan(actor=host, device=device, subscription=pupil, point=point)
        return
    subscription = slots.take(device.kind)
    if subscription is None:
        return
    services.issue_loan(actor=host, device=device, subscription=subscription, point=point)
    if target == "returned":
        services.return_device(actor=host, device=device, point=point, condition="worn",
                               note="Lader zat erbij")
    elif target == "in_repair":
        services.report_defect(actor=host, device=device, point=point,
                               problem="Hij start niet meer op sinds gisteren.")
