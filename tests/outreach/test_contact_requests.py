"""A partner's contact request: consent, minimal resident, call list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallResult, CallStatus, CallTask, Consent, ConsentPurpose, Resident
from digibank.services import record_call_result
from outreach.models import Direction, Referral, ReferralStatus
from outreach.services import ContactPerson, ReferralError, submit_contact_request
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "first_name": "Rita", "last_name": "Claes", "phone": "0470 11 22 33", "address": "",
        "language": "nl", "best_time": "in de voormiddag", "reason": "Wil leren bankieren",
        "consent": "on", "consent_method": "verbal",
        "consent_given_on": timezone.localdate().isoformat(), "consent_expires_on": "",
    }
    data.update(overrides)
    return data


def _submit(partner_user, **kwargs):
    defaults = {
        "actor": partner_user, "partner": partner_user.partner,
        "person": ContactPerson(first_name="Rita", last_name="Claes", phone="0470112233"),
        "reason": "Wil leren bankieren", "consent_method": "verbal",
        "consent_given_on": timezone.localdate(),
    }
    defaults.update(kwargs)
    return submit_contact_request(**defaults)


def test_partner_submits_contact_request_and_person_lands_on_the_call_list(client):
    partner_user = make_user("partner")
    point = make_point()
    client.force_login(partner_user)
    response = client.post(reverse("outreach:contact-request"),
                           _form(preferred_point=point.pk))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.direction == Direction.IN
    assert referral.partner == partner_user.partner
    assert referral.status == ReferralStatus.REQUESTED
    assert referral.resident.phone == "0470112233"
    task = CallTask.objects.get()
    assert task.kind == "contact_request" and task.point == point
    assert task.source == referral


def test_contact_request_records_the_consent_the_partner_collected():
    partner_user = make_user("partner")
    referral = _submit(partner_user)
    consent = referral.consent
    assert consent.purpose == ConsentPurpose.CONTACT
    assert consent.collected_by_partner == partner_user.partner
    assert consent.collected_by == partner_user
    assert consent.is_valid_on(timezone.localdate())


def test_contact_request_without_consent_is_refused_next_to_the_field(client):
    client.force_login(make_user("partner"))
    response = client.post(reverse("outreach:contact-request"), _form(consent=""))
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert not Referral.objects.exists()
    assert not Resident.objects.exists()


def test_contact_request_needs_a_phone_or_an_address(client):
    client.force_login(make_user("partner"))
    response = client.post(reverse("outreach:contact-request"), _form(phone="", address=""))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert not Referral.objects.exists()


def test_contact_request_with_consent_dated_in_the_future_is_refused(client):
    client.force_login(make_user("partner"))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("outreach:contact-request"),
                           _form(consent_given_on=tomorrow))
    assert response.context["form"].errors["consent_given_on"]
    assert not Consent.objects.exists()


def test_contact_request_finds_an_existing_resident_with_same_name_and_phone():
    resident = make_resident("Rita", "Claes", phone="0470112233")
    referral = _submit(make_user("partner"))
    assert referral.resident == resident
    assert Resident.objects.count() == 1


def test_contact_request_with_an_address_only_creates_a_resident_without_phone():
    referral = _submit(make_user("partner"), person=ContactPerson(
        first_name="Jan", last_name="Smet", address="Kerkstraat 1, Mechelen"))
    assert referral.contact_address == "Kerkstraat 1, Mechelen"
    assert "Kerkstraat 1" in CallTask.objects.get().message


def test_second_open_request_for_the_same_person_by_the_same_partner_is_refused():
    partner_user = make_user("partner")
    _submit(partner_user)
    with pytest.raises(ReferralError):
        _submit(partner_user)
    assert Referral.objects.count() == 1


def test_expired_consent_is_refused_by_the_service():
    with pytest.raises(ReferralError):
        _submit(make_user("partner"), consent_given_on=date(2025, 1, 1),
                consent_expires_on=date(2025, 6, 1))


def test_reaching_the_person_marks_the_request_contacted_for_the_partner():
    referral = _submit(make_user("partner"))
    record_call_result(actor=make_user("host"), task=CallTask.objects.get(),
                       result=CallResult.REACHED, note="Komt dinsdag langs")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONTACTED
    assert referral.events.last().note == "Komt dinsdag langs"


def test_person_declining_on_the_phone_declines_the_request_with_outcome():
    referral = _submit(make_user("partner"))
    record_call_result(actor=make_user("host"), task=CallTask.objects.get(),
                       result=CallResult.DECLINED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.outcome


def test_first_not_reached_keeps_the_request_open_for_a_try_again():
    referral = _submit(make_user("partner"))
    task = record_call_result(actor=make_user("host"), task=CallTask.objects.get(),
                              result=CallResult.NOT_REACHED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED
    assert task.status == CallStatus.OPEN
    assert referral.events.count() == 2


def test_second_not_reached_marks_the_request_unreachable_and_closes_the_call():
    referral = _submit(make_user("partner"))
    host = make_user("host")
    task = record_call_result(actor=host, task=CallTask.objects.get(),
                              result=CallResult.NOT_REACHED)
    task = record_call_result(actor=host, task=task, result=CallResult.NOT_REACHED)
    referral.refresh_from_db()
    task.refresh_from_db()
    assert referral.status == ReferralStatus.UNREACHABLE
    assert task.status == CallStatus.DONE


def test_wrong_number_marks_the_request_unreachable():
    referral = _submit(make_user("partner"))
    record_call_result(actor=make_user("host"), task=CallTask.objects.get(),
                       result=CallResult.WRONG_NUMBER)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.UNREACHABLE


def test_request_without_preferred_point_is_on_every_points_call_list(client):
    _submit(make_user("partner"))
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    response = client.get(reverse("call-list"))
    assert "Claes" in response.content.decode()


def test_partner_inbox_shows_the_status_after_the_call(client):
    partner_user = make_user("partner")
    referral = _submit(partner_user)
    record_call_result(actor=make_user("host"), task=CallTask.objects.get(),
                       result=CallResult.REACHED)
    client.force_login(partner_user)
    response = client.get(reverse("outreach:referral-list"))
    assert response.status_code == 200
    assert f"#{referral.pk}" in response.content.decode()
    assert list(response.context["page"].object_list)[0].status == ReferralStatus.CONTACTED


def test_partner_without_organisation_cannot_submit(client):
    user = make_user("partner")
    user.partner = None
    user.save()
    client.force_login(user)
    assert client.get(reverse("outreach:contact-request")).status_code == 404


def test_marking_a_request_contacted_by_hand_takes_it_off_the_call_list():
    referral = _submit(make_user("partner"))
    from outreach.services import change_referral_status

    change_referral_status(actor=make_user("host"), referral=referral,
                           status=ReferralStatus.CONTACTED)
    assert not CallTask.objects.open().exists()
