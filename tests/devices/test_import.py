import pytest
import tablib

from devices.models import Device, DeviceStatus, SubscriptionPlan
from devices.resources import DeviceResource, SubscriptionPlanResource

pytestmark = pytest.mark.django_db

HEADERS = ["asset_tag", "kind", "brand", "model_name", "serial"]


def _devices(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_device_import_dry_run_saves_nothing():
    result = DeviceResource().import_data(_devices(["DB-1", "laptop", "HP", "840", "S1"]),
                                          dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert not Device.objects.exists()


def test_imported_devices_arrive_received_at_the_atelier_with_history():
    DeviceResource().import_data(_devices(["DB-1", "laptop", "HP", "840", "S1"]))
    device = Device.objects.get()
    assert device.status == DeviceStatus.RECEIVED and device.point is None
    assert device.events.get().to_status == DeviceStatus.RECEIVED


def test_device_import_reports_the_bad_row_and_imports_nothing():
    result = DeviceResource().import_data(_devices(
        ["DB-1", "laptop", "HP", "840", "S1"], ["DB-2", "toaster", "HP", "840", "S2"]))
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert not Device.objects.exists()


def test_plan_import_refuses_a_negative_fee():
    dataset = tablib.Dataset(["gratis", "Gratis", "0", "0"], ["duur", "Duur", "-5", "0"],
                             headers=["slug", "name", "monthly_fee", "deposit"])
    result = SubscriptionPlanResource().import_data(dataset)
    assert result.has_errors() or result.has_validation_errors()
    assert not SubscriptionPlan.objects.exists()


def test_device_export_shows_status_and_place():
    Device.objects.create(kind="tablet", brand="Samsung", asset_tag="TAB-1")
    exported = DeviceResource().export()
    assert exported.dict[0]["status"] == "Received" or exported.dict[0]["status"]
    assert exported.dict[0]["asset_tag"] == "TAB-1"


def test_admin_device_import_page_opens(client):
    from tests.factories import make_user

    client.force_login(make_user("coordinator", is_superuser=True))
    assert client.get("/beheer/devices/device/import/").status_code == 200
    assert client.get("/beheer/devices/device/").status_code == 200
    for model in ("loan", "reservation", "subscription", "subscriptionplan", "defectreport"):
        assert client.get(f"/beheer/devices/{model}/").status_code == 200


def test_device_added_in_the_admin_starts_its_history(client):
    from tests.factories import make_user

    client.force_login(make_user("coordinator", is_superuser=True))
    client.post("/beheer/devices/device/add/", {
        "kind": "laptop", "brand": "HP", "asset_tag": "DB-9", "software_profile": "basic",
        "storage_media": "1", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    device = Device.objects.get(asset_tag="DB-9")
    assert device.events.get().to_status == DeviceStatus.RECEIVED
