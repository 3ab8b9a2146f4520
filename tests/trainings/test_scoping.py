"""Who handles a session's participants (issue 22): attendance for the
trainer, coaches of the session's point and coordinators; cancelling an
enrolment also for the hosts of that point."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_partner, make_point, make_resident, make_user
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import EnrolmentStatus

pytestmark = pytest.mark.django_db


def _today_session(**fields):
    starts = timezone.now() - timedelta(minutes=10)
    return make_session(starts_at=starts, **fields)


def _mark(client, enrolment):
    return client.post(reverse("trainings:mark-attendance", args=[enrolment.pk]),
                       {"attended": "1"})


def _cancel(client, enrolment):
    return client.post(reverse("trainings:enrolment-cancel", args=[enrolment.pk]))


def test_coach_of_another_point_who_is_not_the_trainer_cannot_mark_attendance(client):
    session = _today_session(point=make_point(), trainer=make_user("coach"))
    enrolment = make_enrolment(session, make_resident())
    client.force_login(make_user("coach", points=[make_point()]))
    assert _mark(client, enrolment).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_coach_at_the_sessions_point_marks_attendance(client):
    point = make_point()
    enrolment = make_enrolment(_today_session(point=point), make_resident())
    client.force_login(make_user("coach", points=[point]))
    assert _mark(client, enrolment).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ATTENDED


def test_trainer_marks_attendance_at_a_point_they_do_not_work_at(client):
    coach = make_user("coach")
    enrolment = make_enrolment(_today_session(trainer=coach), make_resident())
    client.force_login(coach)
    _mark(client, enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ATTENDED


def test_host_at_the_sessions_point_cannot_mark_attendance(client):
    point = make_point()
    enrolment = make_enrolment(_today_session(point=point), make_resident())
    client.force_login(make_user("host", points=[point]))
    assert _mark(client, enrolment).status_code == 403


def test_host_of_another_point_cannot_cancel_an_enrolment(client):
    enrolment = make_enrolment(make_session(point=make_point()), make_resident())
    client.force_login(make_user("host", points=[make_point()]))
    assert _cancel(client, enrolment).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_coach_of_another_point_cannot_cancel_an_enrolment(client):
    enrolment = make_enrolment(make_session(point=make_point()), make_resident())
    client.force_login(make_user("coach", points=[make_point()]))
    assert _cancel(client, enrolment).status_code == 403


def test_host_at_the_sessions_point_cancels_an_enrolment(client):
    point = make_point()
    enrolment = make_enrolment(make_session(point=point), make_resident())
    client.force_login(make_user("host", points=[point]))
    assert _cancel(client, enrolment).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_host_cancels_at_a_partners_venue_an_enrolment_made_at_their_point(client):
    point = make_point()
    session = make_session(point=None, venue=make_partner(is_training_partner=True))
    mine = make_enrolment(session, make_resident(), point=point)
    theirs = make_enrolment(session, make_resident(), point=make_point())
    client.force_login(make_user("host", points=[point]))
    assert _cancel(client, mine).status_code == 302
    assert _cancel(client, theirs).status_code == 403


def test_session_page_offers_no_cancel_button_to_a_host_of_another_point(client):
    session = make_session(point=make_point())
    make_enrolment(session, make_resident())
    client.force_login(make_user("host", points=[make_point()]))
    response = client.get(reverse("trainings:session-detail", args=[session.pk]))
    assert response.status_code == 200
    assert response.context["cancellable"] == set()
    assert "Cancel enrolment" not in response.content.decode()
    assert "Inschrijving annuleren" not in response.content.decode()
