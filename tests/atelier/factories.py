"""Builders for atelier tests."""

import itertools

from atelier.models import (
    Donation,
    JobReason,
    RefurbishJob,
    RepairTicket,
    SoftwareProfile,
    Worker,
    WorkerKind,
)
from devices.models import DefectReport, DeviceStatus
from tests.devices.factories import make_device

_seq = itertools.count(1)


def make_donation(donor: str = "Stad Mechelen", **fields) -> Donation:
    return Donation.objects.create(donor=donor, **fields)


def make_profile(name: str = "Basis volwassenen", version: str = "1.0", **fields):
    return SoftwareProfile.objects.get_or_create(name=name, version=version,
                                                 defaults=fields)[0]


def make_job(device=None, *, reason: str = JobReason.DONATION, **fields) -> RefurbishJob:
    """An open job on a device that is being refurbished at the atelier."""
    device = device or make_device(status=DeviceStatus.REFURBISHING)
    return RefurbishJob.objects.create(device=device, reason=reason, **fields)


def make_ticket(device=None, *, point=None, loan=None, **fields) -> RepairTicket:
    """An open ticket on a device in repair (at ``point``, or the atelier)."""
    device = device or make_device(status=DeviceStatus.IN_REPAIR, point=point)
    report = DefectReport.objects.create(device=device, loan=loan, problem="Start niet op",
                                         reported_at_point=point)
    fields.setdefault("problem", report.problem)
    return RepairTicket.objects.create(device=device, defect_report=report, loan=loan,
                                       reported_at_point=point, **fields)


def make_worker(name: str | None = None, kind: str = WorkerKind.VOLUNTEER, **fields) -> Worker:
    return Worker.objects.create(name=name or f"Werker {next(_seq)}", kind=kind, **fields)
