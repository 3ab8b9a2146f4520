"""The one search for people: what a host types and whom it finds, the
duplicate warning with the same matching, and the one door for new
residents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digibank import matching
from digibank.models import AuditEvent, Resident
from digibank.services import find_or_create_resident, normalise_phone
from tests.factories import make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """A small town of residents whose names and numbers are hard to type."""
    return {
        "josee": make_resident("Josée", "Peeters", phone="0474556677"),
        "jose": make_resident("Jose", "Martinez", phone="+31 6 12345678"),
        "vdb": make_resident("Anne-Marie", "Van den Bossche", phone="015 20 10 20"),
        "elamrani": make_resident("Mohamed", "El Amrani-Janssens"),
        "francois": make_resident("François", "Lefèvre", phone="0486112233"),
        "oconnor": make_resident("Seán", "O'Connor"),
        "vandenberg": make_resident("Koen", "Vandenberg"),
        "jan": make_resident("Jan", "Janssens", phone="0470123456"),
    }


SEARCHES = [
    # accents and case, both ways
    ("jos", {"josee", "jose"}),
    ("jose", {"josee", "jose"}),
    ("josee", {"josee", "jose"}),
    ("Josée", {"josee", "jose"}),
    ("JOSÉ", {"josee", "jose"}),
    ("francois", {"francois"}),
    ("Lefevre", {"francois"}),
    ("lefèvre françois", {"francois"}),
    ("sean o'connor", {"oconnor"}),
    ("oconnor", {"oconnor"}),
    # word order
    ("Peeters Josée", {"josee"}),
    ("peeters jose", {"josee"}),
    ("martinez jose", {"jose"}),
    # any part of a compound name, joined or apart
    ("bossche", {"vdb"}),
    ("van den bossche", {"vdb"}),
    ("vandenbossche", {"vdb"}),
    ("marie", {"vdb"}),
    ("anne marie", {"vdb"}),
    ("annemarie", {"vdb"}),
    ("amrani", {"elamrani"}),
    ("janssens", {"elamrani", "jan"}),
    ("el amrani mohamed", {"elamrani"}),
    ("van den berg", {"vandenberg"}),
    ("berg", {"vandenberg"}),
    # doubled letters
    ("jansens", {"elamrani", "jan"}),
    ("peters", {"josee"}),
    # phone numbers in any notation
    ("+32 474 55 66 77", {"josee"}),
    ("0474 55 66 77", {"josee"}),
    ("0474/55.66.77", {"josee"}),
    ("0032474556677", {"josee"}),
    ("474556677", {"josee"}),
    ("556677", {"josee"}),
    ("0474 55", {"josee"}),
    ("+31 6 12 34 56 78", {"jose"}),
    ("0031612345678", {"jose"}),
    ("015/20.10.20", {"vdb"}),
    ("+32 15 20 10 20", {"vdb"}),
    # name and phone together
    ("peeters 0474", {"josee"}),
    ("janssens 0470", {"jan"}),
    # nobody
    ("josefien", set()),
    ("peeters 0486", set()),
    ("xq", set()),
    ("--", set()),
]


@pytest.mark.parametrize(("typed", "expected"), SEARCHES)
def test_search_finds_whom_the_host_means(people, typed, expected):
    found = set(Resident.objects.search(typed).values_list("pk", flat=True))
    assert found == {people[key].pk for key in expected}


def test_search_skips_anonymised_residents(people):
    people["josee"].anonymised_at = "2026-01-01T00:00:00Z"
    people["josee"].first_name = people["josee"].last_name = people["josee"].phone = ""
    people["josee"].save()
    assert set(Resident.objects.search("jose")) == {people["jose"]}


def test_the_search_column_follows_a_changed_name():
    resident = make_resident("Jan", "Peeters")
    resident.last_name = "Claes"
    resident.save(update_fields=["last_name"])
    assert list(Resident.objects.search("claes jan")) == [resident]
    assert not Resident.objects.search("peeters").exists()


@pytest.mark.parametrize(("typed", "stored"), [
    ("0474 55 66 77", "0474556677"),
    ("+32 474 55 66 77", "0474556677"),
    ("0032 (0)474 55 66 77", "0474556677"),
    ("474556677", "0474556677"),
    ("015/20.10.20", "015201020"),
    ("+31 6 12 34 56 78", "+31612345678"),
    ("0031 6 12345678", "+31612345678"),
])
def test_phone_numbers_are_stored_alike_whatever_the_notation(typed, stored):
    assert normalise_phone(typed) == stored
    assert matching.phone_e164(typed) == matching.phone_e164(stored)


def test_the_residents_page_finds_josee_when_jose_is_typed(client, people):
    client.force_login(make_user("host"))
    response = client.get(reverse("residents:list"), {"q": "jose"})
    assert "Josée" in response.content.decode()


def test_the_duplicate_warning_uses_the_same_matching(people):
    warned = Resident.objects.possible_duplicates(first_name="Peeters", last_name="josee")
    assert list(warned) == [people["josee"]]
    by_phone = Resident.objects.possible_duplicates(first_name="Ander", last_name="Iemand",
                                                    phone="+32 474 55 66 77")
    assert list(by_phone) == [people["josee"]]


def test_the_door_returns_the_known_person_for_the_same_name_and_phone(people):
    resident, created = find_or_create_resident(
        actor=None, first_name="josee", last_name="PEETERS", phone="+32 474 55 66 77")
    assert (resident, created) == (people["josee"], False)
    assert Resident.objects.count() == len(people)


def test_the_door_makes_a_new_person_for_the_same_name_with_another_phone(people):
    resident, created = find_or_create_resident(
        actor=None, first_name="Josée", last_name="Peeters", phone="0470998877")
    assert created
    assert resident.phone == "0470998877"
    assert AuditEvent.objects.filter(resident=resident, action="create").count() == 1


def test_the_door_finds_a_person_known_by_name_only_for_the_same_name_only():
    known = make_resident("Rita", "Claes")
    assert find_or_create_resident(actor=None, first_name="rita", last_name="claes") == (
        known, False)
    other, created = find_or_create_resident(actor=None, first_name="Rita", last_name="Claes",
                                             phone="0470112233")
    assert created and other != known


def test_search_takes_a_fixed_number_of_queries(client, people):
    client.force_login(make_user("host"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("residents:list"), {"q": "jan"})
    for number in range(30):
        make_resident("Jan", f"Janssens {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("residents:list"), {"q": "jan"})
    assert "Janssens 1" in response.content.decode()
    assert len(many) == len(few)
