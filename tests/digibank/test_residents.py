import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from digibank.models import AuditAction, AuditEvent, Resident
from digibank.services import (
    ResidentError,
    create_resident,
    normalise_phone,
    update_resident,
)
from tests.factories import make_district, make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(client):
    user = make_user("host")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0470 12 34 56", "0470123456"), ("+32 470 12.34.56", "0470123456"),
     ("0032470123456", "0470123456"), ("015/20.10.20", "015201020"), ("", "")],
)
def test_phone_numbers_are_stored_as_national_digits(raw, expected):
    assert normalise_phone(raw) == expected


def test_search_finds_a_resident_by_a_few_letters_of_the_last_name():
    maria = make_resident("Maria", "Peeters")
    make_resident("Jan", "Janssens")
    assert list(Resident.objects.search("pee")) == [maria]


def test_search_finds_a_resident_by_digits_of_the_phone_number():
    maria = make_resident("Maria", "Peeters", phone="0470123456")
    assert list(Resident.objects.search("123 45")) == [maria]


def test_search_finds_a_resident_by_first_and_last_name_together():
    maria = make_resident("Maria", "Peeters")
    make_resident("Maria", "Janssens")
    assert list(Resident.objects.search("mar pee")) == [maria]


def test_search_skips_anonymised_residents():
    make_resident("Maria", "Peeters", anonymised_at="2026-01-01T00:00:00Z")
    assert not Resident.objects.search("Peeters").exists()


def test_same_name_and_phone_is_reported_as_a_possible_duplicate():
    maria = make_resident("Maria", "Peeters", phone="0470123456")
    found = Resident.objects.possible_duplicates(
        first_name="maria ", last_name="PEETERS", phone="0470123456"
    )
    assert list(found) == [maria]


def test_database_refuses_an_implausible_birth_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_resident(birth_year=1800)


def test_creating_a_resident_writes_an_audit_event():
    user = make_user("host")
    resident = create_resident(actor=user, first_name="Ahmed", phone="+32 486 11 22 33")
    assert resident.phone == "0486112233"
    event = AuditEvent.objects.get(resident=resident)
    assert (event.action, event.actor) == (AuditAction.CREATE, user)


def test_a_resident_needs_a_name_or_a_phone_number():
    with pytest.raises(ResidentError):
        create_resident(actor=None, email="a@example.org")


def test_changing_a_resident_audits_the_changed_fields_only():
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    update_resident(actor=None, resident=resident, first_name="Marie", phone="0470 12 34 56")
    event = AuditEvent.objects.get(resident=resident, action=AuditAction.CHANGE)
    assert event.detail == {"fields": ["first_name"]}


def test_changing_nothing_writes_no_audit_event():
    resident = make_resident("Maria", "Peeters")
    update_resident(actor=None, resident=resident, first_name="Maria")
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_an_anonymised_resident_cannot_be_changed():
    resident = make_resident(anonymised_at="2026-01-01T00:00:00Z")
    with pytest.raises(ResidentError):
        update_resident(actor=None, resident=resident, first_name="X")


def test_resident_search_needs_two_characters(client, host):
    make_resident("Maria", "Peeters")
    response = client.get(reverse("residents:list"), {"q": "P"})
    assert response.context["residents"].count() == 0


def test_resident_search_answers_htmx_with_a_fragment(client, host):
    make_resident("Maria", "Peeters")
    response = client.get(reverse("residents:list"), {"q": "Pee"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Peeters" in body
    assert "<html" not in body


def test_new_resident_with_a_bad_phone_number_gets_a_dutch_message_and_nothing_is_saved(
    client, host
):
    response = client.post(reverse("residents:create"), {
        "first_name": "Maria", "phone": "12", "language": "nl",
    })
    assert response.status_code == 200
    assert "Geef een volledig telefoonnummer" in response.content.decode()
    assert not Resident.objects.exists()


def test_new_resident_like_a_known_one_asks_for_confirmation_first(client, host):
    make_resident("Maria", "Peeters", phone="0470123456")
    data = {"first_name": "maria", "last_name": "Peeters", "phone": "0470 99 88 77",
            "language": "nl"}
    response = client.post(reverse("residents:create"), data)
    assert "misschien al gekend" in response.content.decode()
    assert Resident.objects.count() == 1
    response = client.post(reverse("residents:create"), {**data, "confirm_duplicate": "1"})
    assert response.status_code == 302
    assert Resident.objects.count() == 2


def test_the_same_name_and_phone_confirmed_again_opens_the_known_resident(client, host):
    maria = make_resident("Maria", "Peeters", phone="0470123456")
    response = client.post(reverse("residents:create"), {
        "first_name": "Peeters", "last_name": "MARIA", "phone": "+32 470 12 34 56",
        "language": "nl", "confirm_duplicate": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:detail", args=[maria.pk])
    assert Resident.objects.count() == 1


def test_new_resident_is_created_with_district_and_target_groups(client, host):
    district = make_district("Battel")
    response = client.post(reverse("residents:create"), {
        "first_name": "Fatima", "last_name": "Bouzid", "phone": "0488 77 66 55",
        "district": district.pk, "language": "ar", "birth_year": "1980",
    })
    resident = Resident.objects.get()
    assert response["Location"] == reverse("residents:detail", args=[resident.pk])
    assert (resident.district, resident.language, resident.birth_year) == (district, "ar", 1980)


def test_viewing_a_resident_is_audited(client, host):
    resident = make_resident()
    client.get(reverse("residents:detail", args=[resident.pk]))
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.actor, event.resident) == (host, resident)


def test_editing_an_anonymised_resident_is_not_found(client, host):
    resident = make_resident(anonymised_at="2026-01-01T00:00:00Z")
    assert client.get(reverse("residents:edit", args=[resident.pk])).status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_resident_search_query_count_does_not_grow_with_rows(
    client, host, django_assert_max_num_queries, rows
):
    district = make_district()
    Resident.objects.bulk_create(
        Resident(first_name="Maria", last_name=f"Peeters{i}", district=district)
        for i in range(rows)
    )
    with django_assert_max_num_queries(9):
        client.get(reverse("residents:list"), {"q": "Peeters"})


@pytest.mark.parametrize("rows", [5, 200])
def test_audit_log_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    coordinator = make_user("coordinator")
    client.force_login(coordinator)
    resident = make_resident()
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=coordinator, resident=resident, action=AuditAction.VIEW, summary="x")
        for _ in range(rows)
    )
    # Two more than a plain list: the audit row for looking at the trail and
    # the users offered in the filter.
    with django_assert_max_num_queries(11):
        client.get(reverse("audit-log"))
