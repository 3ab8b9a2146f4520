"""A partner user sees and updates only referrals of its own organisation."""

import pytest
from django.urls import reverse

from outreach.models import Direction, ReferralStatus
from tests.factories import make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_referral():
    return make_referral(direction=Direction.OUT)


@pytest.fixture
def partner_client(client):
    client.force_login(make_user("partner"))
    return client


def test_partner_probing_another_partners_referral_gets_404(partner_client, other_referral):
    url = reverse("outreach:referral-detail", args=[other_referral.pk])
    assert partner_client.get(url).status_code == 404


def test_partner_cannot_change_status_of_another_partners_referral(
    partner_client, other_referral
):
    url = reverse("outreach:referral-status", args=[other_referral.pk])
    assert partner_client.post(url, {"status": "accepted"}).status_code == 404
    other_referral.refresh_from_db()
    assert other_referral.status == ReferralStatus.REQUESTED


def test_partner_cannot_withdraw_consent_on_another_partners_referral(
    partner_client, other_referral
):
    url = reverse("outreach:consent-withdraw", args=[other_referral.pk])
    assert partner_client.post(url).status_code == 404
    other_referral.consent.refresh_from_db()
    assert other_referral.consent.withdrawn_on is None


def test_partner_list_shows_only_its_own_referrals(client, other_referral):
    partner_user = make_user("partner")
    own = make_referral(partner=partner_user.partner)
    client.force_login(partner_user)
    response = client.get(reverse("outreach:referral-list"),
                          {"partner": other_referral.partner.pk})
    assert list(response.context["page"].object_list) == [own]


def test_partner_opening_another_partners_referral_does_not_mark_it_received(
    partner_client, other_referral
):
    partner_client.get(reverse("outreach:referral-detail", args=[other_referral.pk]))
    other_referral.refresh_from_db()
    assert other_referral.status == ReferralStatus.REQUESTED


def test_partner_cannot_see_the_partner_directory_or_reports(partner_client):
    assert partner_client.get(reverse("outreach:partner-list")).status_code == 403
    assert partner_client.get(reverse("reach-report")).status_code == 403


def test_host_cannot_submit_a_partners_contact_request(client):
    client.force_login(make_user("host"))
    assert client.get(reverse("outreach:contact-request")).status_code == 403


def test_partner_inbox_counts_the_digibanks_referrals_waiting_for_an_answer(client):
    partner_user = make_user("partner")
    make_referral(partner=partner_user.partner, direction=Direction.OUT)
    make_referral(partner=partner_user.partner, direction=Direction.OUT,
                  status=ReferralStatus.ACCEPTED)
    make_referral(direction=Direction.OUT)
    client.force_login(partner_user)
    response = client.get(reverse("outreach:referral-list"))
    assert response.context["waiting"] == 1
