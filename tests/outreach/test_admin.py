"""The admin pages of outreach render (coordinators manage partners and
their contact people there; referrals are read-only)."""

import pytest
from django.urls import reverse

from tests.factories import make_partner, make_user
from tests.outreach.factories import make_poster, make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("coordinator", is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["partner", "referral", "roadshow", "poster"])
def test_admin_list_renders(admin_client, model):
    make_referral()
    make_poster()
    assert admin_client.get(reverse(f"admin:outreach_{model}_changelist")).status_code == 200


def test_admin_partner_page_edits_contact_people_inline(admin_client):
    partner = make_partner()
    response = admin_client.get(reverse("admin:outreach_partner_change", args=[partner.pk]))
    assert "contacts-TOTAL_FORMS" in response.content.decode()


def test_referrals_cannot_be_changed_in_the_admin(admin_client):
    referral = make_referral()
    response = admin_client.post(
        reverse("admin:outreach_referral_change", args=[referral.pk]), {"status": "completed"})
    referral.refresh_from_db()
    assert referral.status == "requested"
    assert response.status_code in (200, 403)
