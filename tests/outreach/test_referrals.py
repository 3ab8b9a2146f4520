"""Referrals out, the status flow seen from both sides, and consent gates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import ConsentPurpose
from outreach.models import Direction, Referral, ReferralEvent, ReferralStatus
from outreach.services import ReferralError, change_referral_status, refer_resident
from tests.factories import make_consent, make_partner, make_resident, make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.django_db


def test_coach_cannot_refer_a_resident_without_referral_consent():
    resident, partner = make_resident(), make_partner()
    with pytest.raises(ReferralError):
        refer_resident(actor=make_user("coach"), resident=resident, partner=partner,
                       reason="Sollicitatie")
    assert not Referral.objects.exists()


def test_coach_refers_a_resident_with_a_valid_consent():
    resident, partner = make_resident(), make_partner()
    make_consent(resident, ConsentPurpose.REFERRAL, partner=partner)
    referral = refer_resident(actor=make_user("coach"), resident=resident, partner=partner,
                              reason="Sollicitatie")
    assert referral.direction == Direction.OUT
    assert referral.status == ReferralStatus.REQUESTED
    assert referral.events.get().to_status == ReferralStatus.REQUESTED


def test_consent_for_another_partner_does_not_count():
    resident = make_resident()
    make_consent(resident, ConsentPurpose.REFERRAL, partner=make_partner())
    with pytest.raises(ReferralError):
        refer_resident(actor=make_user("coach"), resident=resident, partner=make_partner(),
                       reason="x")


def test_expired_referral_consent_does_not_count():
    resident, partner = make_resident(), make_partner()
    today = timezone.localdate()
    make_consent(resident, ConsentPurpose.REFERRAL, given_on=today - timedelta(days=30),
                 expires_on=today - timedelta(days=1))
    with pytest.raises(ReferralError):
        refer_resident(actor=make_user("coach"), resident=resident, partner=partner, reason="x")


def test_host_records_consent_at_the_counter_while_referring(client):
    resident, partner = make_resident(), make_partner()
    client.force_login(make_user("host"))
    response = client.post(
        reverse("outreach:referral-create") + f"?inwoner={resident.pk}",
        {"partner": partner.pk, "reason": "Hulp bij VDAB-account", "consent_now": "on",
         "consent_method": "verbal"},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.consent.purpose == ConsentPurpose.REFERRAL
    assert referral.consent.partner == partner


def test_referral_form_without_consent_shows_the_error_and_saves_nothing(client):
    resident, partner = make_resident(), make_partner()
    client.force_login(make_user("host"))
    response = client.post(
        reverse("outreach:referral-create") + f"?inwoner={resident.pk}",
        {"partner": partner.pk, "reason": "Hulp"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Referral.objects.exists()
    assert not resident.consents.exists()


def test_referral_form_without_partner_shows_a_field_error(client):
    resident = make_resident()
    client.force_login(make_user("host"))
    response = client.post(reverse("outreach:referral-create") + f"?inwoner={resident.pk}",
                           {"reason": "Hulp"})
    assert response.context["form"].errors["partner"]


def test_referral_create_without_resident_offers_a_search(client):
    make_resident("Rita", "Claes")
    client.force_login(make_user("host"))
    response = client.get(reverse("outreach:referral-create"), {"q": "Claes"})
    assert response.status_code == 200
    assert "Claes" in response.content.decode()


def test_partner_opening_a_new_referral_marks_it_received_for_the_digibank(client):
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.OUT)
    client.force_login(partner_user)
    client.get(reverse("outreach:referral-detail", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


def test_staff_opening_an_outgoing_referral_does_not_mark_it_received(client):
    referral = make_referral(direction=Direction.OUT)
    client.force_login(make_user("coach"))
    client.get(reverse("outreach:referral-detail", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_partner_accepts_then_completes_and_the_coach_sees_the_outcome(client):
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.OUT)
    client.force_login(partner_user)
    url = reverse("outreach:referral-status", args=[referral.pk])
    client.post(url, {"status": "accepted"})
    client.post(url, {"status": "completed", "outcome": "Ingeschreven bij VDAB"})
    client.force_login(make_user("coach"))
    response = client.get(reverse("outreach:referral-detail", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert "Ingeschreven bij VDAB" in response.content.decode()
    assert [e.to_status for e in referral.events.all()] == ["requested", "accepted", "completed"]


def test_declining_without_an_outcome_is_refused_with_a_message(client):
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.OUT)
    client.force_login(partner_user)
    response = client.post(reverse("outreach:referral-status", args=[referral.pk]),
                           {"status": "declined", "outcome": ""})
    referral.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert referral.status == ReferralStatus.REQUESTED


def test_partner_cannot_work_its_own_contact_request():
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.IN)
    with pytest.raises(ReferralError):
        change_referral_status(actor=partner_user, referral=referral,
                               status=ReferralStatus.CONTACTED)


def test_partner_may_cancel_its_own_contact_request():
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.IN)
    change_referral_status(actor=partner_user, referral=referral,
                           status=ReferralStatus.CANCELLED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_host_completes_an_incoming_request_and_the_partner_sees_it(client):
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.IN,
                             status=ReferralStatus.CONTACTED)
    change_referral_status(actor=make_user("host"), referral=referral,
                           status=ReferralStatus.COMPLETED, outcome="Kan nu itsme gebruiken")
    client.force_login(partner_user)
    response = client.get(reverse("outreach:referral-detail", args=[referral.pk]))
    assert "Kan nu itsme gebruiken" in response.content.decode()
    assert response.context["referral"].status == ReferralStatus.COMPLETED


def test_a_closed_referral_cannot_be_reopened():
    referral = make_referral(status=ReferralStatus.COMPLETED)
    with pytest.raises(ReferralError):
        change_referral_status(actor=make_user("coordinator"), referral=referral,
                               status=ReferralStatus.CONTACTED)
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_referral_list_filters_open_referrals(client):
    make_referral(status=ReferralStatus.COMPLETED)
    open_one = make_referral()
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:referral-list"), {"status": "open"})
    assert list(response.context["page"].object_list) == [open_one]


def test_referral_list_htmx_request_returns_the_results_fragment(client):
    make_referral()
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:referral-list"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="results"' in content and "<html" not in content


def test_viewing_a_referral_is_audited(client):
    referral = make_referral()
    client.force_login(make_user("coach"))
    client.get(reverse("outreach:referral-detail", args=[referral.pk]))
    assert referral.resident.audit_events.filter(action="view").exists()


def test_referral_without_a_follow_up_date_is_followed_up_after_two_weeks():
    resident, partner = make_resident(), make_partner()
    make_consent(resident, ConsentPurpose.REFERRAL, partner=partner)
    referral = refer_resident(actor=make_user("coach"), resident=resident, partner=partner,
                              reason="x")
    assert referral.follow_up_on == timezone.localdate() + timedelta(days=14)


def test_referral_list_finds_a_referral_by_name_or_number(client):
    wanted = make_referral(resident=make_resident("Rita", "Claes"))
    make_referral(resident=make_resident("Jan", "Smet"))
    client.force_login(make_user("host"))
    by_name = client.get(reverse("outreach:referral-list"), {"q": "claes"})
    by_number = client.get(reverse("outreach:referral-list"), {"q": f"#{wanted.pk}"})
    assert list(by_name.context["page"].object_list) == [wanted]
    assert list(by_number.context["page"].object_list) == [wanted]
