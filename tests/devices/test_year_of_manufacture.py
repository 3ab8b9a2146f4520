"""A device's year of manufacture: given at the atelier's intake or in an
import, refused in the future, and its age in years."""

from datetime import date

import pytest
import tablib
from django.urls import reverse

from atelier.models import RefurbishJob
from devices.models import Device
from devices.resources import DeviceResource
from tests.atelier.factories import make_donation
from tests.devices.factories import make_device
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _import(year: str):
    dataset = tablib.Dataset(["DB-1", "laptop", "HP", year],
                             headers=["asset_tag", "kind", "brand", "year_of_manufacture"])
    return DeviceResource().import_data(dataset)


def test_an_import_sets_the_year_of_manufacture():
    _import("2018")
    assert Device.objects.get().year_of_manufacture == 2018


@pytest.mark.parametrize("year", ["1970", "2999"])
def test_an_import_refuses_an_impossible_year_and_imports_nothing(year):
    result = _import(year)
    assert result.has_validation_errors() and not Device.objects.exists()


def test_the_intake_of_a_donated_device_records_its_year(client):
    client.force_login(make_user("atelier"))
    donation = make_donation()
    response = client.post(reverse("atelier:donation-detail", args=[donation.pk]), {
        "kind": "laptop", "brand": "Dell", "asset_tag": "DB-00500", "storage_media": "1",
        "year_of_manufacture": "2019"})
    assert response.status_code == 302
    assert RefurbishJob.objects.get().device.year_of_manufacture == 2019


def test_the_intake_refuses_a_year_in_the_future_next_to_the_field(client):
    client.force_login(make_user("atelier"))
    donation = make_donation()
    response = client.post(reverse("atelier:donation-detail", args=[donation.pk]), {
        "kind": "laptop", "brand": "Dell", "asset_tag": "DB-00500", "storage_media": "1",
        "year_of_manufacture": "2999"})
    assert 'id="id_year_of_manufacture_error"' in response.content.decode()
    assert not Device.objects.exists()


def test_age_in_years_counts_whole_years_and_is_unknown_without_a_year():
    assert make_device(year_of_manufacture=2019).age_in_years(date(2026, 3, 1)) == 7
    assert make_device().age_in_years(date(2026, 3, 1)) is None
