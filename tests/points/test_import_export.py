"""Points, opening hours and topics go in and out through django-import-export
in the admin: a dry run first, row errors reported, nothing half-imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from points.models import OpeningPeriod, QuestionTopic
from tests.factories import make_point, make_user
from tests.points.factories import make_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    from digibank.roles import sync_role_permissions

    sync_role_permissions()
    user = make_user("coordinator")
    client.force_login(user)
    return user


def _upload(client, url_name: str, csv: str):
    return client.post(reverse(url_name), {
        "import_file": SimpleUploadedFile("data.csv", csv.encode(), content_type="text/csv"),
        "format": "0", "resource": "0",
    })


def test_opening_hours_import_shows_row_errors_and_saves_nothing(client, coordinator):
    point = make_point("Huis", slug="huis")
    response = _upload(client, "admin:points_openingperiod_import",
                       "id,point,weekday,opens,closes\n,huis,0,09:00,12:00\n,huis,1,12:00,09:00\n")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    assert not OpeningPeriod.objects.filter(point=point).exists()


def test_topic_import_is_a_dry_run_until_confirmed(client, coordinator):
    response = _upload(client, "admin:points_questiontopic_import",
                       "slug,name,group,external_service,order,is_active\n"
                       "mijn-burgerprofiel,Mijn Burgerprofiel,Overheid,Burgerprofiel,20,1\n")
    assert response.status_code == 200
    assert not response.context["result"].has_errors()
    assert not QuestionTopic.objects.exists()


def test_points_export_lists_every_point_with_its_district(client, coordinator):
    point = make_point("Huis")
    make_period(point, 0, "09:00", "12:00")
    response = client.post(reverse("admin:points_point_export"), {
        "format": "0", "resource": "0", **{f"pointresource_{f}": "on" for f in (
            "slug", "name", "district")}})
    assert response.status_code == 200
    assert point.slug in response.content.decode()
