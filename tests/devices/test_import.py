import pytest
import tablib

from devices.models import Device, DeviceStatus, SubscriptionPlan
from devices.resources import DeviceImportResource, DeviceResource, SubscriptionPlanResource

pytestmark = pytest.mark.django_db

HEADERS = ["asset_tag", "kind", "brand", "model_name", "serial"]


def _devices(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_device_import_dry_run_saves_nothing():
    result = DeviceImportResource().import_data(_devices(["DB-1", "laptop", "HP", "840", "S1"]),
                                          dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert not Device.objects.exists()


def test_imported_devices_arrive_received_at_the_atelier_with_history():
    DeviceImportResource().import_data(_devices(["DB-1", "laptop", "HP", "840", "S1"]))
    device = Device.objects.get()
    assert device.status == DeviceStatus.RECEIVED and device.point is None
    assert device.events.get().to_status == DeviceStatus.RECEIVED


def test_device_import_reports_the_bad_row_and_imports_nothing():
    result = DeviceImportResource().import_data(_devices(
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


def test_the_import_takes_no_status_or_place_even_when_the_file_has_them():
    dataset = tablib.Dataset(["DB-1", "laptop", "HP", "Klaar in het atelier", "Sociaal Huis"],
                             headers=["asset_tag", "kind", "brand", "status", "place"])
    result = DeviceImportResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    device = Device.objects.get()
    assert device.status == DeviceStatus.RECEIVED and device.point is None
    assert "status" not in [f.column_name for f in DeviceImportResource().get_import_fields()]


def test_a_grade_without_a_hardware_test_is_refused_per_row_in_dutch():
    from django.utils import translation

    dataset = tablib.Dataset(["DB-1", "laptop", "HP", ""], ["DB-2", "laptop", "HP", "A"],
                             headers=["asset_tag", "kind", "brand", "functional_grade"])
    with translation.override("nl"):
        result = DeviceImportResource().import_data(dataset)
    assert [row.number for row in result.invalid_rows] == [2]
    assert result.invalid_rows[0].error_dict["functional_grade"] == [
        "DB-2 heeft nog geen hardwaretest: de kwaliteit en de batterijconditie komen uit de "
        "test van het atelier, niet uit een import."]
    assert not Device.objects.exists()


def test_a_tested_device_takes_its_grade_from_the_import():
    from django.utils import timezone

    from tests.atelier.factories import make_job
    from tests.devices.factories import make_device

    device = make_device(asset_tag="DB-7")
    make_job(device, test_at=timezone.now())
    dataset = tablib.Dataset(["DB-7", "laptop", "HP", "B"],
                             headers=["asset_tag", "kind", "brand", "functional_grade"])
    assert not DeviceImportResource().import_data(dataset).has_validation_errors()
    device.refresh_from_db()
    assert device.functional_grade == "B"


def test_the_admin_import_page_says_what_is_not_imported_in_dutch(client):
    from tests.factories import make_user

    client.force_login(make_user("coordinator", is_superuser=True))
    body = client.get("/beheer/devices/device/import/").content.decode()
    assert "Status, plaats en de gegevensstatus worden niet geïmporteerd" in body


def test_the_admin_import_reports_its_result_in_dutch(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_user

    client.force_login(make_user("coordinator", is_superuser=True))
    upload = b"asset_tag,kind,brand\nDB-1,laptop,HP\n"
    response = client.post("/beheer/devices/device/import/", {
        "format": "0", "resource": "0",
        "import_file": SimpleUploadedFile("d.csv", upload, "text/csv")})
    confirm = response.context["confirm_form"]
    done = client.post("/beheer/devices/device/process_import/", {
        **{name: confirm[name].value() for name in confirm.fields}}, follow=True)
    text = done.content.decode()
    assert "Import voltooid: 1 nieuw" in text and "Import finished" not in text
