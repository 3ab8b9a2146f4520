"""The migration that opens a refurbishing job for every device that is
being refurbished without one (atelier 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("devices", "0006_wipe_gate_constraints"),
          ("atelier", "0002_refurbish_job_finished_index")]


@pytest.mark.django_db(transaction=True)
def test_devices_refurbishing_without_a_job_get_one_with_the_reason_they_came_for():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Device = apps.get_model("devices", "Device")
    DeviceEvent = apps.get_model("devices", "DeviceEvent")
    RefurbishJob = apps.get_model("atelier", "RefurbishJob")
    donated = Device.objects.create(kind="laptop", brand="HP", asset_tag="J-1",
                                    status="refurbishing")
    DeviceEvent.objects.create(device=donated, from_status="received",
                               to_status="refurbishing")
    repaired = Device.objects.create(kind="laptop", brand="HP", asset_tag="J-2",
                                     status="refurbishing")
    DeviceEvent.objects.create(device=repaired, from_status="in_repair",
                               to_status="refurbishing")
    with_job = Device.objects.create(kind="tablet", brand="Samsung", asset_tag="J-3",
                                     status="refurbishing")
    RefurbishJob.objects.create(device=with_job, reason="return")
    received = Device.objects.create(kind="tablet", brand="Samsung", asset_tag="J-4")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from atelier.models import RefurbishJob

    def reasons(device):
        return list(RefurbishJob.objects.open().filter(device_id=device.pk)
                    .values_list("reason", flat=True))

    assert reasons(donated) == ["donation"]
    assert reasons(repaired) == ["repair"]
    assert reasons(with_job) == ["return"]
    assert reasons(received) == []
