"""Who reads a session's participants: its trainer, the coaches and hosts of
its point (or of the points its partner venue's partner hosts), coordinators."""

import pytest
from django.urls import reverse

from tests.factories import make_partner, make_point, make_resident, make_user
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import may_see_participants

pytestmark = pytest.mark.django_db


def test_a_host_of_the_sessions_point_sees_its_participants():
    point = make_point()
    assert may_see_participants(make_user("host", points=[point]), make_session(point=point))


def test_a_coach_of_another_point_does_not_see_the_participants():
    session = make_session(point=make_point())
    assert not may_see_participants(make_user("coach", points=[make_point()]), session)


def test_the_trainer_sees_the_participants_of_a_session_at_another_point():
    trainer = make_user("coach", points=[make_point()])
    assert may_see_participants(trainer, make_session(point=make_point(), trainer=trainer))


def test_staff_of_the_point_a_venue_partner_hosts_see_its_participants():
    partner = make_partner(is_training_partner=True)
    point = make_point(hosting_partner=partner)
    session = make_session(venue=partner)
    assert may_see_participants(make_user("host", points=[point]), session)
    assert not may_see_participants(make_user("host", points=[make_point()]), session)


def test_a_host_elsewhere_gets_the_session_page_without_names_and_no_sheet(client):
    session = make_session(point=make_point())
    make_enrolment(session, make_resident("Josée", "Vanderzwalmen", phone="0470 12 34 56"))
    client.force_login(make_user("host", points=[make_point()]))
    page = client.get(reverse("trainings:session-detail", args=[session.pk]))
    assert page.status_code == 200
    assert "Vanderzwalmen" not in page.content.decode()
    assert reverse("trainings:attendance-sheet", args=[session.pk]) not in page.content.decode()
    sheet = client.get(reverse("trainings:attendance-sheet", args=[session.pk]))
    assert sheet.status_code == 403
