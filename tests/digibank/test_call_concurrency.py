"""A call result is recorded once per real attempt, however often the
button is clicked (PostgreSQL, 20 parallel posts)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from digibank.models import CallResult, CallStatus
from digibank.roles import sync_role_permissions
from outreach.models import ReferralStatus
from outreach.services import CONTACT_REQUEST_CALL
from tests.concurrency import run_in_parallel
from tests.factories import make_call_task, make_point, make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.postgres


def _post_not_reached(host, task, seen: int):
    client = Client()
    client.force_login(host)
    prefix = f"call{task.pk}"
    return client.post(reverse("call-record", args=[task.pk]), {
        f"{prefix}-result": CallResult.NOT_REACHED, f"{prefix}-seen_attempts": str(seen)},
        headers={"HX-Request": "true"}).status_code


def test_twenty_parallel_not_reached_posts_count_one_attempt(postgres):
    sync_role_permissions()
    point = make_point()
    host = make_user("host", points=[point])
    referral = make_referral()
    task = make_call_task(referral.resident, point=point, kind=CONTACT_REQUEST_CALL,
                          source_type=ContentType.objects.get_for_model(referral),
                          source_id=referral.pk)
    results = run_in_parallel(20, lambda: _post_not_reached(host, task, seen=0))
    assert results.crashes == []
    assert set(results.ok) == {200}
    task.refresh_from_db()
    referral.refresh_from_db()
    # One real attempt: the call stays open for the next day, the request too.
    assert (task.attempts, task.status) == (1, CallStatus.OPEN)
    assert referral.status == ReferralStatus.REQUESTED
    # The second real attempt (seen on the list: 1) closes it, as the rule says.
    task.due_on = task.handled_at.date()
    task.save()
    assert _post_not_reached(host, task, seen=1) == 200
    task.refresh_from_db()
    referral.refresh_from_db()
    assert (task.attempts, task.status) == (2, CallStatus.DONE)
    assert referral.status == ReferralStatus.UNREACHABLE
