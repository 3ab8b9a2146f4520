"""The partner's referral list flags open referrals past their follow-up day."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from outreach.models import Direction, ReferralStatus
from tests.factories import make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-03-30 10:00 +02:00")
def test_the_partner_list_flags_an_overdue_follow_up_and_counts_them(client):
    partner = make_user("partner")
    late = make_referral(partner=partner.partner, direction=Direction.OUT,
                         status=ReferralStatus.CONTACTED, follow_up_on=date(2026, 3, 20))
    make_referral(partner=partner.partner, direction=Direction.OUT,
                  status=ReferralStatus.CONTACTED, follow_up_on=date(2026, 4, 10))
    make_referral(partner=partner.partner, direction=Direction.OUT,
                  status=ReferralStatus.DECLINED, follow_up_on=date(2026, 3, 1))
    client.force_login(partner)
    text = client.get(reverse("outreach:referral-list")).content.decode()
    assert text.count("Te laat: 20/03/2026") == 1
    assert "10/04/2026" in text
    assert "1 open doorverwijzing is over haar opvolgdag." in text
    assert late.follow_up_overdue


@time_machine.travel("2026-03-30 10:00 +02:00")
def test_a_follow_up_due_today_is_not_overdue_yet():
    referral = make_referral(status=ReferralStatus.CONTACTED, follow_up_on=date(2026, 3, 30))
    assert not referral.follow_up_overdue
