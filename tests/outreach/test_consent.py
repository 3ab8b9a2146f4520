"""Withdrawal and expiry of consent: nobody who withdrew is called again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.models import CallStatus, CallTask, ConsentPurpose
from digibank.services import notify_resident, residents_due_for_anonymisation
from outreach.models import Direction, ReferralStatus
from outreach.services import (
    ContactPerson,
    ReferralError,
    expire_consents,
    refer_resident,
    submit_contact_request,
    withdraw_consent,
)
from tests.factories import make_consent, make_partner, make_point, make_resident, make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.django_db


def _request(partner_user):
    return submit_contact_request(
        actor=partner_user, partner=partner_user.partner,
        person=ContactPerson(first_name="Rita", last_name="Claes", phone="0470112233"),
        reason="Hulp", consent_method="verbal", consent_given_on=timezone.localdate(),
    )


def test_withdrawal_takes_the_person_off_every_call_list(client):
    partner_user = make_user("partner")
    referral = _request(partner_user)
    point = make_point()
    notify_resident(resident=referral.resident, kind="training_reminder", source=referral,
                    subject="Les morgen", message="10:00", point=point)
    withdraw_consent(actor=partner_user, consent=referral.consent)
    assert not CallTask.objects.open().exists()
    client.force_login(make_user("host", points=[point]))
    assert "Claes" not in client.get(reverse("call-list")).content.decode()


def test_withdrawal_cancels_the_open_referral_with_a_history_row():
    partner_user = make_user("partner")
    referral = _request(partner_user)
    withdraw_consent(actor=partner_user, consent=referral.consent)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert referral.events.last().note == _("Consent withdrawn")


def test_no_new_referral_after_withdrawal():
    resident, partner = make_resident(), make_partner()
    consent = make_consent(resident, ConsentPurpose.REFERRAL, partner=partner)
    withdraw_consent(actor=make_user("coach"), consent=consent)
    with pytest.raises(ReferralError):
        refer_resident(actor=make_user("coach"), resident=resident, partner=partner,
                       reason="Nog eens")


def test_withdrawing_twice_is_refused():
    consent = make_consent(make_resident(), ConsentPurpose.CONTACT)
    withdraw_consent(actor=make_user("coach"), consent=consent)
    with pytest.raises(ReferralError):
        withdraw_consent(actor=make_user("coach"), consent=consent)


def test_partner_records_withdrawal_from_the_referral_page(client):
    partner_user = make_user("partner")
    referral = _request(partner_user)
    client.force_login(partner_user)
    response = client.post(reverse("outreach:consent-withdraw", args=[referral.pk]))
    referral.consent.refresh_from_db()
    assert response.status_code == 302
    assert referral.consent.withdrawn_on == timezone.localdate()
    assert CallTask.objects.get().status == CallStatus.CANCELLED


def test_expired_contact_consent_closes_the_request_and_the_call():
    partner_user = make_user("partner")
    referral = _request(partner_user)
    referral.consent.expires_on = timezone.localdate()
    referral.consent.save()
    closed = expire_consents(today=timezone.localdate() + timedelta(days=1))
    referral.refresh_from_db()
    assert closed == 1
    assert referral.status == ReferralStatus.CANCELLED
    assert not CallTask.objects.open().exists()


def test_expiring_consents_twice_changes_nothing_the_second_time():
    referral = make_referral(direction=Direction.OUT)
    referral.consent.given_on = timezone.localdate() - timedelta(days=10)
    referral.consent.expires_on = timezone.localdate() - timedelta(days=1)
    referral.consent.save()
    assert expire_consents() == 1
    assert expire_consents() == 0
    assert referral.events.count() == 2


def test_resident_with_an_open_referral_is_kept_by_retention():
    referral = make_referral()
    resident = referral.resident
    resident.last_activity = timezone.localdate() - timedelta(days=3 * 365)
    resident.save()
    assert resident not in residents_due_for_anonymisation()
