"""The subject-access page reads as Dutch sections, one per kind of record,
and never shows a raw dictionary; the JSON download stays."""

import json

import pytest
from django.urls import reverse

from devices.models import SubscriptionStatus
from digibank.privacy import readable
from digibank.services import export_subject_access
from tests.devices.factories import make_subscription
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria():
    resident = make_resident("Maria", phone="0470000001")
    point = make_point("Bib")
    make_visit(point, resident=resident)
    make_visit(point, resident=resident)
    return resident


def test_the_page_has_a_section_per_kind_with_its_dutch_name_and_count(client, maria):
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:subject-access", args=[maria.pk])).content.decode()
    assert ">Bezoeken (2)</h2>" in text
    assert "<h3>1 van 2</h3>" in text and "<h3>2 van 2</h3>" in text
    assert "(inwoner)" not in text


def test_a_record_about_the_resident_in_two_roles_says_which(client):
    guardian, child = make_resident("Els"), make_resident("Tom")
    make_subscription(child, guardian=guardian, status=SubscriptionStatus.ENDED)
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:subject-access", args=[guardian.pk])).content.decode()
    assert "Abonnementen (ouder of voogd)" in text


def test_details_of_an_audit_row_read_as_words_not_as_a_dictionary(client, maria):
    export_subject_access(actor=None, resident=maria)  # an audit row with {"sections": [...]}
    client.force_login(make_user("coordinator"))
    text = client.get(reverse("residents:subject-access", args=[maria.pk])).content.decode()
    assert "{&#x27;sections&#x27;" not in text and "{'sections'" not in text
    assert "onderdelen: Bezoeken" in text


def test_readable_names_each_part_of_a_dictionary():
    rows = readable({"Details": {"sections": ["Bezoeken"], "fields": ["phone", "email"]}})
    assert rows[0]["text"] == "onderdelen: Bezoeken; velden: phone, email"


def test_the_json_download_stays(client, maria):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("residents:subject-access", args=[maria.pk]),
                          {"formaat": "json"})
    data = json.loads(response.content)
    assert len(data["records"]["Bezoeken"]) == 2
