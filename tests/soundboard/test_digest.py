from datetime import date

import pytest
import time_machine
from django.core import mail

from soundboard.models import Digest, FeedbackStatus
from soundboard.services import (
    answer_feedback,
    build_digest,
    build_due_digests,
    digest_context,
    record_step,
)
from tests.factories import make_user
from tests.soundboard.factories import at, make_board, make_item, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    coordinator = make_user("coordinator", email="coordinator@example.org")
    make_user("coordinator", email="")  # no address: nobody to send to
    make_user("host", email="host@example.org")  # hosts do not get digests
    assert coordinator
    return make_board(facilitator=make_user("coach", email="facilitator@example.org"))


@pytest.fixture
def history(board):
    """An old meeting, the last meeting (10/02) and the next one (24/03)."""
    with time_machine.travel("2025-12-30 15:00 +01:00"):
        old = make_meeting(board, at(2025, 12, 30))
        before = make_item(board, "Said before the last meeting", meeting=old)
        untouched = make_item(board, "Old and unchanged", meeting=old)
        old_step = record_step(actor=None, title="Old step", taken_on=date(2025, 12, 30),
                               boards=[board])
    last = make_meeting(board, at(2026, 2, 10))
    nxt = make_meeting(board, at(2026, 3, 24))
    with time_machine.travel("2026-02-10 15:00 +01:00"):
        raised = make_item(board, "Said at the last meeting", meeting=last)
    with time_machine.travel("2026-02-20 10:00 +01:00"):
        answer_feedback(actor=None, item=before, status=FeedbackStatus.PLANNED, answer="In maart")
        step = record_step(actor=None, title="Zaterdagvoormiddag open in de bibliotheek",
                           taken_on=date(2026, 2, 20), items=[before])
        internal = record_step(actor=None, title="Budget asked", taken_on=date(2026, 2, 20),
                               boards=[board], is_public=False)
    return {"old": old, "last": last, "next": nxt, "before": before, "untouched": untouched,
            "raised": raised, "step": step, "internal": internal, "old_step": old_step}


@time_machine.travel("2026-03-17 06:00 +01:00")
def test_digest_lists_exactly_the_items_and_steps_since_the_last_meeting(board, history):
    digest = build_digest(meeting=history["next"])
    assert set(digest.items.all()) == {history["raised"], history["before"]}
    assert set(digest.steps.all()) == {history["step"], history["internal"]}
    context = digest_context(digest)
    assert context["new_items"] == [history["raised"]]
    assert context["changed_items"] == [history["before"]]


@time_machine.travel("2026-03-17 06:00 +01:00")
def test_members_sheet_leaves_out_internal_steps(board, history):
    digest = build_digest(meeting=history["next"])
    assert digest_context(digest, public_only=True)["steps"] == [history["step"]]


@time_machine.travel("2026-03-17 06:00 +01:00")
def test_first_digest_of_a_board_lists_everything(board):
    meeting = make_meeting(board, at(2026, 3, 24))
    item = make_item(board)
    assert list(build_digest(meeting=meeting).items.all()) == [item]


def test_digest_is_mailed_to_the_facilitator_and_coordinators(
    board, history, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-17 06:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        build_digest(meeting=history["next"])
    # One e-mail per recipient (so one refused address holds up nobody else).
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org", "facilitator@example.org"]
    message = mail.outbox[0]
    assert "Said at the last meeting" in message.body
    assert "Zaterdagvoormiddag open in de bibliotheek" in message.body
    # An old item appears only in the section of items waiting too long.
    assert message.body.count("Old and unchanged") == 1
    assert message.body.index("Old and unchanged") > message.body.index("Wacht te lang")
    assert Digest.objects.get().sent_at is not None


def test_beat_job_run_twice_builds_one_digest_and_sends_one_mail(
    board, history, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-17 06:00 +01:00"):
        with django_capture_on_commit_callbacks(execute=True):
            assert build_due_digests() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert build_due_digests() == 0
    assert Digest.objects.filter(meeting=history["next"]).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org", "facilitator@example.org"]


def test_beat_job_waits_until_the_digest_day(board, history):
    with time_machine.travel("2026-03-16 06:00 +01:00"):
        assert build_due_digests() == 0
    assert not Digest.objects.exists()


def test_digest_built_by_hand_is_not_built_again():
    board = make_board()
    meeting = make_meeting(board, at(2026, 3, 24))
    assert build_digest(meeting=meeting) is not None
    assert build_digest(meeting=meeting) is None
    assert Digest.objects.count() == 1


def test_rebuild_refreshes_the_digest_without_sending_it_again(
    board, history, django_capture_on_commit_callbacks
):
    coordinator = make_user("coordinator", email="")
    with time_machine.travel("2026-03-17 06:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        build_digest(meeting=history["next"])
    mailed = sorted(m.to[0] for m in mail.outbox)
    with time_machine.travel("2026-03-18 09:00 +01:00"):
        late = make_item(board, "Raised by phone after the digest")
        with django_capture_on_commit_callbacks(execute=True):
            digest = build_digest(meeting=history["next"], actor=coordinator, rebuild=True)
    assert late in digest.items.all()
    assert digest.rebuilt_count == 1
    assert Digest.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == mailed


def test_a_coordinator_added_after_the_digest_gets_the_rebuilt_one(
    board, history, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-17 06:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        build_digest(meeting=history["next"])
    mail.outbox.clear()
    newcomer = make_user("coordinator", email="new@example.org")
    with time_machine.travel("2026-03-18 09:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        build_digest(meeting=history["next"], actor=newcomer, rebuild=True)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_digest_keeps_naming_items_that_wait_too_long_for_an_answer(
    board, history, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-03-17 06:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        digest = build_digest(meeting=history["next"])
        assert digest_context(digest)["overdue"] == [history["untouched"]]
        assert digest_context(digest, public_only=True)["overdue"] == []
    body = mail.outbox[0].body
    assert body.index("Old and unchanged") > body.index("Wacht te lang op een antwoord")


def test_digest_without_anyone_to_mail_stays_unsent(django_capture_on_commit_callbacks):
    board = make_board(facilitator=make_user("coach", email=""))
    with django_capture_on_commit_callbacks(execute=True):
        digest = build_digest(meeting=make_meeting(board, at(2026, 3, 24)))
    digest.refresh_from_db()
    assert digest.sent_at is None
    assert mail.outbox == []


def test_beat_task_builds_due_digests_and_is_scheduled(
    board, history, settings, django_capture_on_commit_callbacks
):
    from soundboard.tasks import build_due_digests as task

    entry = settings.CELERY_BEAT_SCHEDULE["soundboard-build-due-digests"]
    assert entry["task"] == task.name
    with time_machine.travel("2026-03-17 06:00 +01:00"), \
            django_capture_on_commit_callbacks(execute=True):
        assert task.delay().get() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org", "facilitator@example.org"]
