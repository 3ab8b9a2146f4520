from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from digibank.models import AuditEvent, CallTask, Notification
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import Enrolment, EnrolmentStatus, InterestEntry
from trainings.services import (
    TrainingError,
    cancel_enrolment,
    enrol,
    promote_from_waiting_list,
    register_interest,
)

pytestmark = pytest.mark.django_db


def test_enrol_gives_a_seat_while_places_are_free():
    session = make_session(capacity=2)
    enrolment = enrol(actor=make_user("host"), session=session, resident=make_resident())
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.events.get().to_status == EnrolmentStatus.ENROLLED
    assert AuditEvent.objects.filter(resident=enrolment.resident).exists()


def test_enrol_puts_resident_on_waiting_list_when_session_is_full():
    session = make_session(capacity=1)
    make_enrolment(session, make_resident())
    enrolment = enrol(actor=None, session=session, resident=make_resident())
    assert enrolment.status == EnrolmentStatus.WAITING
    assert enrolment.waiting_since is not None


def test_enrol_refuses_a_full_session_when_no_waiting_list_is_wanted():
    session = make_session(capacity=1)
    make_enrolment(session, make_resident())
    with pytest.raises(TrainingError):
        enrol(actor=None, session=session, resident=make_resident(), allow_waiting_list=False)
    assert session.enrolments.count() == 1


def test_resident_cannot_be_enrolled_twice_in_one_session():
    session = make_session()
    resident = make_resident()
    enrol(actor=None, session=session, resident=resident)
    with translation.override("nl"), pytest.raises(TrainingError, match="al ingeschreven"):
        enrol(actor=None, session=session, resident=resident)
    assert session.enrolments.count() == 1


def test_database_refuses_a_second_enrolment_row_for_the_same_resident():
    session = make_session()
    resident = make_resident()
    make_enrolment(session, resident)
    with pytest.raises(IntegrityError):
        make_enrolment(session, resident)


def test_cancelled_resident_can_enrol_again_on_the_same_row():
    session = make_session()
    resident = make_resident()
    first = enrol(actor=None, session=session, resident=resident)
    cancel_enrolment(actor=None, enrolment=first)
    again = enrol(actor=None, session=session, resident=resident)
    assert again.pk == first.pk
    assert again.status == EnrolmentStatus.ENROLLED


def test_enrol_refuses_a_session_that_already_started():
    session = make_session(starts_at=timezone.now() - timedelta(minutes=5))
    with translation.override("nl"), pytest.raises(TrainingError, match="al begonnen"):
        enrol(actor=None, session=session, resident=make_resident())


def test_enrol_refuses_a_cancelled_session():
    session = make_session(status="cancelled")
    with pytest.raises(TrainingError):
        enrol(actor=None, session=session, resident=make_resident())


def test_newcomer_joins_the_waiting_list_behind_people_already_waiting():
    session = make_session(capacity=1)
    make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    # A seat is free but someone waits: the newcomer must not jump the queue.
    enrolment = enrol(actor=None, session=session, resident=make_resident())
    assert enrolment.status == EnrolmentStatus.WAITING


def test_cancellation_promotes_the_first_person_on_the_waiting_list_and_tells_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(capacity=1)
    seated = enrol(actor=None, session=session, resident=make_resident())
    first = enrol(actor=None, session=session,
                  resident=make_resident("Ahmed", email="ahmed@example.org"))
    second = enrol(actor=None, session=session, resident=make_resident())
    with django_capture_on_commit_callbacks(execute=True):
        cancel_enrolment(actor=None, enrolment=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrolmentStatus.ENROLLED
    assert second.status == EnrolmentStatus.WAITING
    assert len(mailoutbox) == 1
    assert session.course.title in mailoutbox[0].subject
    assert mailoutbox[0].to == ["ahmed@example.org"]


def test_promoted_resident_without_email_goes_on_the_call_list_of_the_point():
    point = make_point()
    session = make_session(capacity=1, point=point)
    seated = enrol(actor=None, session=session, resident=make_resident())
    waiting = enrol(actor=None, session=session, resident=make_resident(phone="0470111222"))
    cancel_enrolment(actor=None, enrolment=seated)
    task = CallTask.objects.get(resident=waiting.resident)
    assert task.point == point
    assert task.kind == "waiting_list_promoted"
    assert session.course.title in task.message


def test_cancelling_a_waiting_list_place_promotes_nobody():
    session = make_session(capacity=1)
    enrol(actor=None, session=session, resident=make_resident())
    waiting = enrol(actor=None, session=session, resident=make_resident())
    cancel_enrolment(actor=None, enrolment=waiting)
    assert Notification.objects.count() == 0


def test_promote_fills_every_free_place_in_waiting_order():
    session = make_session(capacity=1)
    seated = make_enrolment(session, make_resident())
    waiting = [make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
               for _ in range(3)]
    session.capacity = 3
    session.save()
    promoted = promote_from_waiting_list(actor=None, session=session)
    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    assert seated.pk not in [e.pk for e in promoted]


def test_attended_enrolment_cannot_be_cancelled():
    session = make_session()
    enrolment = make_enrolment(session, make_resident(), status=EnrolmentStatus.ATTENDED)
    with pytest.raises(TrainingError):
        cancel_enrolment(actor=None, enrolment=enrolment)


def test_enrolment_closes_open_interest_for_that_course():
    session = make_session()
    resident = make_resident()
    entry = register_interest(actor=make_user("host"), resident=resident, course=session.course)
    enrol(actor=None, session=session, resident=resident)
    entry.refresh_from_db()
    assert entry.closed_at is not None


def test_resident_cannot_be_twice_on_the_interest_list_of_a_course():
    session = make_session()
    resident = make_resident()
    register_interest(actor=make_user("host"), resident=resident, course=session.course)
    with pytest.raises(TrainingError):
        register_interest(actor=make_user("host"), resident=resident, course=session.course)
    assert InterestEntry.objects.count() == 1


def test_enrolment_counts_stay_consistent_after_many_changes():
    session = make_session(capacity=2)
    people = [enrol(actor=None, session=session, resident=make_resident()) for _ in range(4)]
    cancel_enrolment(actor=None, enrolment=people[0])
    cancel_enrolment(actor=None, enrolment=people[1])
    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "enrolled", "enrolled"]


def test_cancelling_an_enrolment_cancelled_in_another_tab_says_who_and_when_calmly(client):


    coach = make_user("coach", first_name="Karim", last_name="Haddou")
    session = make_session(trainer=coach)
    enrolment = make_enrolment(session, make_resident("Anna", "Wouters"))
    client.force_login(coach)
    url = reverse("trainings:enrolment-cancel", args=[enrolment.pk])
    client.post(url)
    response = client.post(url, follow=True)
    content = response.content.decode()
    assert "De inschrijving van Anna Wouters is al geannuleerd (door Karim Haddou, " in content
    assert "message-error" not in content
    assert "Alleen een inschrijving" not in content
