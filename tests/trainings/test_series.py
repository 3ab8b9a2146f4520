"""A series (course run): one enrolment, one waiting list, a seat in each
of its sessions, attendance per session."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from digibank.models import CallTask, Notification
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import (
    make_course,
    make_enrolment,
    make_open_point,
    make_run,
    make_run_enrolment,
    make_session,
)
from trainings.models import (
    EnrolmentStatus,
    RunEnrolment,
    RunEnrolmentStatus,
    Session,
    SessionStatus,
)
from trainings.services import (
    TrainingError,
    cancel_enrolment,
    cancel_run_enrolment,
    enrol,
    enrol_from_public_form,
    enrol_in_run,
    enrol_in_session_or_run,
    mark_attendance,
    plan_session,
    residents_with_active_trainings,
    send_session_reminders,
)

pytestmark = pytest.mark.django_db


def _statuses(run_enrolment):
    return sorted(run_enrolment.session_enrolments.values_list("status", flat=True))


def test_planning_four_weeks_makes_one_series_of_four_sessions():
    course = make_course()
    day = timezone.localdate() + timedelta(days=7)
    zone = timezone.get_current_timezone()
    sessions = plan_session(
        actor=make_user("coach"), weeks=4, course=course, point=make_open_point(), capacity=6,
        starts_at=datetime.combine(day, time(14), zone),
        ends_at=datetime.combine(day, time(16), zone))
    assert len({s.run_id for s in sessions}) == 1 and sessions[0].run_id is not None
    positions = [s.run_position for s in Session.objects.with_run_position().order_by("starts_at")]
    assert positions == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_single_week_makes_no_series():
    day = timezone.localdate() + timedelta(days=7)
    zone = timezone.get_current_timezone()
    [session] = plan_session(
        actor=None, weeks=1, course=make_course(), point=make_open_point(), capacity=6,
        starts_at=datetime.combine(day, time(14), zone),
        ends_at=datetime.combine(day, time(16), zone))
    assert session.run_id is None and session.run_position is None


def test_one_enrolment_gives_a_seat_in_every_session_of_the_series():
    run = make_run(weeks=4)
    run_enrolment = enrol_in_run(actor=None, run=run, resident=make_resident())
    assert run_enrolment.status == RunEnrolmentStatus.ENROLLED
    assert _statuses(run_enrolment) == ["enrolled"] * 4


def test_a_full_series_puts_the_next_person_on_its_one_waiting_list():
    run = make_run(weeks=3, capacity=1)
    enrol_in_run(actor=None, run=run, resident=make_resident())
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident())
    assert waiting.status == RunEnrolmentStatus.WAITING
    assert not waiting.session_enrolments.exists()
    assert all(s.waiting_count == 1 for s in run.sessions.with_counts())


def test_a_full_series_can_refuse_a_waiting_list_place():
    run = make_run(weeks=2, capacity=1)
    enrol_in_run(actor=None, run=run, resident=make_resident())
    with pytest.raises(TrainingError):
        enrol_in_run(actor=None, run=run, resident=make_resident(), allow_waiting_list=False)


def test_resident_cannot_be_enrolled_twice_in_a_series():
    run = make_run(weeks=2)
    resident = make_resident()
    enrol_in_run(actor=None, run=run, resident=resident)
    with pytest.raises(TrainingError):
        enrol_in_run(actor=None, run=run, resident=resident)


def test_cancelling_the_series_frees_every_seat_and_the_first_waiting_gets_them_all(
    django_capture_on_commit_callbacks, mailoutbox
):
    run = make_run(weeks=4, capacity=1)
    seated = enrol_in_run(actor=None, run=run, resident=make_resident())
    first = enrol_in_run(actor=None, run=run,
                         resident=make_resident("Ahmed", email="ahmed@example.org"))
    second = enrol_in_run(actor=None, run=run, resident=make_resident())
    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_run_enrolment(actor=None, run_enrolment=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert promoted == [first]
    assert first.status == RunEnrolmentStatus.ENROLLED and _statuses(first) == ["enrolled"] * 4
    assert second.status == RunEnrolmentStatus.WAITING
    assert _statuses(seated) == ["cancelled"] * 4
    assert [mail.to for mail in mailoutbox] == [["ahmed@example.org"]]


def test_cancelling_one_seat_of_a_series_enrolment_cancels_the_series_enrolment():
    run = make_run(weeks=3)
    run_enrolment = enrol_in_run(actor=None, run=run, resident=make_resident())
    cancel_enrolment(actor=None, enrolment=run_enrolment.session_enrolments.first())
    run_enrolment.refresh_from_db()
    assert run_enrolment.status == RunEnrolmentStatus.CANCELLED
    assert _statuses(run_enrolment) == ["cancelled"] * 3


def test_cancelling_after_the_first_session_keeps_its_attendance():
    run = make_run(weeks=3, starts_at=timezone.now() - timedelta(hours=1))
    resident = make_resident()
    run_enrolment = make_run_enrolment(run, resident)
    past = run.sessions.order_by("starts_at").first()
    make_enrolment(past, resident, status=EnrolmentStatus.ATTENDED, run_enrolment=run_enrolment)
    cancel_run_enrolment(actor=None, run_enrolment=run_enrolment)
    assert _statuses(run_enrolment) == ["attended", "cancelled", "cancelled"]


def test_cancelling_a_series_enrolment_gives_on_a_session_marked_held_before_its_start():
    # Early attendance used to mark a session held before it began: a
    # session not given yet still follows the series.
    run = make_run(weeks=3, capacity=1)
    seated = enrol_in_run(actor=None, run=run, resident=make_resident())
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident())
    run.sessions.filter(pk=run.sessions.order_by("starts_at").first().pk).update(
        status=SessionStatus.HELD)
    promoted = cancel_run_enrolment(actor=None, run_enrolment=seated)
    assert promoted == [waiting]
    assert _statuses(seated) == ["cancelled"] * 3
    assert _statuses(waiting) == ["enrolled"] * 3


def test_attendance_is_taken_per_session_of_the_series():
    run = make_run(weeks=2, starts_at=timezone.now() - timedelta(minutes=30))
    run_enrolment = make_run_enrolment(run, make_resident())
    first = make_enrolment(run.sessions.order_by("starts_at").first(), run_enrolment.resident,
                           run_enrolment=run_enrolment)
    mark_attendance(actor=None, enrolment=first, attended=True)
    assert _statuses(run_enrolment) == ["attended", "enrolled"]


def test_one_session_of_a_series_cannot_be_joined_alone_unless_the_course_allows_it():
    run = make_run(make_course(), weeks=3)
    session = run.sessions.first()
    with pytest.raises(TrainingError, match="reeks"):
        enrol(actor=None, session=session, resident=make_resident())


def test_one_session_of_a_series_can_be_joined_alone_where_the_course_allows_it():
    run = make_run(make_course(single_sessions_allowed=True), weeks=3)
    session = run.sessions.order_by("starts_at").last()
    enrolment = enrol_in_session_or_run(actor=None, session=session, resident=make_resident(),
                                        alone=True)
    assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.run_enrolment is None
    assert session.enrolments.count() == 1 and not RunEnrolment.objects.exists()


def test_a_date_full_of_single_joiners_sends_the_next_series_enrolment_to_the_waiting_list():
    run = make_run(make_course(single_sessions_allowed=True), weeks=3, capacity=1)
    last = run.sessions.order_by("starts_at").last()
    enrol(actor=None, session=last, resident=make_resident())
    run_enrolment = enrol_in_run(actor=None, run=run, resident=make_resident())
    assert run_enrolment.status == RunEnrolmentStatus.WAITING


def test_a_resident_who_joined_one_date_keeps_that_seat_in_the_series():
    run = make_run(make_course(single_sessions_allowed=True), weeks=2, capacity=1)
    resident = make_resident()
    single = enrol(actor=None, session=run.sessions.first(), resident=resident)
    run_enrolment = enrol_in_run(actor=None, run=run, resident=resident)
    single.refresh_from_db()
    assert run_enrolment.status == RunEnrolmentStatus.ENROLLED
    assert single.run_enrolment == run_enrolment and _statuses(run_enrolment) == ["enrolled"] * 2


def test_the_series_waiting_list_goes_before_a_single_joiner():
    run = make_run(make_course(single_sessions_allowed=True), weeks=2, capacity=1)
    seated = enrol_in_run(actor=None, run=run, resident=make_resident())
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident())
    single = enrol(actor=None, session=run.sessions.first(), resident=make_resident())
    assert single.status == EnrolmentStatus.WAITING
    cancel_run_enrolment(actor=None, run_enrolment=seated)
    waiting.refresh_from_db()
    single.refresh_from_db()
    assert waiting.status == RunEnrolmentStatus.ENROLLED
    assert single.status == EnrolmentStatus.WAITING


def test_public_form_on_a_date_of_a_series_makes_one_series_enrolment():
    run = make_run(weeks=4)
    result = enrol_from_public_form(session=run.sessions.first(), first_name="Nadia",
                                    last_name="Benali", phone="0485221100")
    assert isinstance(result, RunEnrolment)
    assert RunEnrolment.objects.count() == 1 and _statuses(result) == ["enrolled"] * 4


def test_reminders_follow_the_series_one_per_session_with_its_number():
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts = datetime.combine(tomorrow, time(10), timezone.get_current_timezone())
    run = make_run(weeks=3, starts_at=starts - timedelta(weeks=1))
    resident = make_resident(phone="0470999888")
    make_run_enrolment(run, resident)
    assert send_session_reminders() == 1
    assert send_session_reminders() == 0
    message = CallTask.objects.get(resident=resident).message
    assert f"{run.course.title} (sessie 2 van 3)" in message


def test_promotion_to_a_series_is_told_once_on_the_call_list_of_its_point():
    point = make_point()
    run = make_run(weeks=2, capacity=1, point=point)
    seated = enrol_in_run(actor=None, run=run, resident=make_resident())
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident(phone="0470111222"))
    cancel_run_enrolment(actor=None, run_enrolment=seated)
    task = CallTask.objects.get(resident=waiting.resident)
    assert task.point == point and run.course.title in task.message
    assert Notification.objects.filter(resident=waiting.resident).count() == 1


def test_retention_keeps_someone_waiting_for_a_series():
    run = make_run(weeks=2, capacity=1)
    enrol_in_run(actor=None, run=run, resident=make_resident())
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident())
    from digibank.models import Resident

    kept = residents_with_active_trainings(Resident.objects.all())
    assert waiting.resident in kept


def test_session_of_a_series_and_others_in_its_waiting_count():
    run = make_run(weeks=2, capacity=1)
    enrol_in_run(actor=None, run=run, resident=make_resident())
    enrol_in_run(actor=None, run=run, resident=make_resident())
    other = make_session()
    counts = {s.pk: s.waiting_count for s in Session.objects.with_counts()}
    assert counts[other.pk] == 0
    assert {counts[s.pk] for s in run.sessions.all()} == {1}


def test_places_changed_on_one_session_of_a_series_hold_for_the_whole_series():
    from trainings.services import update_session

    run = make_run(weeks=4, capacity=8)
    second = run.sessions.order_by("starts_at")[1]
    update_session(actor=None, session=second, capacity=5)
    assert set(run.sessions.values_list("capacity", flat=True)) == {5}


def test_more_places_on_a_session_of_a_series_seat_the_series_waiting_list():
    from trainings.services import update_session

    run = make_run(weeks=4, capacity=1)
    make_run_enrolment(run, make_resident())
    waiting = make_run_enrolment(run, make_resident(), status=RunEnrolmentStatus.WAITING)
    update_session(actor=None, session=run.sessions.order_by("starts_at")[2], capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RunEnrolmentStatus.ENROLLED
    assert waiting.session_enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 4


def test_fewer_places_than_enrolled_in_another_session_of_the_series_is_refused():
    from trainings.services import update_session

    run = make_run(weeks=3, capacity=3)
    first, second, third = run.sessions.order_by("starts_at")
    for _ in range(2):
        make_enrolment(third, make_resident())
    with pytest.raises(TrainingError):
        update_session(actor=None, session=first, capacity=1)
    assert set(run.sessions.values_list("capacity", flat=True)) == {3}
