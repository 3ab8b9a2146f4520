"""State changes of the atelier: donations, refurbishing jobs and their
steps, wipe records, repair tickets, yearly checks and hours worked.

Every device status change goes through ``devices.services`` so that the
device's ``DeviceEvent`` history stays the one story of the device; atelier
steps that do not change the status are written into that history too
(same status before and after, with a note). Each public function runs in
one transaction, locks the row whose state changes and raises
``AtelierError`` (a ``LoanError``, so device rules and atelier rules reach
the user alike) when a rule is broken.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from atelier.models import (
    PASSING_WIPE_RESULTS,
    CertificateSequence,
    CheckResult,
    Donation,
    ErasureCertificate,
    JobReason,
    JobStatus,
    RefurbishJob,
    RepairOutcome,
    RepairTicket,
    SoftwareProfile,
    Step,
    TicketStatus,
    WipeMethod,
    WipeRecord,
    WipeResult,
    Worker,
    WorkLog,
    YearlyCheck,
)
from devices import services as device_services
from devices.models import (
    LENDING_STATUSES,
    DataState,
    DefectReport,
    Device,
    DeviceEvent,
    DeviceStatus,
    Loan,
    LoanStatus,
    ReturnCondition,
    SubscriptionStatus,
)
from devices.services import LoanError
from digibank.models import AuditAction, User
from digibank.services import notify_resident, record_audit
from points.models import Point

STALE_TICKET_DAYS = 14


class AtelierError(LoanError):
    """A rule of the atelier was broken; the message is for the user."""


def _log(device: Device, actor: User | None, note: str, *, loan: Loan | None = None) -> None:
    """Write an atelier step that keeps the device's status into its history."""
    DeviceEvent.objects.create(
        device=device, actor=actor, from_status=device.status, to_status=device.status,
        from_point=device.point, to_point=device.point, where=device.point, loan=loan,
        note=note[:300])


# --- The wipe gate (registered with devices) ----------------------------------


def wipe_gate_problem(device: Device, to_status: str, loan: Loan | None = None,
                      *, recheck: bool = False) -> str | None:
    """THE rule: why ``device`` may not become ``to_status`` (available,
    on its way to a point, set aside, lent), or None when it may.

    A device goes towards a borrower only when its latest refurbishing job
    is finished with a passed wipe record for every storage medium (or the
    medium destroyed), and no loan, donation intake or repair came after
    that job (``wipe_proof_problem``). The one exception: a repaired device
    going back, reserved, to the borrower whose data it holds. Moves within
    lending (ready -> on its way -> at the point -> reserved -> lent) carry
    the device's proven ``data_state``, which the database keeps true for
    every device in those statuses; ``recheck`` checks the records anyway.
    ``devices.services._move`` asks this before every such move."""
    if to_status not in LENDING_STATUSES:
        return None
    if device.data_state == DataState.BORROWER:
        if to_status in (DeviceStatus.IN_TRANSIT, DeviceStatus.RESERVED,
                         DeviceStatus.ON_LOAN) and _back_to_its_borrower(device, loan):
            return None
        if recheck and device.status == to_status == DeviceStatus.ON_LOAN:
            # Lent now: was it proven wiped before this loan?
            return wipe_proof_problem(device)
        return _("%(tag)s still holds its last borrower's data: wipe it in a refurbishing job "
                 "before anyone else can borrow it.") % {"tag": device.asset_tag}
    if (device.data_state == DataState.WIPED and device.status in LENDING_STATUSES
            and not recheck):
        return None
    return wipe_proof_problem(device)


def _back_to_its_borrower(device: Device, loan: Loan | None) -> bool:
    """Is the device going to (set aside for, lent to) the resident who
    borrowed it last?"""
    loan = loan or device.loans.filter(status=LoanStatus.RESERVED).first()
    if loan is None:
        return False
    last = (device.loans.exclude(pk=loan.pk).filter(handed_out_at__isnull=False)
            .order_by("-handed_out_at", "-pk").first())
    return last is not None and last.resident_id == loan.resident_id


def wipe_proof_problem(device: Device) -> str | None:
    """Why the atelier's records do not prove ``device`` wiped since its
    last use, or None: its latest refurbishing job is finished, every
    storage medium has a passing (or destroyed) wipe record in it, no loan,
    repair or donation intake came after it, and its data state says so."""
    not_proven = _("%(tag)s cannot be lent yet: its data has not been proven wiped. "
                   "Open its refurbishing job, record a passed wipe for every disk and sign "
                   "off every step.") % {"tag": device.asset_tag}
    job = device.refurbish_jobs.order_by("-opened_at", "-pk").first()
    if job is None:
        return not_proven
    if job.status == JobStatus.OPEN:
        return _("Finish the refurbishing job of %(tag)s first: it cannot be lent before "
                 "every disk is proven wiped and every step is signed off.") % {
            "tag": device.asset_tag}
    if job.status != JobStatus.DONE or job.wipe_at is None:
        return not_proven
    if message := wipe_gate_message(job):
        return message
    if message := hardware_test_problem(job):
        return message
    since = job.finished_at
    used = (device.loans.filter(handed_out_at__gt=since)
            .exclude(status__in=[LoanStatus.RESERVED, LoanStatus.ISSUED]).exists()
            or DefectReport.objects.filter(device=device, reported_at__gt=since).exists()
            or device.repair_tickets.filter(opened_at__gt=since).exists())
    if used or device.data_state not in (DataState.WIPED, DataState.BORROWER):
        return _("%(tag)s was lent or repaired after its last wipe: wipe it again in a "
                 "refurbishing job before it can be lent.") % {"tag": device.asset_tag}
    return None


def wipe_gate_message(job: RefurbishJob) -> str | None:
    """Why the wipe step cannot be signed off yet, or None. Every storage
    medium of the device needs a passing record; a later record for the
    same medium (for example "destroyed" after a failed overwrite) replaces
    an earlier one."""
    latest: dict[str, WipeRecord] = {}
    for record in job.wipes.order_by("wiped_at", "pk"):
        latest[record.medium_serial.upper()] = record
    if not latest:
        return _("Record the wipe of each disk first.")
    failed = [serial for serial, record in latest.items()
              if record.result not in PASSING_WIPE_RESULTS]
    if failed:
        return _("The wipe of disk %(serial)s failed. Wipe it again or destroy it, and "
                 "record that.") % {"serial": ", ".join(failed)}
    expected = job.device.storage_media
    if len(latest) < expected:
        return _("%(tag)s has %(expected)s disks and only %(count)s of them have a wipe "
                 "record: record the wipe of every disk.") % {
            "tag": job.device.asset_tag, "expected": expected, "count": len(latest)}
    return None


# The parts the hardware test checks, as the test form names them.
_TESTED_PARTS = (("test_screen_ok", gettext_lazy("Screen")),
                 ("test_keyboard_ok", gettext_lazy("Keyboard, touchpad and buttons")),
                 ("test_ports_ok", gettext_lazy("Ports, Wi-Fi and Bluetooth")))


def hardware_test_problem(job: RefurbishJob) -> str | None:
    """THE hardware rule: why ``job``'s device may not be graded or made
    ready, or None. While the latest hardware test of the job found a part
    not working, the device is repaired and tested again
    (``retest_hardware``) first. ``sign_off_step`` (grading),
    ``finish_job`` and the wipe gate (every door towards a borrower) ask it."""
    faults = [str(label).lower() for name, label in _TESTED_PARTS
              if getattr(job, name) is False]
    if not faults:
        return None
    return _("The hardware test of %(tag)s found a fault: %(faults)s does not work. Repair "
             "the device and do the hardware test again before it is graded or lent.") % {
        "tag": job.device.asset_tag, "faults": ", ".join(faults)}


def _test_findings(job: RefurbishJob) -> str:
    """What a hardware test found, in a line for the device's history."""
    parts = [f"{label}: {_('yes') if getattr(job, name) else _('no')}"
             for name, label in _TESTED_PARTS if getattr(job, name) is not None]
    if job.test_battery_health is not None:
        parts.append(_("battery %(percent)s%%") % {"percent": job.test_battery_health})
    if job.test_notes:
        parts.append(job.test_notes)
    return "; ".join(parts)


def _check_test_results(*, battery_health, screen_ok, keyboard_ok, ports_ok,
                        test_notes) -> None:
    if None in (screen_ok, keyboard_ok, ports_ok):
        raise AtelierError(_("Say whether the screen, the keyboard and the ports work."))
    if battery_health is not None and not 0 <= battery_health <= 100:
        raise AtelierError(_("Give the battery health as a percentage from 0 to 100."))
    if any(ok is False for ok in (screen_ok, keyboard_ok, ports_ok)) and not \
            test_notes.strip():
        raise AtelierError(_("Write down what does not work."))


def _set_test_results(job: RefurbishJob, *, battery_health, screen_ok, keyboard_ok,
                      ports_ok, test_notes) -> None:
    job.test_screen_ok, job.test_keyboard_ok, job.test_ports_ok = (
        screen_ok, keyboard_ok, ports_ok)
    job.test_battery_health, job.test_notes = battery_health, test_notes.strip()[:300]


# --- Donations and jobs -------------------------------------------------------


@transaction.atomic
def register_donation(*, actor: User | None, donor: str, received_on: date | None = None,
                      expected_count: int = 0, method: str = "dropoff", donor_contact: str = "",
                      note: str = "") -> Donation:
    """Record a batch of donated devices as it comes in."""
    return Donation.objects.create(
        donor=donor, donor_contact=donor_contact, received_on=received_on or
        timezone.localdate(), expected_count=expected_count, method=method, note=note,
        created_by=actor)


# Why a job opens, after where the device came from.
_REASON_AFTER = {DeviceStatus.RECEIVED: JobReason.DONATION, DeviceStatus.IN_REPAIR:
                 JobReason.REPAIR}


def open_job_for_move(device: Device, *, actor: User | None, from_status: str,
                      note: str = "") -> RefurbishJob:
    """The device's open refurbishing job, opened now if it has none.

    Registered with devices: ``devices.services._move`` calls it in the
    transaction of every move into refurbishing, so no door (the status
    form, the admin, an import, a return, a repair's outcome) leaves a
    device "being refurbished" without a job on the board. A device that
    comes back from a repair during its job keeps that job."""
    job = RefurbishJob.objects.open().filter(device=device).first()
    if job is not None:
        return job
    try:
        with transaction.atomic():
            return RefurbishJob.objects.create(
                device=device, reason=_REASON_AFTER.get(from_status, JobReason.RETURN),
                note=note[:300])
    except IntegrityError as exc:  # a second move racing this one
        raise AtelierError(_("This device already has a refurbishing job.")) from exc


@transaction.atomic
def receive_donated_device(*, actor: User | None, donation: Donation, **fields) -> RefurbishJob:
    """Register one device of a donation and open its refurbishing job.
    Refused once the donation's erasure certificate is issued: it speaks for
    the devices it lists, and a device added later would not be on it."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    certificate = ErasureCertificate.objects.filter(donation=donation).first()
    if certificate is not None:
        raise AtelierError(_(
            "Certificate %(number)s of this donation is issued and lists the devices it "
            "covers; it does not change afterwards. Register this device under a follow-up "
            "donation of %(donor)s: it gets its own certificate.") % {
            "number": certificate.number, "donor": donation.donor})
    device = device_services.register_device(
        actor=actor, note=_("Donation: %(donor)s") % {"donor": donation.donor}, **fields)
    device_services.change_device_status(actor=actor, device=device,
                                         status=DeviceStatus.REFURBISHING)
    job = RefurbishJob.objects.open().get(device=device)
    job.donation, job.reason = donation, JobReason.DONATION
    job.save(update_fields=["donation", "reason"])
    return job


@transaction.atomic
def start_refurbish_job(*, actor: User | None, device: Device,
                        reason: str = JobReason.RETURN, note: str = "") -> RefurbishJob:
    """Open a refurbishing job for a device at the atelier (received,
    returned, back from repair, or already refurbishing without a job)."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.point_id is not None:
        raise AtelierError(_("Bring the device to the atelier first."))
    paused = RefurbishJob.objects.open().filter(device=device).first()
    if device.status == DeviceStatus.REFURBISHING:
        if paused is not None:
            raise AtelierError(_("This device already has a refurbishing job."))
        job = open_job_for_move(device, actor=actor, from_status=device.status, note=note)
    else:
        # The move opens the job (or takes up the one a repair interrupted).
        device_services.change_device_status(actor=actor, device=device,
                                             status=DeviceStatus.REFURBISHING, note=note)
        job = RefurbishJob.objects.open().get(device=device)
    if paused is None:
        job.reason, job.note = reason, note[:300]
        job.save(update_fields=["reason", "note"])
    return job


def _lock_job(job: RefurbishJob) -> RefurbishJob:
    job = RefurbishJob.objects.select_for_update().select_related("device").get(pk=job.pk)
    if job.status != JobStatus.OPEN:
        raise AtelierError(_("This job is closed."))
    return job


@transaction.atomic
def record_wipe(*, actor: User | None, job: RefurbishJob, medium_serial: str, method: str,
                result: str, medium_model: str = "", tool: str = "", tool_version: str = "",
                verification: str = "", validator: User | None = None,
                warning: str = "") -> WipeRecord:
    """Record the erasure of one storage medium (NIST SP 800-88 method).
    The certificate number is fixed here and printed on the donor's
    certificate; a pass with a warning keeps the warning's text, which the
    certificate shows."""
    job = _lock_job(job)
    if job.wipe_at is not None:
        raise AtelierError(_("The wipe step is already signed off."))
    medium_serial = medium_serial.strip()
    if not medium_serial:
        raise AtelierError(_("Fill in the serial number of the disk."))
    warning = warning.strip()[:200] if result == WipeResult.WARNING else ""
    if result == WipeResult.WARNING and not warning:
        raise AtelierError(_("Write down what the tool warned about."))
    now = timezone.now()
    number = f"W-{now:%Y%m%d}-{job.device.asset_tag.upper()}-{job.device.wipes.count() + 1}"
    record = WipeRecord.objects.create(
        job=job, device=job.device, medium_serial=medium_serial, medium_model=medium_model,
        method=method, tool=tool, tool_version=tool_version, verification=verification,
        result=result, warning=warning, certificate_number=number, operator=actor,
        validator=validator, wiped_at=now)
    _log(job.device, actor, _("Disk %(serial)s wiped (%(method)s): %(result)s") % {
        "serial": medium_serial, "method": record.get_method_display(),
        "result": record.get_result_display()})
    return record


@transaction.atomic
def sign_off_step(*, actor: User | None, job: RefurbishJob, step: str,
                  software_profile: SoftwareProfile | None = None,
                  functional_grade: str = "", cosmetic_grade: str = "",
                  battery_health: int | None = None, screen_ok: bool | None = None,
                  keyboard_ok: bool | None = None, ports_ok: bool | None = None,
                  test_notes: str = "") -> RefurbishJob:
    """Sign off the next refurbishing step. Steps go in order; the wipe
    needs a passing record per disk, the hardware test whether the screen,
    keyboard and ports work (with the battery health and notes, saved with
    it), the installation a software profile, the grading both grades."""
    job = _lock_job(job)
    if step != job.next_step:
        raise AtelierError(_("Sign off the steps in order; next is: %(step)s.") % {
            "step": Step(job.next_step).label if job.next_step else "–"})
    device = Device.objects.select_for_update().get(pk=job.device_id)
    if step == Step.WIPE and (message := wipe_gate_message(job)):
        raise AtelierError(message)
    results = {"battery_health": battery_health, "screen_ok": screen_ok,
               "keyboard_ok": keyboard_ok, "ports_ok": ports_ok, "test_notes": test_notes}
    if step == Step.TEST:
        _check_test_results(**results)
        _set_test_results(job, **results)
    if step == Step.INSTALL:
        if software_profile is None:
            raise AtelierError(_("Choose the software profile that was installed."))
        job.software_profile = software_profile
        device.software_profile = software_profile.device_profile
        device.save(update_fields=["software_profile"])
    if step == Step.GRADE:
        if message := hardware_test_problem(job):
            raise AtelierError(message)
        if not functional_grade or not cosmetic_grade:
            raise AtelierError(_("Give both the functional and the cosmetic grade."))
        device.functional_grade, device.cosmetic_grade = functional_grade, cosmetic_grade
        # Measured once, by the hardware test (or its retest).
        device.battery_health = job.test_battery_health
        device.save(update_fields=["functional_grade", "cosmetic_grade", "battery_health"])
    setattr(job, f"{step}_at", timezone.now())
    setattr(job, f"{step}_by", actor)
    job.save()
    _log(device, actor, _("Step signed off: %(step)s") % {"step": Step(step).label})
    return job


@transaction.atomic
def retest_hardware(*, actor: User | None, job: RefurbishJob, screen_ok: bool | None,
                    keyboard_ok: bool | None, ports_ok: bool | None,
                    battery_health: int | None = None, test_notes: str = "") -> RefurbishJob:
    """Record a new hardware test of an open job whose test step is signed
    off (after a repair, typically). Its results replace the earlier ones,
    which stay in the device's history; ``hardware_test_problem`` reads the
    new ones, so a passing retest lets the job be graded and finished."""
    job = _lock_job(job)
    if job.test_at is None:
        raise AtelierError(_("Sign off the hardware test step first."))
    results = {"battery_health": battery_health, "screen_ok": screen_ok,
               "keyboard_ok": keyboard_ok, "ports_ok": ports_ok, "test_notes": test_notes}
    _check_test_results(**results)
    before = _test_findings(job)
    _set_test_results(job, **results)
    job.test_at, job.test_by = timezone.now(), actor
    job.save()
    device = Device.objects.select_for_update().get(pk=job.device_id)
    if job.grade_at is not None and device.battery_health != job.test_battery_health:
        device.battery_health = job.test_battery_health
        device.save(update_fields=["battery_health"])
    _log(device, actor, _("Hardware test done again: %(now)s (before: %(before)s)") % {
        "now": _test_findings(job), "before": before})
    return job


@transaction.atomic
def finish_job(*, actor: User | None, job: RefurbishJob) -> RefurbishJob:
    """Close a job whose steps are all signed off; the device becomes ready."""
    job = _lock_job(job)
    if job.next_step is not None:
        raise AtelierError(_("Not every step is signed off yet."))
    if message := wipe_gate_message(job) or hardware_test_problem(job):
        raise AtelierError(message)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    device_services.mark_data_wiped(actor=actor, device=job.device, note=_(
        "Every disk wiped: %(numbers)s") % {"numbers": ", ".join(
            job.wipes.order_by("wiped_at", "pk").values_list("certificate_number", flat=True))})
    device_services.change_device_status(actor=actor, device=job.device,
                                         status=DeviceStatus.READY,
                                         note=_("Refurbished: every step signed off"))
    return job


@transaction.atomic
def scrap_job(*, actor: User | None, job: RefurbishJob, note: str) -> RefurbishJob:
    """Give up on a device during refurbishing: it is retired (recycling or
    parts). Its disks still need a wipe record or a destroy record first."""
    job = _lock_job(job)
    if not note.strip():
        raise AtelierError(_("Say why the device cannot be used."))
    if job.device.wipes.exists() and wipe_gate_message(job):
        raise AtelierError(wipe_gate_message(job))
    job.status = JobStatus.SCRAPPED
    job.finished_at = timezone.now()
    job.note = note[:300]
    job.save(update_fields=["status", "finished_at", "note"])
    device_services.change_device_status(actor=actor, device=job.device,
                                         status=DeviceStatus.RETIRED, note=note)
    return job


# --- The donor's data-erasure certificate -----------------------------------


@dataclass
class ErasedMedium:
    """One storage medium on the certificate: its final wipe record (the one
    that counts) and the failed attempts before it."""

    record: WipeRecord
    failed_before: list[WipeRecord] = field(default_factory=list)

    @property
    def destroyed(self) -> bool:
        return self.record.method == WipeMethod.DESTROY


@dataclass
class DonatedDevice:
    device: Device
    job: RefurbishJob
    media: list[ErasedMedium]
    problems: list[str]


def erasure_proof(donation: Donation) -> list[DonatedDevice]:
    """Every device of ``donation`` with the final wipe record of each of its
    storage media (from the donation's refurbishing job) and what is still
    missing before the donor's certificate may say its data is gone: a disk
    without a record, a failed wipe not yet redone or destroyed, or a wipe
    step not signed off (records can still change until it is)."""
    jobs = (donation.jobs.select_related("device")
            .prefetch_related("wipes__operator").order_by("device__asset_tag", "pk"))
    proof = []
    for job in jobs:
        device = job.device
        by_medium: dict[str, ErasedMedium] = {}
        for record in sorted(job.wipes.all(), key=lambda r: (r.wiped_at, r.pk)):
            key = record.medium_serial.upper()
            earlier = by_medium.get(key)
            failed = earlier.failed_before if earlier else []
            if earlier and not earlier.record.passed:
                failed = [*failed, earlier.record]
            by_medium[key] = ErasedMedium(record=record, failed_before=failed)
        media = list(by_medium.values())
        problems = [_("Disk %(serial)s: the wipe failed. Wipe it again or destroy it.") % {
            "serial": medium.record.medium_serial} for medium in media
            if not medium.record.passed]
        if len(media) < device.storage_media:
            problems.append(_("%(missing)s of its %(expected)s disks have no wipe record.") % {
                "missing": device.storage_media - len(media), "expected": device.storage_media})
        if job.wipe_at is None and job.status != JobStatus.SCRAPPED:
            problems.append(_("The wipe step of its refurbishing job is not signed off."))
        proof.append(DonatedDevice(device=device, job=job, media=media, problems=problems))
    return proof


def erasure_certificate_problem(donation: Donation,
                                proof: list[DonatedDevice]) -> str | None:
    """Why the certificate cannot be issued yet, or None: no device
    registered, fewer registered than announced (unless the atelier
    recorded that fewer were received), or a disk not proven wiped."""
    if not proof:
        return _("No device of this donation is registered yet.")
    missing = donation.count_to_register - len(proof)
    if missing > 0:
        return ngettext(
            "%(missing)s of the %(expected)s devices announced is not registered yet: "
            "register it, or record that it was not received.",
            "%(missing)s of the %(expected)s devices announced are not registered yet: "
            "register them, or record that they were not received.", missing) % {
            "missing": missing, "expected": donation.count_to_register}
    if any(item.problems for item in proof):
        return _("Not every disk of every device of this donation is proven wiped or "
                 "destroyed yet.")
    return None


@transaction.atomic
def record_received_count(*, actor: User | None, donation: Donation, count: int,
                          reason: str) -> Donation:
    """Record that fewer devices came in than were announced (and why), so
    the certificate can be issued for the devices that are registered.
    Refused once the certificate is issued, for more devices than
    announced, or for fewer than are registered already."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if ErasureCertificate.objects.filter(donation=donation).exists():
        raise AtelierError(_("The data erasure certificate of this donation is issued: "
                             "its count does not change any more."))
    if not reason.strip():
        raise AtelierError(_("Say why fewer devices were received than announced."))
    registered = donation.jobs.count()
    if count < registered:
        raise AtelierError(ngettext(
            "%(registered)s device of this donation is registered already.",
            "%(registered)s devices of this donation are registered already.",
            registered) % {"registered": registered})
    if donation.expected_count and count >= donation.expected_count:
        raise AtelierError(_("%(expected)s devices were announced: give a smaller "
                             "number.") % {"expected": donation.expected_count})
    donation.received_count, donation.received_count_reason = count, reason.strip()[:300]
    donation.save(update_fields=["received_count", "received_count_reason"])
    record_audit(actor=actor, action=AuditAction.CHANGE, target=donation,
                 summary=_("%(count)s of the %(expected)s devices announced by %(donor)s "
                           "received: %(reason)s") % {
                     "count": count, "expected": donation.expected_count,
                     "donor": donation.donor, "reason": donation.received_count_reason})
    return donation


def _next_certificate_number(year: int) -> str:
    """The next certificate number of ``year`` (DW-2026-00001, -00002, …):
    the year's sequence row is locked until the issuing transaction ends, so
    a refused or rolled-back issue leaves no gap and two issues never share
    a number (the database keeps numbers unique as well). A year's first
    number follows on numbers given before the sequence existed."""
    prefix = f"DW-{year}-"
    try:
        with transaction.atomic():
            CertificateSequence.objects.get_or_create(year=year, defaults={
                "last_number": max((int(number.removeprefix(prefix)) for number in
                                    ErasureCertificate.objects.filter(number__startswith=prefix)
                                    .values_list("number", flat=True)
                                    if number.removeprefix(prefix).isdigit()), default=0)})
    except IntegrityError:  # another issue created the year's row first
        pass
    sequence = CertificateSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}{sequence.last_number:05d}"


@transaction.atomic
def issue_erasure_certificate(*, actor: User | None, donation: Donation) -> ErasureCertificate:
    """Issue the donor's data-erasure certificate once every storage medium
    of every device of the donation passed its wipe or was destroyed.
    Issuing twice returns the certificate already issued, with its number.
    Raises ``AtelierError`` while anything is missing."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    existing = ErasureCertificate.objects.filter(donation=donation).first()
    if existing is not None:
        return existing
    proof = erasure_proof(donation)
    if message := erasure_certificate_problem(donation, proof):
        raise AtelierError(message)
    now = timezone.now()
    certificate = ErasureCertificate.objects.create(
        donation=donation, number=_next_certificate_number(timezone.localtime(now).year),
        issued_at=now, issued_by=actor)
    for item in proof:
        _log(item.device, actor, _("Data erasure certificate %(number)s issued to the donor") %
             {"number": certificate.number})
    record_audit(actor=actor, action=AuditAction.CREATE, target=certificate,
                 summary=_("Data erasure certificate %(number)s issued for the donation of "
                           "%(donor)s") % {"number": certificate.number,
                                           "donor": donation.donor})
    return certificate


# --- Repairs ---------------------------------------------------------------


def _open_ticket(report: DefectReport, *, fault: str = "unknown", swap: bool = False,
                 return_point: Point | None = None) -> RepairTicket:
    try:
        with transaction.atomic():
            return RepairTicket.objects.create(
                device=report.device, defect_report=report, loan=report.loan,
                problem=report.problem, reported_at_point=report.reported_at_point,
                reported_by=report.reported_by, opened_at=report.reported_at, fault=fault,
                swap_issued=swap, return_point=return_point)
    except IntegrityError as exc:
        raise AtelierError(_("This device already has an open repair ticket.")) from exc


@transaction.atomic
def take_in_for_repair(*, actor: User | None, device: Device, point: Point | None,
                       problem: str, replacement: Device | None = None,
                       fault: str = "unknown") -> RepairTicket:
    """The counter's repair intake: the device goes to "in repair" (a lent
    device's loan ends), a defect report keeps the resident's words, and a
    repair ticket opens for the atelier. With ``replacement`` the borrower
    gets that device on the spot, so the subscription goes on. Only a lent
    device can be handed in by its borrower: any other one is refused (a
    broken device from a shelf goes back to the atelier from its page)."""
    if not device.loans.filter(status=LoanStatus.ISSUED).exists():
        raise AtelierError(_(
            "%(tag)s is not lent out, so no resident can hand it in. A device that is broken "
            "on the shelf goes back to the atelier: tell the atelier, or use \"Back at the "
            "atelier\" on its device page.") % {"tag": device.asset_tag})
    if replacement is not None:
        device_services.swap_device(actor=actor, device=device, replacement=replacement,
                                    point=point, problem=problem)
        report = device.defects.order_by("-pk").first()
    else:
        report = device_services.report_defect(actor=actor, device=device, point=point,
                                               problem=problem)
    # The borrower collects the repaired device where they brought it in.
    return _open_ticket(report, fault=fault, swap=replacement is not None, return_point=point)


@transaction.atomic
def open_ticket_for_report(*, actor: User | None, report: DefectReport) -> RepairTicket:
    """Open the repair ticket for a defect report taken in without one."""
    report = DefectReport.objects.select_for_update().get(pk=report.pk)
    if RepairTicket.objects.filter(defect_report=report).exists():
        raise AtelierError(_("This report already has a repair ticket."))
    swapped = bool(report.loan_id and Loan.objects.filter(
        pk=report.loan_id, replaced_by__isnull=False).exists())
    return _open_ticket(report, swap=swapped, return_point=report.reported_at_point)


def _lock_ticket(ticket: RepairTicket) -> RepairTicket:
    ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
    if not ticket.is_open:
        raise AtelierError(_("This repair ticket is already resolved."))
    return ticket


def _set_ticket_status(ticket: RepairTicket, status: str, actor: User | None, note: str = ""):
    if status not in RepairTicket.ALLOWED_TRANSITIONS[ticket.status]:
        raise AtelierError(_("A repair that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ticket.get_status_display(), "to": TicketStatus(status).label})
    ticket.status = status
    ticket.status_changed_at = timezone.now()
    ticket.flagged_stale_at = None
    _log(ticket.device, actor, _("Repair #%(pk)s: %(status)s. %(note)s") % {
        "pk": ticket.pk, "status": TicketStatus(status).label, "note": note})


@transaction.atomic
def move_ticket(*, actor: User | None, ticket: RepairTicket, status: str, fault: str = "",
                note: str = "") -> RepairTicket:
    """Move an open ticket between assessing, waiting for parts and repairing."""
    ticket = _lock_ticket(ticket)
    if status == TicketStatus.RESOLVED:
        raise AtelierError(_("Use “resolve” with the outcome of the repair."))
    _set_ticket_status(ticket, status, actor, note)
    ticket.fault = fault or ticket.fault
    ticket.save()
    return ticket


@transaction.atomic
def resolve_ticket(*, actor: User | None, ticket: RepairTicket, outcome: str, fault: str,
                   barrier: str = "", parts_used: str = "", minutes_spent: int = 0
                   ) -> RepairTicket:
    """Close a repair with its Open Repair Data Standard outcome.

    Fixed, and the borrower got no replacement: the device is reserved for
    them again and goes to the point where they brought it in (they hear
    when it is there). Fixed otherwise, or repairable: a refurbishing job
    (wipe and re-install before anyone else borrows it). End of life: the
    device is retired, and a borrower without a replacement is told.
    """
    ticket = _lock_ticket(ticket)
    if outcome == RepairOutcome.END_OF_LIFE and not barrier:
        raise AtelierError(_("Say why it cannot be repaired."))
    device = Device.objects.select_for_update().get(pk=ticket.device_id)
    if device.status != DeviceStatus.IN_REPAIR or device.point_id is not None:
        raise AtelierError(_("The device must be in repair at the atelier."))
    _set_ticket_status(ticket, TicketStatus.RESOLVED, actor)
    ticket.outcome, ticket.fault = outcome, fault or ticket.fault
    ticket.barrier = barrier if outcome == RepairOutcome.END_OF_LIFE else ""
    ticket.parts_used, ticket.minutes_spent = parts_used[:200], minutes_spent
    ticket.resolved_at, ticket.resolved_by = timezone.now(), actor
    ticket.save()
    loan = Loan.objects.select_related("subscription", "resident").filter(
        pk=ticket.loan_id).first()
    back_to_borrower = (loan is not None and not ticket.swap_issued
                        and loan.subscription.status == SubscriptionStatus.ACTIVE
                        and not loan.resident.is_anonymised)
    if outcome == RepairOutcome.FIXED and back_to_borrower:
        _give_back(device, loan, ticket, actor)
    elif outcome == RepairOutcome.END_OF_LIFE:
        device_services.change_device_status(actor=actor, device=device,
                                             status=DeviceStatus.RETIRED,
                                             note=ticket.get_barrier_display())
        if back_to_borrower:
            notify_resident(
                resident=loan.resident, kind="repair_end_of_life", source=ticket,
                subject=gettext_lazy("Your loan device cannot be repaired"),
                message=lambda: _("We could not repair your %(kind)s. Come to a digibank "
                                  "point: you can borrow another one.") % {
                    "kind": device.get_kind_display().lower()},
                point=ticket.return_point)
    else:
        start_refurbish_job(actor=actor, device=device, reason=JobReason.REPAIR,
                            note=_("After repair #%(pk)s") % {"pk": ticket.pk})
    return ticket


def _give_back(device: Device, loan: Loan, ticket: RepairTicket, actor: User | None) -> None:
    """Reserve the repaired device for its borrower at their point."""
    device_services.give_back_after_repair(actor=actor, device=device, loan=loan,
                                           point=ticket.return_point)


def flag_stale_tickets(now=None) -> int:
    """Flag open tickets whose status has not moved for two weeks. A ticket
    is flagged once until its status moves again."""
    now = now or timezone.now()
    return RepairTicket.objects.stale(now - timedelta(days=STALE_TICKET_DAYS)).filter(
        flagged_stale_at__isnull=True).update(flagged_stale_at=now)


# --- Yearly checks ---------------------------------------------------------


@transaction.atomic
def record_yearly_check(*, actor: User | None, loan: Loan, result: str, point: Point | None,
                        findings: str = "", battery_health: int | None = None,
                        replacement: Device | None = None, checked_on: date | None = None,
                        due_on: date | None = None) -> YearlyCheck:
    """Record a lent device's yearly check. Pass: the next check is a year
    on. Repair: the device goes to repair. Swap: it goes to repair and the
    borrower gets ``replacement`` now. End: the loan ends, the device comes
    back. One result per loan and due date; ``due_on`` is the due date the
    form showed, so a second click after a pass (which moves the due date)
    records nothing."""
    loan = Loan.objects.select_for_update().select_related("device", "resident").get(pk=loan.pk)
    if loan.status != LoanStatus.ISSUED or loan.check_due_on is None:
        raise AtelierError(_("This device is not on loan."))
    if due_on is not None and due_on != loan.check_due_on:
        raise AtelierError(_("This check is already recorded."))
    if result == CheckResult.SWAP and replacement is None:
        raise AtelierError(_("Give the asset tag of the replacement device."))
    if result in (CheckResult.REPAIR, CheckResult.SWAP) and not findings.strip():
        raise AtelierError(_("Write down what is wrong."))
    checked_on = checked_on or timezone.localdate()
    try:
        with transaction.atomic():
            check = YearlyCheck.objects.create(
                loan=loan, due_on=loan.check_due_on, checked_on=checked_on, checked_by=actor,
                findings=findings, battery_health=battery_health, result=result)
    except IntegrityError as exc:
        raise AtelierError(_("This check is already recorded.")) from exc
    device = loan.device
    if battery_health is not None:
        Device.objects.filter(pk=device.pk).update(battery_health=battery_health)
    if result == CheckResult.PASS:
        loan.check_due_on = checked_on + timedelta(days=365)
        loan.save(update_fields=["check_due_on"])
        _log(device, actor, _("Yearly check passed"), loan=loan)
    elif result in (CheckResult.REPAIR, CheckResult.SWAP):
        take_in_for_repair(actor=actor, device=device, point=point, problem=findings,
                           replacement=replacement if result == CheckResult.SWAP else None)
    else:
        device_services.return_device(actor=actor, device=device, point=point,
                                      condition=ReturnCondition.WORN,
                                      note=_("Yearly check: loan ended"))
    record_audit(actor=actor, action=AuditAction.CHANGE, resident=loan.resident, target=loan,
                 summary=_("Yearly check of %(tag)s: %(result)s") % {
                     "tag": device.asset_tag, "result": check.get_result_display()})
    return check


# --- Workers ---------------------------------------------------------------


@transaction.atomic
def add_worker(*, actor: User | None, name: str, kind: str, organisation=None,
               is_active: bool = True) -> Worker:
    """Register a volunteer or social-economy worker of the atelier."""
    worker = Worker.objects.create(name=name, kind=kind, organisation=organisation,
                                   is_active=is_active)
    record_audit(actor=actor, action=AuditAction.CREATE, target=worker,
                 summary=_("Worker %(name)s added") % {"name": name})
    return worker


@transaction.atomic
def change_worker(*, actor: User | None, worker: Worker, name: str, kind: str,
                  organisation=None, is_active: bool = True) -> Worker:
    """Change a worker's name, kind, organisation or whether they are
    active (an inactive worker keeps their hours, but gets no new ones)."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    changed = [label for label, old, new in (
        (_("name"), worker.name, name), (_("kind"), worker.kind, kind),
        (_("employed through"), worker.organisation_id, getattr(organisation, "pk", None)),
        (_("active"), worker.is_active, is_active)) if old != new]
    worker.name, worker.kind, worker.organisation, worker.is_active = (
        name, kind, organisation, is_active)
    worker.save()
    if changed:
        record_audit(actor=actor, action=AuditAction.CHANGE, target=worker,
                     summary=_("Worker %(name)s changed: %(fields)s") % {
                         "name": name, "fields": ", ".join(str(f) for f in changed)})
    return worker


@transaction.atomic
def log_hours(*, actor: User | None, worker: Worker, day: date, hours: Decimal, tasks: str,
              competences: str = "") -> WorkLog:
    """Record a worker's hours on a day (at most 12 hours a day in total)."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if not worker.is_active:
        raise AtelierError(_("This worker is no longer active."))
    if hours <= 0:
        raise AtelierError(_("Give a number of hours above zero."))
    earlier = sum((log.hours for log in worker.logs.filter(day=day)), Decimal(0))
    if earlier + hours > 12:
        total = (earlier + hours).quantize(Decimal("0.01")).normalize()
        raise AtelierError(_("More than 12 hours on one day: %(total)s.") % {
            "total": number_format(total, use_l10n=True)})
    return WorkLog.objects.create(worker=worker, day=day, hours=hours, tasks=tasks[:300],
                                  competences=competences[:300], recorded_by=actor)

