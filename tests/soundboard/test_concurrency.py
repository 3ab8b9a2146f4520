"""Rules that protect data hold under concurrency (PostgreSQL only)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from digibank.models import Role
from soundboard.models import Digest, FeedbackEvent, FeedbackStatus, Meeting
from soundboard.services import (
    SoundboardError,
    add_member,
    answer_feedback,
    build_digest,
    mark_told_back,
    plan_next_meeting,
)
from tests.concurrency import Race, run_in_parallel
from tests.factories import make_resident, make_user
from tests.soundboard.factories import make_board, make_item, make_meeting

pytestmark = pytest.mark.postgres

ATTEMPTS = 20


@pytest.fixture(autouse=True)
def _role_groups(postgres):
    """A transactional test flushes the role groups the migration made."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


def _race(work) -> Race:
    """Run ``work`` in ATTEMPTS threads at once."""
    return run_in_parallel(ATTEMPTS, work, expected=(SoundboardError,))


def test_parallel_digest_builds_make_one_digest_and_one_mail(postgres):
    make_user("coordinator", email="coordinator@example.org")
    board = make_board()
    meeting = make_meeting(board, timezone.now() + timedelta(days=3))
    make_item(board)
    results = _race(lambda: build_digest(meeting=meeting))
    assert (results.refused, results.crashes) == ([], [])
    assert len([digest for digest in results.ok if digest is not None]) == 1
    assert Digest.objects.filter(meeting=meeting).count() == 1
    assert len(mail.outbox) == 1


def test_ten_parallel_rebuilds_mail_the_digest_once_to_each_recipient(postgres):
    coordinator = make_user("coordinator", email="coordinator@example.org")
    board = make_board(facilitator=make_user("coach", email="facilitator@example.org"))
    meeting = make_meeting(board, timezone.now() + timedelta(days=3))
    make_item(board)
    build_digest(meeting=meeting)
    results = run_in_parallel(
        10, lambda: build_digest(meeting=meeting, actor=coordinator, rebuild=True))
    assert (results.refused, results.crashes) == ([], [])
    assert Digest.objects.get(meeting=meeting).rebuilt_count == 10
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org", "facilitator@example.org"]


def test_parallel_plans_make_one_next_meeting(postgres):
    board = make_board()
    make_meeting(board, timezone.now() - timedelta(days=1))
    results = _race(lambda: plan_next_meeting(actor=None, board=board))
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert Meeting.objects.filter(board=board).count() == 2


def test_parallel_refusals_leave_one_answer_and_one_history_row(postgres):
    item = make_item(make_board())
    results = _race(lambda: answer_feedback(
        actor=None, item=item, status=FeedbackStatus.DONE, answer="Gedaan"))
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert FeedbackEvent.objects.filter(item=item, kind="answered").count() == 1


def test_parallel_adds_of_one_resident_make_one_membership(postgres):
    board, resident = make_board(), make_resident()
    results = _race(lambda: add_member(actor=None, board=board, resident=resident))
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert board.members.filter(resident=resident).count() == 1


def test_parallel_told_back_is_recorded_once(postgres):
    board = make_board()
    meeting = make_meeting(board)
    item = answer_feedback(actor=None, item=make_item(board), status="planned", answer="x")
    results = _race(lambda: mark_told_back(actor=None, item=item, meeting=meeting))
    assert results.tally == (1, ATTEMPTS - 1, [])
    assert FeedbackEvent.objects.filter(item=item, kind="told_back").count() == 1
