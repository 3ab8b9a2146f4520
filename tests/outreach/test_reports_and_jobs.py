"""Referrals per partner and month, follow-up reminders, screen messages and query counts
(the reach report itself: tests/dashboard/test_reach_report.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Direction, ScreenMessage
from outreach.reports import referrals_per_partner_and_month
from outreach.services import send_follow_up_reminders
from outreach.tasks import send_follow_up_reminders as follow_up_task
from points.models import Channel
from tests.factories import make_partner, make_point, make_user
from tests.outreach.factories import make_channel, make_poster, make_referral

pytestmark = pytest.mark.django_db


def test_referrals_per_partner_and_month_counts_both_directions_and_completed():
    partner = make_partner("VDAB")
    with time_machine.travel("2026-10-10 10:00 +02:00"):
        make_referral(partner=partner, direction=Direction.IN, status="completed")
        make_referral(partner=partner, direction=Direction.IN)
        make_referral(partner=partner, direction=Direction.OUT, status="completed")
    with time_machine.travel("2026-11-10 10:00 +01:00"):
        make_referral(partner=partner, direction=Direction.OUT)
    rows = referrals_per_partner_and_month()
    november, october = rows
    assert (october["incoming"], october["incoming_completed"]) == (2, 1)
    assert (october["outgoing"], october["outgoing_completed"]) == (1, 1)
    assert (november["incoming"], november["outgoing"]) == (0, 1)


def test_follow_up_reminder_is_sent_once_to_the_partner(
        mailoutbox, django_capture_on_commit_callbacks):
    partner_user = make_user("partner", email="anna@partner.example")
    referral = make_referral(partner=partner_user.partner, direction=Direction.OUT,
                             follow_up_on=timezone.localdate() - timedelta(days=1),
                             partner_owner=partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_up_task.delay().get() == 1
        assert send_follow_up_reminders() == 0
    assert [m.to for m in mailoutbox] == [["anna@partner.example"]]
    assert referral.events.filter(note=_("Follow-up reminder sent")).count() == 1


def test_follow_up_reminder_for_an_incoming_request_goes_to_coordinators(
        mailoutbox, django_capture_on_commit_callbacks):
    make_user("coordinator", email="coord@digibank.example")
    make_referral(direction=Direction.IN, follow_up_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        send_follow_up_reminders()
    assert mailoutbox[0].to == ["coord@digibank.example"]


def test_a_moved_follow_up_date_is_reminded_again(mailoutbox):
    referral = make_referral(follow_up_on=timezone.localdate() - timedelta(days=3))
    send_follow_up_reminders()
    referral.follow_up_on = timezone.localdate()
    referral.save()
    assert send_follow_up_reminders() == 1


def test_closed_referrals_get_no_reminder():
    make_referral(status="completed", follow_up_on=timezone.localdate() - timedelta(days=1))
    assert send_follow_up_reminders() == 0


def test_screen_messages_include_renders_current_messages_for_the_point():
    point, other = make_point(), make_point()
    today = timezone.localdate()
    ScreenMessage.objects.create(title="Voor iedereen", text="a")
    ScreenMessage.objects.create(title="Hier", text="b", point=point)
    ScreenMessage.objects.create(title="Elders", text="c", point=other)
    ScreenMessage.objects.create(title="Voorbij", text="d", ends_on=today - timedelta(days=1))
    ScreenMessage.objects.create(title="Uit", text="e", is_active=False)
    html = Template("{% load outreach_screen %}{% screen_messages point %}").render(
        Context({"point": point}))
    assert "Voor iedereen" in html and "Hier" in html
    assert "Elders" not in html and "Voorbij" not in html and "Uit" not in html
    assert "outreach.js" in html


def test_screen_message_with_end_before_start_is_refused(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:screen-message-create"), {
        "title": "Nieuw", "text": "Tekst", "starts_on": "2026-12-10", "ends_on": "2026-12-01",
        "order": 100, "is_active": "on"})
    assert response.context["form"].errors["ends_on"]
    assert not ScreenMessage.objects.exists()


def test_coordinator_adds_a_channel(client):
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("outreach:channel-create"),
                           {"name": "Infozuil", "slug": "infozuil", "order": 5,
                            "is_active": "on"})
    assert response.status_code == 302
    assert Channel.objects.filter(slug="infozuil").exists()


@pytest.mark.parametrize("url_name", ["outreach:referral-list"])
def test_referral_list_query_count_does_not_grow(client, django_assert_max_num_queries,
                                                url_name):
    partner = make_partner()
    client.force_login(make_user("coordinator"))
    for _row in range(5):
        make_referral(partner=partner)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse(url_name))
    for _row in range(195):
        make_referral(partner=partner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse(url_name))


def test_partner_inbox_query_count_does_not_grow(client, django_assert_max_num_queries):
    partner_user = make_user("partner")
    client.force_login(partner_user)
    for _row in range(5):
        make_referral(partner=partner_user.partner, direction=Direction.OUT)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("outreach:referral-list"))
    for _row in range(195):
        make_referral(partner=partner_user.partner, direction=Direction.OUT)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("outreach:referral-list"))


def test_campaign_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    make_channel("Affiche")
    make_point()
    client.force_login(make_user("coordinator"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("outreach:campaign"))
    for _row in range(20):
        make_poster(make_point(), make_channel())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("outreach:campaign"))


def test_partner_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    make_partner()
    client.force_login(make_user("coach"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("outreach:partner-list"))
    for _row in range(50):
        make_partner()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("outreach:partner-list"))
