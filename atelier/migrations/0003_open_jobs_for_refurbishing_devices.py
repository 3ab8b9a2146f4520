"""Open a refurbishing job for every device that is being refurbished
without one (set to "being refurbished" by hand before every move into
refurbishing opened its job), so it shows on the atelier board and can be
wiped and signed off. The reason follows where it came from: received
(a donation), in repair (after a repair), anything else (back from a
borrower). Its history says a job was opened for it."""

from django.db import migrations
from django.utils import timezone

NOTE = "Refurbishing job opened: the device was being refurbished without one"
REASON_AFTER = {"received": "donation", "in_repair": "repair"}


def open_jobs(apps, schema_editor):
    Device = apps.get_model("devices", "Device")
    DeviceEvent = apps.get_model("devices", "DeviceEvent")
    RefurbishJob = apps.get_model("atelier", "RefurbishJob")
    now = timezone.now()
    for device in (Device.objects.filter(status="refurbishing")
                   .exclude(refurbish_jobs__status="open").iterator()):
        came_from = (DeviceEvent.objects.filter(device=device, to_status="refurbishing")
                     .exclude(from_status="refurbishing").order_by("-at", "-pk")
                     .values_list("from_status", flat=True).first())
        RefurbishJob.objects.create(
            device=device, reason=REASON_AFTER.get(came_from, "return"), opened_at=now,
            note=NOTE)
        DeviceEvent.objects.create(
            device=device, at=now, from_status=device.status, to_status=device.status,
            from_point=device.point, to_point=device.point, where=device.point, note=NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("atelier", "0002_refurbish_job_finished_index"),
        ("devices", "0006_wipe_gate_constraints"),
    ]

    operations = [migrations.RunPython(open_jobs, migrations.RunPython.noop)]
