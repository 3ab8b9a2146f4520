"""Set what is known of the data on every existing device, from the
atelier's records, before the database starts to refuse an unwiped device
on its way to a borrower (0006).

A device is "wiped" when its latest refurbishing job is finished with a
passing wipe record for every disk, and no loan, defect report or repair
came after it; "borrower" while it is lent, or reserved again for the
borrower whose repaired device it is; else "unproven". A device that is
available, on its way or set aside without a proven wipe goes back "to
check" where it stands (on its way: at the point it was going to), its
reservation back in the queue: the atelier wipes it before anyone
borrows it.
"""

from django.db import migrations
from django.utils import timezone

PASSING = ("passed", "warning")
NOTE = "No proven wipe of its data: back to the atelier to be wiped before the next loan"


def _wiped(apps, device) -> bool:
    RefurbishJob = apps.get_model("atelier", "RefurbishJob")
    DefectReport = apps.get_model("devices", "DefectReport")
    RepairTicket = apps.get_model("atelier", "RepairTicket")
    Loan = apps.get_model("devices", "Loan")
    job = RefurbishJob.objects.filter(device=device).order_by("-opened_at", "-pk").first()
    if job is None or job.status != "done" or job.wipe_at is None:
        return False
    latest = {}
    for record in job.wipes.order_by("wiped_at", "pk"):
        latest[record.medium_serial.upper()] = record.result
    if not latest or len(latest) < device.storage_media or any(
            result not in PASSING for result in latest.values()):
        return False
    since = job.finished_at
    return not (
        Loan.objects.filter(device=device, handed_out_at__gt=since)
        .exclude(status__in=["reserved", "issued"]).exists()
        or DefectReport.objects.filter(device=device, reported_at__gt=since).exists()
        or RepairTicket.objects.filter(device=device, opened_at__gt=since).exists())


def _back_to_its_borrower(apps, device) -> bool:
    Loan = apps.get_model("devices", "Loan")
    reserved = Loan.objects.filter(device=device, status="reserved").first()
    if reserved is None:
        return False
    last = (Loan.objects.filter(device=device, handed_out_at__isnull=False)
            .exclude(pk=reserved.pk).order_by("-handed_out_at", "-pk").first())
    return last is not None and last.resident_id == reserved.resident_id


def set_data_state(apps, schema_editor):
    Device = apps.get_model("devices", "Device")
    DeviceEvent = apps.get_model("devices", "DeviceEvent")
    Loan = apps.get_model("devices", "Loan")
    Reservation = apps.get_model("devices", "Reservation")
    now = timezone.now()
    for device in Device.objects.exclude(status="retired").iterator():
        if device.status == "on_loan":
            state = "borrower"
        elif _wiped(apps, device):
            state = "wiped"
        elif device.status in ("in_transit", "reserved") and _back_to_its_borrower(apps, device):
            state = "borrower"
        else:
            state = "unproven"
        lending = device.status in ("ready", "in_transit", "at_point", "reserved")
        if lending and state == "unproven":
            for loan in Loan.objects.filter(device=device, status="reserved"):
                Reservation.objects.filter(loan=loan).update(
                    status="waiting", loan=None, waiting_since=None, expires_on=None)
                loan.status = "closed"
                loan.save(update_fields=["status"])
            DeviceEvent.objects.create(
                device=device, at=now, from_status=device.status, to_status="returned",
                from_point=device.point, to_point=device.point, where=device.point, note=NOTE)
            device.status = "returned"
            device.status_changed_at = now
            device.label = None
        device.data_state = state
        device.save(update_fields=["data_state", "status", "status_changed_at", "label"])


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0004_device_data_state"),
        ("atelier", "0002_refurbish_job_finished_index"),
    ]

    operations = [migrations.RunPython(set_data_state, migrations.RunPython.noop)]
