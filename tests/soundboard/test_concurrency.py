"""Rules that protect data hold under concurrency (PostgreSQL only)."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
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
from tests.factories import make_resident, make_user
from tests.soundboard.factories import make_board, make_item, make_meeting

pytestmark = pytest.mark.postgres

ATTEMPTS = 20


@pytest.fixture(autouse=True)
def _role_groups(postgres):
    """A transactional test flushes the role groups the migration made."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


def _race(work) -> tuple[list, list]:
    """Run ``work`` in ATTEMPTS threads at once; collect results and errors."""
    results, errors, lock = [], [], threading.Lock()
    barrier = threading.Barrier(ATTEMPTS)

    def run():
        try:
            barrier.wait()
            outcome = work()
            with lock:
                results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - the test inspects every error
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_parallel_digest_builds_make_one_digest_and_one_mail(postgres):
    make_user("coordinator", email="coordinator@example.org")
    board = make_board()
    meeting = make_meeting(board, timezone.now() + timedelta(days=3))
    make_item(board)
    results, errors = _race(lambda: build_digest(meeting=meeting))
    assert errors == []
    assert len([digest for digest in results if digest is not None]) == 1
    assert Digest.objects.filter(meeting=meeting).count() == 1
    assert len(mail.outbox) == 1


def test_parallel_plans_make_one_next_meeting(postgres):
    board = make_board()
    make_meeting(board, timezone.now() - timedelta(days=1))
    results, errors = _race(lambda: plan_next_meeting(actor=None, board=board))
    assert len(results) == 1
    assert len(errors) == ATTEMPTS - 1
    assert all(isinstance(error, SoundboardError) for error in errors)
    assert Meeting.objects.filter(board=board).count() == 2


def test_parallel_refusals_leave_one_answer_and_one_history_row(postgres):
    item = make_item(make_board())
    results, errors = _race(lambda: answer_feedback(
        actor=None, item=item, status=FeedbackStatus.DONE, answer="Gedaan"))
    assert len(results) == 1
    assert all(isinstance(error, SoundboardError) for error in errors)
    assert FeedbackEvent.objects.filter(item=item, kind="answered").count() == 1


def test_parallel_adds_of_one_resident_make_one_membership(postgres):
    board, resident = make_board(), make_resident()
    results, errors = _race(lambda: add_member(actor=None, board=board, resident=resident))
    assert len(results) == 1
    assert len(errors) == ATTEMPTS - 1
    assert all(isinstance(error, SoundboardError) for error in errors)
    assert board.members.filter(resident=resident).count() == 1


def test_parallel_told_back_is_recorded_once(postgres):
    board = make_board()
    meeting = make_meeting(board)
    item = answer_feedback(actor=None, item=make_item(board), status="planned", answer="x")
    results, errors = _race(lambda: mark_told_back(actor=None, item=item, meeting=meeting))
    assert len(results) == 1
    assert all(isinstance(error, SoundboardError) for error in errors)
    assert FeedbackEvent.objects.filter(item=item, kind="told_back").count() == 1
