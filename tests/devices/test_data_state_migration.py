"""The migration that sets what is known of the data on existing devices
(devices 0005) before the database starts to refuse an unwiped device on
its way to a borrower (0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("devices", "0004_device_data_state"), ("atelier", "0002_refurbish_job_finished_index")]


@pytest.mark.django_db(transaction=True)
def test_existing_devices_get_their_data_state_and_unwiped_available_ones_go_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Device = apps.get_model("devices", "Device")
    District = apps.get_model("digibank", "District")
    Point = apps.get_model("points", "Point")
    RefurbishJob = apps.get_model("atelier", "RefurbishJob")
    WipeRecord = apps.get_model("atelier", "WipeRecord")
    point = Point.objects.create(name="Huis", slug="huis", district=District.objects.create(
        name="Mechelen", slug="mechelen"))
    never_wiped = Device.objects.create(kind="laptop", brand="HP", asset_tag="M-1",
                                        status="at_point", point=point)
    ready_unwiped = Device.objects.create(kind="laptop", brand="HP", asset_tag="M-2",
                                          status="ready")
    wiped = Device.objects.create(kind="laptop", brand="HP", asset_tag="M-3", status="ready")
    now = timezone.now()
    job = RefurbishJob.objects.create(device=wiped, reason="donation", status="done",
                                      finished_at=now, wipe_at=now)
    WipeRecord.objects.create(job=job, device=wiped, medium_serial="S1", method="purge",
                              result="passed", certificate_number="W-1", wiped_at=now)
    received = Device.objects.create(kind="tablet", brand="Samsung", asset_tag="M-4")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from devices.models import DataState, Device, DeviceStatus

    def state(device):
        device = Device.objects.get(pk=device.pk)
        return device.status, device.data_state, device.point_id

    assert state(never_wiped) == (DeviceStatus.RETURNED, DataState.UNPROVEN, point.pk)
    assert state(ready_unwiped) == (DeviceStatus.RETURNED, DataState.UNPROVEN, None)
    assert state(wiped) == (DeviceStatus.READY, DataState.WIPED, None)
    assert state(received) == (DeviceStatus.RECEIVED, DataState.UNPROVEN, None)
    assert Device.objects.get(pk=never_wiped.pk).events.get().to_status == "returned"
