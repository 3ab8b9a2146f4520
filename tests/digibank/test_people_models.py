from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from digibank.models import Consent, ConsentPurpose
from tests.factories import make_consent, make_district, make_resident, make_user

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 26)


def test_consent_is_valid_from_the_day_it_was_given():
    consent = make_consent(make_resident(), ConsentPurpose.CONTACT, given_on=DAY)
    assert not consent.is_valid_on(DAY - timedelta(days=1))
    assert consent.is_valid_on(DAY)


def test_consent_is_valid_up_to_and_including_its_expiry_day():
    consent = make_consent(make_resident(), ConsentPurpose.CONTACT, given_on=DAY,
                           expires_on=DAY + timedelta(days=10))
    assert consent.is_valid_on(DAY + timedelta(days=10))
    assert not consent.is_valid_on(DAY + timedelta(days=11))


def test_withdrawn_consent_stops_being_valid_on_the_day_of_withdrawal():
    consent = make_consent(make_resident(), ConsentPurpose.CONTACT, given_on=DAY,
                           withdrawn_on=DAY + timedelta(days=3))
    assert consent.is_valid_on(DAY + timedelta(days=2))
    assert not consent.is_valid_on(DAY + timedelta(days=3))


def test_valid_on_queryset_agrees_with_is_valid_on():
    resident = make_resident()
    valid = make_consent(resident, ConsentPurpose.CONTACT, given_on=DAY)
    make_consent(resident, ConsentPurpose.REFERRAL, given_on=DAY,
                 withdrawn_on=DAY + timedelta(days=1))
    make_consent(resident, ConsentPurpose.NEWSLETTER, given_on=DAY - timedelta(days=30),
                 expires_on=DAY - timedelta(days=1))
    assert list(Consent.objects.valid_on(DAY + timedelta(days=1))) == [valid]


def test_database_refuses_consent_that_expires_before_it_was_given():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_consent(make_resident(), ConsentPurpose.CONTACT, given_on=DAY,
                     expires_on=DAY - timedelta(days=1))


def test_database_refuses_consent_withdrawn_before_it_was_given():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_consent(make_resident(), ConsentPurpose.CONTACT, given_on=DAY,
                     withdrawn_on=DAY - timedelta(days=1))


def test_user_roles_come_from_role_groups_only():
    user = make_user("host")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.create(name="newsletter editors"))
    user = type(user).objects.get(pk=user.pk)
    assert user.roles == {"host"}
    assert user.has_role("coach", "host")
    assert not user.has_role("coordinator")


def test_primary_role_prefers_the_widest_role():
    from django.contrib.auth.models import Group

    user = make_user("host")
    user.groups.add(Group.objects.get(name="coordinator"))
    user = type(user).objects.get(pk=user.pk)
    assert user.primary_role == "coordinator"
    with translation.override("nl"):
        assert str(user.primary_role_label) == "Coördinator"


def test_anonymised_resident_is_shown_without_a_name():
    resident = make_resident("Maria", "Peeters", anonymised_at="2026-01-01T00:00:00Z")
    with translation.override("nl"):
        assert str(resident) == f"Geanonimiseerde inwoner #{resident.pk}"


def test_a_wijk_can_be_part_of_a_deelgemeente():
    wijk = make_district("Nekkerspoel", parent=make_district("Mechelen"))
    wijk.full_clean()
    assert wijk.deelgemeente_id == wijk.parent_id


def test_a_wijk_cannot_be_part_of_another_wijk():
    wijk = make_district("Nekkerspoel", parent=make_district("Mechelen"))
    finer = make_district("Nekkerspoel-Oost")
    finer.parent = wijk
    with pytest.raises(ValidationError) as error:
        finer.full_clean()
    assert list(error.value.message_dict) == ["parent"]


def test_a_district_cannot_be_part_of_itself():
    mechelen = make_district("Mechelen")
    mechelen.parent = mechelen
    with pytest.raises(ValidationError):
        mechelen.full_clean()


def test_a_district_with_wijken_cannot_become_a_wijk():
    battel, mechelen = make_district("Battel"), make_district("Mechelen")
    make_district("Nekkerspoel", parent=mechelen)
    mechelen.parent = battel
    with pytest.raises(ValidationError):
        mechelen.full_clean()
