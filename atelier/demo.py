"""Demo atelier: the devices demo's devices taken through their
refurbishing jobs (a wipe of every disk) to their demo state, two donation
batches with devices at every refurbishing step (one disk that failed its
wipe and was destroyed, one device scrapped), repair tickets with every
outcome, a yearly check, workers and their hours.

Everything goes through the services, so each device's history is real.
Idempotent: donations, profiles and workers have fixed natural keys; a
donation that exists is left alone, and so are tickets already opened.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from atelier import services
from atelier.models import (
    Donation,
    JobReason,
    JobStatus,
    RepairTicket,
    SoftwareProfile,
    Step,
    Worker,
    WorkerKind,
    WorkLog,
    YearlyCheck,
)
from devices import demo as devices_demo
from devices.models import DefectReport, DeviceKind, DeviceStatus, Loan
from devices.services import return_to_atelier
from digibank.models import User
from outreach.models import Partner, PartnerKind

PROFILES = [
    ("Basis volwassenen", "2026.1", "basic",
     "Linux Mint, Firefox, LibreOffice, eID-software, itsme-uitleg op het bureaublad."),
    ("Secundair onderwijs", "2026.1", "school",
     "Linux Mint, Firefox, LibreOffice, Smartschool-snelkoppeling, GeoGebra."),
]
DONATIONS = [
    ("Stad Mechelen, ICT-dienst", "ict@example.org", 10, "pickup", DeviceKind.LAPTOP),
    ("Kantoor Zonnig BV", "info@example.org", 8, "dropoff", DeviceKind.TABLET),
]
WORKERS = [
    ("Ahmed Benali", WorkerKind.EMPLOYEE, False),
    ("Greta Claes", WorkerKind.VOLUNTEER, False),
    ("Johan De Smet", WorkerKind.VOLUNTEER, False),
    ("Kevin Mertens", WorkerKind.SOCIAL_ECONOMY, True),
    ("Sara Aerts", WorkerKind.SOCIAL_ECONOMY, True),
]
SHELTERED = ("Maatwerkbedrijf De Ateljee", "maatwerkbedrijf-de-ateljee")


def _drive(job, stop: int, actor, profile) -> None:
    """Take a fresh job through its first ``stop`` steps (6: finished)."""
    device = job.device
    if stop == 0:
        return
    services.record_wipe(actor=actor, job=job, medium_serial=f"{device.asset_tag}-SSD",
                         medium_model="Samsung PM871", method="purge", result="passed",
                         tool="nwipe", tool_version="0.35", verification="Steekproef 5 %")
    for step in list(Step.values)[: min(stop, 5)]:
        services.sign_off_step(actor=actor, job=job, step=step, software_profile=profile,
                               functional_grade="A", cosmetic_grade="B", battery_health=84,
                               screen_ok=True, keyboard_ok=True, ports_ok=True)
    if stop >= 6:
        services.finish_job(actor=actor, job=job)


class _Workshop:
    """What the devices demo asks of the atelier: a job per device, a
    wipe of every disk and every step signed off before it is lent."""

    def __init__(self, actor, profile):
        self.actor, self.profile = actor, profile

    def refurbish(self, device) -> None:
        services.start_refurbish_job(actor=self.actor, device=device,
                                     reason=JobReason.DONATION, note="Schenking")

    def finish(self, device) -> None:
        _drive(device.refurbish_jobs.get(status=JobStatus.OPEN), 6, self.actor, self.profile)

    def scrap(self, device, note: str) -> None:
        job = device.refurbish_jobs.get(status=JobStatus.OPEN)
        services.record_wipe(actor=self.actor, job=job, medium_serial=f"{device.asset_tag}-SSD",
                             medium_model="Samsung PM871", method="destroy", result="passed",
                             tool="Shredder", verification="Visueel gecontroleerd")
        services.scrap_job(actor=self.actor, job=job, note=note)


def _donations(actor, profile) -> int:
    created = 0
    for d, (donor, contact, count, method, second_kind) in enumerate(DONATIONS):
        if Donation.objects.filter(donor=donor).exists():
            continue
        created += 1
        donation = services.register_donation(
            actor=actor, donor=donor, donor_contact=contact, expected_count=count,
            method=method, received_on=timezone.localdate() - timedelta(days=30 - 10 * d))
        for n in range(count):
            kind = DeviceKind.LAPTOP if n % 3 or d == 0 else second_kind
            job = services.receive_donated_device(
                actor=actor, donation=donation, kind=kind,
                brand="Lenovo" if kind == DeviceKind.LAPTOP else "Samsung",
                model_name="ThinkPad L480" if kind == DeviceKind.LAPTOP else "Galaxy Tab A7",
                serial=f"DON{d}{n:04d}", asset_tag=f"AT-{d + 1}{n:03d}")
            if d == 0 and n == 0:
                # An overwrite that failed: the disk was then destroyed.
                services.record_wipe(actor=actor, job=job, medium_serial="WD-FAIL-1",
                                     medium_model="WD Blue 500 GB", method="clear",
                                     result="failed", tool="nwipe", tool_version="0.35")
                services.record_wipe(actor=actor, job=job, medium_serial="WD-FAIL-1",
                                     medium_model="WD Blue 500 GB", method="destroy",
                                     result="passed", tool="Shredder",
                                     verification="Visueel gecontroleerd")
                services.scrap_job(actor=actor, job=job, note="Schijf vernietigd, "
                                   "moederbord defect: onderdelen")
                continue
            _drive(job, n % 7, actor, profile)
    return created


def _repairs(actor) -> None:
    """Tickets for the devices demo's defect reports: all outcomes; one
    report stays without a ticket, as it would on a busy day."""
    reports = list(DefectReport.objects.filter(repair_ticket__isnull=True)
                   .select_related("device").order_by("pk"))
    if RepairTicket.objects.exists() or len(reports) < 2:
        return
    outcomes = [("fixed", "screen", ""), ("repairable", "charger", ""),
                ("end_of_life", "power", "parts_unavailable"), (None, "storage", ""),
                (None, "unknown", "")]
    for report, (outcome, fault, barrier) in zip(reports[:-1], outcomes, strict=False):
        ticket = services.open_ticket_for_report(actor=actor, report=report)
        if outcome is None:
            continue
        if report.device.point_id is not None:
            return_to_atelier(actor=actor, device=report.device)
        services.resolve_ticket(actor=actor, ticket=ticket, outcome=outcome, fault=fault,
                                barrier=barrier, parts_used="Scherm" if fault == "screen"
                                else "", minutes_spent=40)


def seed(stdout=None) -> None:
    actor = User.objects.filter(username="atelier").first()
    profiles = [SoftwareProfile.objects.update_or_create(
        name=name, version=version, defaults={"device_profile": kind, "contents": contents})[0]
        for name, version, kind, contents in PROFILES]
    driven = devices_demo.drive(_Workshop(actor, profiles[0]))
    created = _donations(actor, profiles[0])
    _repairs(actor)
    loan = Loan.objects.checks_due(timezone.localdate() + timedelta(days=28)).filter(
        device__status=DeviceStatus.ON_LOAN).order_by("pk").first()
    if loan is not None and not YearlyCheck.objects.exists():
        services.record_yearly_check(actor=actor, loan=loan, result="pass",
                                     point=loan.handed_out_at_point, battery_health=80,
                                     findings="Werkt goed, batterij 80 %")
    sheltered, _created = Partner.objects.update_or_create(
        slug=SHELTERED[1], defaults={"name": SHELTERED[0], "kind": PartnerKind.OTHER})
    today = timezone.localdate()
    for name, kind, via in WORKERS:
        worker, _created = Worker.objects.update_or_create(
            name=name, defaults={"kind": kind, "organisation": sheltered if via else None})
        for days_ago in range(1, 29, 3):
            WorkLog.objects.get_or_create(
                worker=worker, day=today - timedelta(days=days_ago),
                defaults={"hours": Decimal("3.5") if kind == WorkerKind.VOLUNTEER else
                          Decimal("7.6"), "tasks": "Laptops wissen, testen en installeren",
                          "recorded_by": actor})
    if stdout:
        stdout.write(f"  atelier: {driven} demo devices refurbished and moved on, "
                     f"{Donation.objects.count()} donations ({created} new), "
                     f"{RepairTicket.objects.count()} repair tickets, "
                     f"{Worker.objects.count()} workers")
