from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from digibank.models import CallTask, Notification, Resident
from digibank.services import residents_due_for_anonymisation
from tests.factories import make_partner, make_point, make_resident, make_user
from tests.trainings.factories import (
    at_ten,
    make_course,
    make_enrolment,
    make_guidance,
    make_open_point,
    make_session,
)
from trainings.models import EnrolmentStatus, SessionStatus
from trainings.services import (
    TrainingError,
    cancel_session,
    close_guidance,
    enrol,
    mark_attendance,
    send_session_reminders,
    update_session,
)

pytestmark = pytest.mark.django_db


def _tomorrow_at_ten():
    today = timezone.localdate()
    return datetime.combine(today + timedelta(days=1), datetime.min.time().replace(hour=10),
                            timezone.get_current_timezone())


def test_cancel_session_cancels_every_enrolment_and_tells_everyone(
    django_capture_on_commit_callbacks, mailoutbox
):
    coach = make_user("coach")
    session = make_session(capacity=1, trainer=coach)
    by_mail = make_enrolment(session, make_resident(email="a@example.org"))
    by_phone = make_enrolment(session, make_resident(phone="0470123123"),
                              status=EnrolmentStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        told = cancel_session(actor=coach, session=session, reason="De coach is ziek")
    session.refresh_from_db()
    assert told == 2
    assert session.status == SessionStatus.CANCELLED
    assert session.events.last().to_status == SessionStatus.CANCELLED
    assert {e.status for e in session.enrolments.all()} == {EnrolmentStatus.CANCELLED}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["a@example.org"]
    assert CallTask.objects.get(resident=by_phone.resident).kind == "session_cancelled"
    assert by_mail.events.last().to_status == EnrolmentStatus.CANCELLED


def test_cancel_session_needs_a_reason():
    session = make_session()
    with pytest.raises(TrainingError):
        cancel_session(actor=make_user("coach"), session=session, reason=" ")
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_cancelled_session_cannot_be_cancelled_again():
    session = make_session()
    cancel_session(actor=None, session=session, reason="Ziek")
    with pytest.raises(TrainingError):
        cancel_session(actor=None, session=session, reason="Ziek")


def test_messages_use_the_residents_language(django_capture_on_commit_callbacks, mailoutbox):
    session = make_session()
    make_enrolment(session, make_resident(email="en@example.org", language="en"))
    make_enrolment(session, make_resident(email="nl@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(actor=None, session=session, reason="Ziek")
    bodies = {mail.to[0]: mail.body for mail in mailoutbox}
    assert "does not take place" in bodies["en@example.org"]
    assert "gaat niet door" in bodies["nl@example.org"]


def test_reminder_job_twice_sends_one_message_per_enrolment(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(starts_at=_tomorrow_at_ten())
    make_enrolment(session, make_resident(email="a@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders() == 0
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(kind="training_reminder").count() == 1


def test_reminder_for_resident_without_email_appears_on_the_call_list_of_the_point():
    point = make_point()
    session = make_session(starts_at=_tomorrow_at_ten(), point=point)
    enrolment = make_enrolment(session, make_resident(phone="0470999888"))
    send_session_reminders()
    task = CallTask.objects.get(resident=enrolment.resident)
    assert task.point == point
    assert task.due_on == timezone.localdate()
    assert session.course.title in task.message
    assert "10:00" in task.message


def test_reminder_gives_the_number_to_call_to_cancel(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(starts_at=_tomorrow_at_ten(), point=make_point(phone="015 11 22 33"))
    make_enrolment(session, make_resident(email="a@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        send_session_reminders()
    assert "Bel 015 11 22 33 of laat het weten in een digibankpunt" in mailoutbox[0].body


def test_reminder_for_partner_venue_goes_to_the_point_that_enrolled():
    point = make_point()
    venue = make_partner(is_training_partner=True, address="Blokstraat 1, Mechelen")
    session = make_session(starts_at=_tomorrow_at_ten(), point=None, venue=venue)
    enrolment = make_enrolment(session, make_resident(), point=point)
    send_session_reminders()
    assert CallTask.objects.get(resident=enrolment.resident).point == point


def test_reminders_skip_waiting_list_cancelled_sessions_and_other_days():
    waiting_session = make_session(starts_at=_tomorrow_at_ten())
    make_enrolment(waiting_session, make_resident(), status=EnrolmentStatus.WAITING)
    cancelled = make_session(starts_at=_tomorrow_at_ten(), status=SessionStatus.CANCELLED)
    make_enrolment(cancelled, make_resident())
    later = make_session(starts_at=_tomorrow_at_ten() + timedelta(days=1))
    make_enrolment(later, make_resident())
    assert send_session_reminders() == 0


def test_attendance_can_be_taken_and_corrected_and_marks_the_session_held():
    coach = make_user("coach")
    session = make_session(starts_at=timezone.now() - timedelta(minutes=10))
    enrolment = make_enrolment(session, make_resident())
    mark_attendance(actor=coach, enrolment=enrolment, attended=True)
    mark_attendance(actor=coach, enrolment=enrolment, attended=False)
    enrolment.refresh_from_db()
    session.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NO_SHOW
    assert session.status == SessionStatus.HELD
    assert [e.to_status for e in enrolment.events.all()] == ["attended", "no_show"]


def test_attendance_cannot_be_taken_before_the_day_of_the_session():
    session = make_session(starts_at=timezone.now() + timedelta(days=2))
    enrolment = make_enrolment(session, make_resident())
    with pytest.raises(TrainingError):
        mark_attendance(actor=make_user("coach"), enrolment=enrolment, attended=True)


def test_attendance_cannot_be_taken_before_the_session_starts_and_it_stays_planned():
    session = make_session(starts_at=timezone.now() + timedelta(minutes=15))
    enrolment = make_enrolment(session, make_resident())
    with pytest.raises(TrainingError, match="begin"):
        mark_attendance(actor=make_user("coach"), enrolment=enrolment, attended=True)
    session.refresh_from_db()
    enrolment.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_waiting_list_place_cannot_be_marked_present():
    session = make_session(starts_at=timezone.now() - timedelta(minutes=10))
    enrolment = make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    with pytest.raises(TrainingError):
        mark_attendance(actor=make_user("coach"), enrolment=enrolment, attended=True)


def test_more_places_promote_people_from_the_waiting_list():
    session = make_session(capacity=1)
    enrol(actor=None, session=session, resident=make_resident())
    waiting = enrol(actor=None, session=session, resident=make_resident())
    update_session(actor=make_user("coordinator"), session=session, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED


def test_places_cannot_drop_below_the_people_enrolled():
    session = make_session(capacity=2)
    enrol(actor=None, session=session, resident=make_resident())
    enrol(actor=None, session=session, resident=make_resident())
    with pytest.raises(TrainingError):
        update_session(actor=make_user("coordinator"), session=session, capacity=1)


def test_retention_keeps_residents_with_upcoming_enrolment_or_open_guidance():
    old = timezone.localdate() - timedelta(days=3 * 365)
    enrolled = make_resident(last_activity=old)
    make_enrolment(make_session(), enrolled)
    guided = make_resident(last_activity=old)
    make_guidance(guided, make_user("coach"))
    forgotten = make_resident(last_activity=old)
    due = set(residents_due_for_anonymisation())
    assert forgotten in due
    assert enrolled not in due and guided not in due


def test_retention_lets_go_once_the_session_is_past_and_guidance_closed():
    old = timezone.localdate() - timedelta(days=3 * 365)
    resident = make_resident(last_activity=old)
    session = make_session()
    make_enrolment(session, resident)
    guidance = make_guidance(resident, make_user("coach"))
    close_guidance(actor=guidance.coach, guidance=guidance, outcome="reached")
    with time_machine.travel(session.ends_at + timedelta(days=1)):
        assert resident in set(residents_due_for_anonymisation())
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_course_title_is_in_str_of_session():
    session = make_session(make_course("Werken met itsme"))
    assert "Werken met itsme" in str(session)


def test_host_sees_the_reminder_on_the_printable_call_list_of_their_point(client):
    point = make_point()
    session = make_session(make_course("Werken met itsme"), starts_at=_tomorrow_at_ten(),
                           point=point)
    make_enrolment(session, make_resident("Luc", "Janssens", phone="0475998877"))
    send_session_reminders()
    client.force_login(make_user("host", points=[point]))
    content = client.get("/bel-lijst/").content.decode()
    assert "Luc Janssens" in content and "0475998877" in content
    assert "Morgen: Werken met itsme" in content


def test_moving_a_session_tells_everyone_once_per_change(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(point=make_open_point(), starts_at=at_ten())
    enrolment = make_enrolment(session, make_resident(email="a@example.org"))
    waiting = make_enrolment(session, make_resident(phone="0470123450"),
                             status=EnrolmentStatus.WAITING)
    coordinator = make_user("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        update_session(actor=coordinator, session=session,
                       starts_at=session.starts_at + timedelta(days=1),
                       ends_at=session.ends_at + timedelta(days=1))
        update_session(actor=coordinator, session=session, capacity=12)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [enrolment.resident.email]
    assert CallTask.objects.filter(resident=waiting.resident, kind="session_changed").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        update_session(actor=coordinator, session=session, point=make_open_point())
    assert len(mailoutbox) == 2
