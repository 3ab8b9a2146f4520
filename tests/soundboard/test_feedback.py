from datetime import date

import pytest
import time_machine
from django.utils import translation

from digibank.models import AuditEvent
from digibank.services import residents_due_for_anonymisation
from soundboard.models import FeedbackEventKind, FeedbackStatus, FeedbackTopic
from soundboard.services import (
    SoundboardError,
    add_member,
    answer_feedback,
    end_membership,
    mark_told_back,
    record_feedback,
    record_step,
)
from tests.factories import make_partner, make_resident, make_user
from tests.soundboard.factories import at, make_board, make_item, make_meeting

pytestmark = pytest.mark.django_db

S = FeedbackStatus


def test_recorded_feedback_is_new_with_an_answer_due_one_cycle_later():
    board = make_board()
    meeting = make_meeting(board, at(2026, 2, 10))
    item = record_feedback(actor=None, board=board, words="Open op zaterdag",
                           topic=FeedbackTopic.MISSING_SERVICE, meeting=meeting)
    assert item.status == S.NEW
    assert item.raised_on == date(2026, 2, 10)
    assert item.answer_due_on == date(2026, 3, 24)
    assert [e.kind for e in item.events.all()] == [FeedbackEventKind.RAISED]


def test_feedback_needs_the_words_of_the_group():
    with pytest.raises(SoundboardError):
        record_feedback(actor=None, board=make_board(), words="  ", topic=FeedbackTopic.OTHER)


@pytest.mark.parametrize(("path"), [
    [S.CONSIDERING], [S.PLANNED], [S.DONE], [S.NOT_TAKEN_UP],
    [S.CONSIDERING, S.PLANNED, S.DONE], [S.CONSIDERING, S.NOT_TAKEN_UP],
    [S.PLANNED, S.NOT_TAKEN_UP], [S.NOT_TAKEN_UP, S.CONSIDERING, S.DONE],
    [S.CONSIDERING, S.CONSIDERING], [S.PLANNED, S.PLANNED],
])
def test_allowed_status_paths_are_followed_with_history(path):
    item = make_item(make_board())
    for status in path:
        item = answer_feedback(actor=None, item=item, status=status, answer=f"Answer {status}")
    item.refresh_from_db()
    assert item.status == path[-1]
    answered = item.events.filter(kind=FeedbackEventKind.ANSWERED)
    assert [e.to_status for e in answered] == path


@pytest.mark.parametrize(("path", "refused"), [
    ([S.DONE], S.CONSIDERING), ([S.DONE], S.NOT_TAKEN_UP), ([S.DONE], S.PLANNED),
    ([S.NOT_TAKEN_UP], S.DONE), ([S.NOT_TAKEN_UP], S.PLANNED),
    ([S.PLANNED], S.CONSIDERING), ([], S.NEW),
])
def test_disallowed_status_changes_are_refused(path, refused):
    item = make_item(make_board())
    for status in path:
        item = answer_feedback(actor=None, item=item, status=status, answer="ok")
    with pytest.raises(SoundboardError):
        answer_feedback(actor=None, item=item, status=refused, answer="ok")
    item.refresh_from_db()
    assert item.status == (path[-1] if path else S.NEW)


def test_not_taken_up_needs_a_reason():
    item = make_item(make_board())
    with translation.override("en"), pytest.raises(SoundboardError, match="why"):
        answer_feedback(actor=None, item=item, status=S.NOT_TAKEN_UP, answer=" ")
    item.refresh_from_db()
    assert item.status == S.NEW
    assert not item.events.filter(kind=FeedbackEventKind.ANSWERED).exists()


def test_every_answer_needs_words():
    with pytest.raises(SoundboardError):
        answer_feedback(actor=None, item=make_item(make_board()), status=S.PLANNED, answer="")


def test_first_answer_time_is_kept_when_the_status_moves_on():
    item = make_item(make_board())
    with time_machine.travel("2026-02-01 10:00 +01:00"):
        answer_feedback(actor=None, item=item, status=S.PLANNED, answer="In maart")
    with time_machine.travel("2026-03-01 10:00 +01:00"):
        answer_feedback(actor=None, item=item, status=S.DONE, answer="Gedaan")
    item.refresh_from_db()
    assert item.answered_at.date() == date(2026, 2, 1)
    assert item.status_changed_at.date() == date(2026, 3, 1)


def test_item_is_overdue_when_unanswered_longer_than_one_cycle():
    board = make_board()
    with time_machine.travel("2026-01-06 10:00 +01:00"):
        item = make_item(board)
    with time_machine.travel("2026-02-18 10:00 +01:00"):
        assert item.is_overdue
        assert list(board.items.overdue()) == [item]
    with time_machine.travel("2026-02-16 10:00 +01:00"):
        assert not item.is_overdue


def test_telling_back_needs_an_answer():
    board = make_board()
    item = make_item(board)
    with pytest.raises(SoundboardError):
        mark_told_back(actor=None, item=item, meeting=make_meeting(board))


def test_told_back_is_recorded_once_per_status():
    board = make_board()
    meeting = make_meeting(board)
    item = answer_feedback(actor=None, item=make_item(board), status=S.PLANNED, answer="x")
    mark_told_back(actor=None, item=item, meeting=meeting)
    item.refresh_from_db()
    assert item.told_back_at == meeting
    assert not item.needs_telling_back
    with pytest.raises(SoundboardError):
        mark_told_back(actor=None, item=item, meeting=meeting)
    answer_feedback(actor=None, item=item, status=S.DONE, answer="Gedaan")
    item.refresh_from_db()
    assert item.needs_telling_back
    assert list(board.items.to_tell_back()) == [item]


def test_step_is_linked_to_items_and_their_boards_and_shows_on_the_timeline():
    board, other = make_board(), make_board()
    item = make_item(board)
    step = record_step(actor=None, title="Nieuw digibankpunt in Battel geopend",
                       taken_on=date(2026, 1, 5), items=[item], boards=[other])
    assert set(step.boards.all()) == {board, other}
    assert list(item.steps.all()) == [step]
    assert item.events.filter(kind=FeedbackEventKind.STEP, note=step.title).exists()


def test_step_needs_a_board_or_an_item():
    with pytest.raises(SoundboardError):
        record_step(actor=None, title="Iets", taken_on=date(2026, 1, 5))


def test_resident_joins_once_and_it_is_audited():
    board, resident = make_board(), make_resident()
    actor = make_user("coordinator")
    add_member(actor=actor, board=board, resident=resident, needs_easy_read=True)
    assert AuditEvent.objects.filter(resident=resident, actor=actor).exists()
    with pytest.raises(SoundboardError):
        add_member(actor=actor, board=board, resident=resident)


def test_partner_representative_needs_a_name():
    with pytest.raises(SoundboardError):
        add_member(actor=None, board=make_board(), partner=make_partner(), name=" ")


def test_current_members_are_kept_by_retention_and_former_members_are_not():
    board = make_board()
    with time_machine.travel("2020-01-06 10:00 +01:00"):
        kept, gone = make_resident(), make_resident()
        add_member(actor=None, board=board, resident=kept)
        member = add_member(actor=None, board=board, resident=gone)
        end_membership(actor=None, member=member)
    due = set(residents_due_for_anonymisation(date(2026, 1, 1)))
    assert gone in due
    assert kept not in due
