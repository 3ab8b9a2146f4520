from datetime import date

import pytest
import time_machine
from django.utils import timezone

from points.models import Closure
from soundboard.models import Attendance
from soundboard.services import (
    SoundboardError,
    plan_next_meeting,
    reschedule_meeting,
    schedule_meeting,
    set_attendance,
)
from tests.factories import make_point
from tests.soundboard.factories import at, make_board, make_meeting, make_member

pytestmark = pytest.mark.django_db


def _local_day(meeting):
    return timezone.localtime(meeting.starts_at).date()


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_is_planned_six_weeks_after_the_last_at_the_same_time_and_place():
    board = make_board()
    point = make_point()
    make_meeting(board, at(2026, 2, 10, 14, 30), point=point, venue="")
    meeting = plan_next_meeting(actor=None, board=board)
    assert _local_day(meeting) == date(2026, 3, 24)
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"
    assert meeting.point == point


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_follows_the_board_cadence():
    board = make_board(cadence_weeks=4)
    make_meeting(board, at(2026, 2, 10))
    assert _local_day(plan_next_meeting(actor=None, board=board)) == date(2026, 3, 10)


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_moves_a_week_off_a_city_wide_holiday():
    board = make_board()
    make_meeting(board, at(2026, 2, 24))
    Closure.objects.create(point=None, starts_on=date(2026, 4, 6), ends_on=date(2026, 4, 7),
                           reason="Paasmaandag")
    assert _local_day(plan_next_meeting(actor=None, board=board)) == date(2026, 4, 14)


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_moves_off_a_closure_of_its_point_across_several_weeks():
    board = make_board()
    point = make_point()
    make_meeting(board, at(2026, 2, 24), point=point)
    Closure.objects.create(point=point, starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 19),
                           reason="Renovatie")
    assert _local_day(plan_next_meeting(actor=None, board=board)) == date(2026, 4, 21)


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_closure_of_another_point_does_not_move_the_meeting():
    board = make_board()
    make_meeting(board, at(2026, 2, 24), point=make_point())
    Closure.objects.create(point=make_point(), starts_on=date(2026, 4, 7),
                           ends_on=date(2026, 4, 7), reason="Elders dicht")
    assert _local_day(plan_next_meeting(actor=None, board=board)) == date(2026, 4, 7)


@time_machine.travel("2026-03-05 09:00 +01:00")
def test_next_meeting_keeps_the_local_time_across_summer_time():
    board = make_board()
    make_meeting(board, at(2026, 3, 3, 19, 0))
    meeting = plan_next_meeting(actor=None, board=board)
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m %H:%M") == "14/04 19:00"


def test_next_meeting_needs_a_first_meeting():
    with pytest.raises(SoundboardError):
        plan_next_meeting(actor=None, board=make_board())


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_is_not_planned_twice():
    board = make_board()
    make_meeting(board, at(2026, 2, 10))
    plan_next_meeting(actor=None, board=board)
    with pytest.raises(SoundboardError):
        plan_next_meeting(actor=None, board=board)
    assert board.meetings.count() == 2


def test_meeting_cannot_be_scheduled_on_a_holiday():
    board = make_board()
    Closure.objects.create(point=None, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26),
                           reason="Kerstmis")
    with pytest.raises(SoundboardError):
        schedule_meeting(actor=None, board=board, starts_at=at(2026, 12, 25), venue="Zaal")
    assert not board.meetings.exists()


def test_meeting_needs_a_point_or_a_venue():
    with pytest.raises(SoundboardError):
        schedule_meeting(actor=None, board=make_board(), starts_at=at(2026, 12, 1))


def test_attendance_toggles_on_and_off():
    board = make_board()
    meeting = make_meeting(board)
    member = make_member(board)
    set_attendance(actor=None, meeting=meeting, member=member, present=True)
    set_attendance(actor=None, meeting=meeting, member=member, present=True)
    assert Attendance.objects.filter(meeting=meeting, member=member).count() == 1
    set_attendance(actor=None, meeting=meeting, member=member, present=False)
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_member_of_another_board_cannot_attend():
    meeting = make_meeting(make_board())
    with pytest.raises(SoundboardError):
        set_attendance(actor=None, meeting=meeting, member=make_member(make_board()),
                       present=True)


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_next_meeting_keeps_the_partner_venue():
    from tests.factories import make_partner

    board, partner = make_board(), make_partner("Wijkcentrum De Schakel")
    # The last meeting, held (a meeting cannot be planned in the past any more).
    make_meeting(board, at(2026, 2, 10), venue_partner=partner, venue="Zaal 2")
    meeting = plan_next_meeting(actor=None, board=board)
    assert meeting.place == "Wijkcentrum De Schakel, Zaal 2"


def test_a_meeting_without_any_place_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_meeting(make_board(), at(2026, 3, 3), venue="")


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_planned_meeting_can_be_moved_but_not_onto_a_holiday():
    board = make_board()
    meeting = make_meeting(board, at(2026, 3, 10))
    Closure.objects.create(point=None, starts_on=date(2026, 3, 17), ends_on=date(2026, 3, 17),
                           reason="Feestdag")
    with pytest.raises(SoundboardError):
        reschedule_meeting(actor=None, meeting=meeting, starts_at=at(2026, 3, 17), venue="Zaal")
    reschedule_meeting(actor=None, meeting=meeting, starts_at=at(2026, 3, 12), venue="Zaal")
    meeting.refresh_from_db()
    assert _local_day(meeting) == date(2026, 3, 12)


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_a_meeting_that_took_place_cannot_be_moved():
    meeting = make_meeting(make_board(), at(2026, 2, 10))
    with pytest.raises(SoundboardError):
        reschedule_meeting(actor=None, meeting=meeting, starts_at=at(2026, 3, 12), venue="Zaal")


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_planning_and_moving_meetings_leave_a_history():
    from digibank.models import AuditEvent
    from tests.factories import make_user

    actor = make_user("coach")
    board = make_board(facilitator=actor)
    make_meeting(board, at(2026, 2, 24))
    Closure.objects.create(point=None, starts_on=date(2026, 4, 7), ends_on=date(2026, 4, 7),
                           reason="Paasvakantie")
    meeting = plan_next_meeting(actor=actor, board=board)
    reschedule_meeting(actor=actor, meeting=meeting, starts_at=at(2026, 4, 16), venue="Zaal")
    events = AuditEvent.objects.filter(target_id=str(meeting.pk), actor=actor).order_by("pk")
    assert [event.action for event in events] == ["create", "change"]
    assert events[0].detail == {"weeks_moved_off_closures": 1}


@time_machine.travel("2026-03-01 09:00 +01:00")
def test_planning_gives_up_when_the_point_is_closed_for_months():
    board = make_board()
    point = make_point()
    make_meeting(board, at(2026, 2, 24), point=point)
    Closure.objects.create(point=point, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31),
                           reason="Verbouwing")
    with pytest.raises(SoundboardError):
        plan_next_meeting(actor=None, board=board)
    assert board.meetings.count() == 1
