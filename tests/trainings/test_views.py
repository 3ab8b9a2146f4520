from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import AuditAction, AuditEvent
from points.models import QuestionTopic
from tests.factories import make_partner, make_point, make_resident, make_user
from tests.trainings.factories import (
    make_course,
    make_enrolment,
    make_guidance,
    make_open_point,
    make_session,
)
from trainings.models import EnrolmentStatus, Guidance, Session, SessionStatus

pytestmark = pytest.mark.django_db


def _topic(name: str) -> QuestionTopic:
    return QuestionTopic.objects.create(name=name, slug=name.lower())


def _login(client, role: str, **kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    return user


# --- Role scoping ---------------------------------------------------------


def test_coach_changes_their_own_session(client):
    coach = _login(client, "coach")
    session = make_session(trainer=coach)
    response = client.get(reverse("trainings:session-edit", args=[session.pk]))
    assert response.status_code == 200


def test_coach_cannot_change_another_coachs_session(client):
    _login(client, "coach")
    session = make_session(trainer=make_user("coach"))
    assert client.get(reverse("trainings:session-edit", args=[session.pk])).status_code == 403
    response = client.post(reverse("trainings:session-cancel", args=[session.pk]),
                           {"reason": "Ziek"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_host_cannot_cancel_a_session(client):
    _login(client, "host")
    session = make_session()
    response = client.post(reverse("trainings:session-cancel", args=[session.pk]),
                           {"reason": "Ziek"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_partner_has_no_access_to_the_session_page(client):
    _login(client, "partner")
    session = make_session()
    assert client.get(reverse("trainings:session-detail", args=[session.pk])).status_code == 403


def test_coach_plans_a_session_they_give_themselves(client):
    coach = _login(client, "coach")
    course = make_course(default_capacity=6)
    point = make_open_point()
    day = timezone.localdate() + timedelta(days=7)
    response = client.post(reverse("trainings:session-create"), {
        "course": course.pk, "day": day.isoformat(), "start_time": "13:30",
        "end_time": "15:30", "point": point.pk, "weeks": "1"})
    session = Session.objects.get()
    assert response.status_code == 302
    assert session.trainer == coach and session.capacity == 6
    assert timezone.localtime(session.starts_at).hour == 13
    assert session.events.get().to_status == SessionStatus.PLANNED


def test_session_form_refuses_both_a_point_and_a_partner(client):
    _login(client, "coordinator")
    response = client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": "2030-01-10", "start_time": "10:00",
        "end_time": "12:00", "point": make_point().pk,
        "venue": make_partner(is_training_partner=True).pk, "weeks": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["venue"]
    assert not Session.objects.exists()


def test_session_form_refuses_an_end_before_the_start(client):
    _login(client, "coordinator")
    response = client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": "2030-01-10", "start_time": "12:00",
        "end_time": "10:00", "point": make_point().pk, "weeks": "1"})
    assert response.context["form"].errors["end_time"]
    assert not Session.objects.exists()


def test_coach_cancels_their_session_from_the_screen(client):
    coach = _login(client, "coach")
    session = make_session(trainer=coach)
    make_enrolment(session, make_resident(phone="0470000001"))
    response = client.post(reverse("trainings:session-cancel", args=[session.pk]),
                           {"reason": "De coach is ziek"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


# --- Session page and attendance ------------------------------------------


def test_session_page_query_count_does_not_grow_with_enrolments(
    client, django_assert_max_num_queries
):
    _login(client, "coach")
    small = make_session(capacity=300)
    big = make_session(capacity=300)
    for _ in range(5):
        make_enrolment(small, make_resident())
    for _ in range(200):
        make_enrolment(big, make_resident())
    for _ in range(20):
        make_enrolment(big, make_resident(), status=EnrolmentStatus.WAITING)
    # A first request fills the process-wide content-type cache (its history
    # link), as any running server has long done.
    client.get(reverse("trainings:session-detail", args=[small.pk]))
    with django_assert_max_num_queries(13) as small_queries:
        client.get(reverse("trainings:session-detail", args=[small.pk]))
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(reverse("trainings:session-detail", args=[big.pk]))
    assert response.status_code == 200


def test_session_list_query_count_does_not_grow_with_sessions(
    client, django_assert_max_num_queries
):
    _login(client, "host")
    point = make_point()
    for _ in range(5):
        make_session(point=point)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("trainings:sessions"))
    for _ in range(45):
        session = make_session(point=point, trainer=make_user("coach"))
        make_enrolment(session, make_resident())
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("trainings:sessions"))


def test_attendance_toggle_with_htmx_returns_the_row_fragment(client):
    coach = _login(client, "coach")
    session = make_session(starts_at=timezone.now() - timedelta(minutes=5), trainer=coach)
    enrolment = make_enrolment(session, make_resident("Luc"))
    response = client.post(reverse("trainings:mark-attendance", args=[enrolment.pk]),
                           {"attended": "1"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and f'id="enrolment-{enrolment.pk}"' in content
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ATTENDED


def test_attendance_without_htmx_redirects_to_the_session(client):
    _login(client, "coordinator")
    session = make_session(starts_at=timezone.now() - timedelta(minutes=5))
    enrolment = make_enrolment(session, make_resident())
    response = client.post(reverse("trainings:mark-attendance", args=[enrolment.pk]),
                           {"attended": "0"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NO_SHOW


def test_attendance_sheet_lists_participants_and_is_audited(client):
    point = make_point()
    _login(client, "host", points=[point])
    session = make_session(point=point)
    make_enrolment(session, make_resident("Fatima", "Bouzid"))
    response = client.get(reverse("trainings:attendance-sheet", args=[session.pk]))
    assert "Fatima Bouzid" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_host_cancels_an_enrolment_and_the_waiting_list_moves_up(client):
    point = make_point()
    _login(client, "host", points=[point])
    session = make_session(capacity=1, point=point)
    seated = make_enrolment(session, make_resident())
    waiting = make_enrolment(session, make_resident(phone="0470000002"),
                             status=EnrolmentStatus.WAITING)
    client.post(reverse("trainings:enrolment-cancel", args=[seated.pk]))
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED


# --- Guidance --------------------------------------------------------------


def test_coach_sees_only_their_own_guidance(client):
    coach = _login(client, "coach")
    mine = make_guidance(make_resident(), coach)
    theirs = make_guidance(make_resident(), make_user("coach"))
    response = client.get(reverse("trainings:guidance-list"))
    assert list(response.context["page"].object_list) == [mine]
    assert client.get(reverse("trainings:guidance-detail", args=[theirs.pk])).status_code == 404


def test_coordinator_sees_every_guidance(client):
    _login(client, "coordinator")
    make_guidance(make_resident(), make_user("coach"))
    make_guidance(make_resident(), make_user("coach"))
    assert len(client.get(reverse("trainings:guidance-list")).context["page"].object_list) == 2


def test_coach_starts_guidance_and_records_a_meeting(client):
    coach = _login(client, "coach")
    resident = make_resident()
    url = reverse("trainings:guidance-create") + f"?inwoner={resident.pk}"
    client.post(url, {"goal": "Zelf een afspraak maken bij de dokter"})
    guidance = Guidance.objects.get()
    assert guidance.coach == coach and guidance.events.count() == 1
    client.post(reverse("trainings:guidance-detail", args=[guidance.pk]),
                {"held_on": timezone.localdate().isoformat(), "note": "Itsme geïnstalleerd"})
    assert guidance.meetings.get().note == "Itsme geïnstalleerd"


def test_closing_guidance_as_referral_needs_a_partner(client):
    coach = _login(client, "coach")
    guidance = make_guidance(make_resident(), coach)
    response = client.post(reverse("trainings:guidance-close", args=[guidance.pk]),
                           {"outcome": "referred"})
    assert response.status_code == 400
    guidance.refresh_from_db()
    assert guidance.status == "open"
    partner = make_partner()
    client.post(reverse("trainings:guidance-close", args=[guidance.pk]),
                {"outcome": "referred", "referred_to": partner.pk})
    guidance.refresh_from_db()
    assert guidance.status == "closed" and guidance.referred_to == partner


def test_guidance_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    coach = _login(client, "coach")
    for _ in range(5):
        make_guidance(make_resident(), coach)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("trainings:guidance-list"))
    for _ in range(45):
        make_guidance(make_resident(), coach)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("trainings:guidance-list"))


def test_figures_query_count_does_not_grow_with_courses(client, django_assert_max_num_queries):
    _login(client, "coordinator")
    for _ in range(5):
        make_enrolment(make_session(), make_resident())
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("trainings:figures"))
    for _ in range(30):
        make_enrolment(make_session(), make_resident())
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("trainings:figures"))
    assert len(response.context["rows"]) == 35


def test_coach_reopens_a_closed_trajectory(client):
    coach = _login(client, "coach")
    guidance = make_guidance(make_resident(), coach, status="closed", outcome="reached",
                             closed_on=timezone.localdate())
    client.post(reverse("trainings:guidance-reopen", args=[guidance.pk]))
    guidance.refresh_from_db()
    assert guidance.status == "open" and guidance.closed_on is None
    assert guidance.events.last().to_status == "open"


def test_viewing_the_participant_list_is_audited(client):
    point = make_point()
    _login(client, "host", points=[point])
    session = make_session(point=point)
    client.get(reverse("trainings:session-detail", args=[session.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, target_id=str(session.pk)).exists()


def test_coach_plans_a_weekly_series_at_the_same_local_hour(client):
    _login(client, "coach")
    # Four Tuesdays across the start of daylight-saving time (28/03/2027).
    client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": "2027-03-16", "start_time": "14:00",
        "end_time": "16:00", "point": make_open_point().pk, "weeks": "4"})
    starts = [timezone.localtime(s.starts_at) for s in Session.objects.order_by("starts_at")]
    assert [s.day for s in starts] == [16, 23, 30, 6]
    assert {s.hour for s in starts} == {14}


def test_session_form_refuses_a_series_of_more_than_twelve_weeks(client):
    _login(client, "coach")
    response = client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": "2030-01-10", "start_time": "10:00",
        "end_time": "12:00", "point": make_point().pk, "weeks": "13"})
    assert response.context["form"].errors["weeks"]
    assert not Session.objects.exists()


def test_session_form_refuses_a_new_session_in_the_past(client):
    _login(client, "coach")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": yesterday.isoformat(), "start_time": "10:00",
        "end_time": "12:00", "point": make_point().pk, "weeks": "1"})
    assert response.context["form"].errors["day"]
    assert not Session.objects.exists()


def test_enrolment_cancel_ignores_a_foreign_next_address(client):
    point = make_point()
    _login(client, "host", points=[point])
    enrolment = make_enrolment(make_session(point=point), make_resident())
    response = client.post(reverse("trainings:enrolment-cancel", args=[enrolment.pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("trainings:session-detail",
                                           args=[enrolment.session_id])


def test_coach_filters_the_sessions_they_give(client):
    coach = _login(client, "coach")
    mine = make_session(trainer=coach)
    make_session(trainer=make_user("coach"))
    response = client.get(reverse("trainings:sessions"), {"mijn": "1"})
    assert list(response.context["page"].object_list) == [mine]




def test_cancelling_says_who_got_the_place_from_the_waiting_list(client):
    point = make_point()
    _login(client, "host", points=[point])
    session = make_session(capacity=1, point=point)
    seated = make_enrolment(session, make_resident("An", "Peeters"))
    make_enrolment(session, make_resident("Karim", "Haddou", phone="0470000003"),
                   status=EnrolmentStatus.WAITING)
    response = client.post(reverse("trainings:enrolment-cancel", args=[seated.pk]), follow=True)
    content = response.content.decode()
    assert "De inschrijving van An Peeters is geannuleerd" in content
    assert "Karim Haddou krijgt de plaats en wordt verwittigd" in content


def test_session_form_asks_to_choose_a_training_instead_of_dashes(client):
    _login(client, "coordinator")
    content = client.get(reverse("trainings:session-create")).content.decode()
    assert "Kies een opleiding" in content and "---------" not in content


def test_a_session_planned_online_is_shown_as_online_from_its_point(client):
    coach = _login(client, "coach")
    point = make_open_point("Punt Nekkerspoel")
    day = timezone.localdate() + timedelta(days=7)
    client.post(reverse("trainings:session-create"), {
        "course": make_course().pk, "day": day.isoformat(), "start_time": "13:30",
        "end_time": "15:30", "point": point.pk, "weeks": "1", "is_online": "on"})
    session = Session.objects.get()
    assert session.is_online and session.trainer == coach
    assert session.place_name == "Online, vanuit Punt Nekkerspoel"


def test_attendance_sheet_names_the_trainer_and_leaves_rows_for_walk_ins(client):
    point = make_point()
    _login(client, "host", points=[point])
    trainer = make_user("coach", first_name="Karim", last_name="Benali")
    session = make_session(capacity=5, trainer=trainer, point=point)
    for _ in range(4):
        make_enrolment(session, make_resident())
    response = client.get(reverse("trainings:attendance-sheet", args=[session.pk]))
    assert len(response.context["blank_rows"]) == 3  # at least three, though one place is free
    assert "Karim Benali" in response.content.decode()
    empty = make_session(capacity=10, point=point)
    response = client.get(reverse("trainings:attendance-sheet", args=[empty.pk]))
    assert len(response.context["blank_rows"]) == 10
