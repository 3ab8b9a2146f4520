"""The screens of a series: its page, "session 2 of 4", the counter's
quick enrolment, the public pages and the calendar feed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import (
    make_course,
    make_enrolment,
    make_run,
    make_run_enrolment,
    make_session,
)
from trainings.models import EnrolmentStatus, RunEnrolment, RunEnrolmentStatus
from trainings.services import enrol_in_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache():
    cache.clear()
    yield
    cache.clear()


def _second(run):
    return run.sessions.order_by("starts_at")[1]


def test_session_page_says_which_session_of_the_series_it_is(client):
    client.force_login(make_user("coach"))
    run = make_run(weeks=4)
    response = client.get(reverse("trainings:session-detail", args=[_second(run).pk]))
    content = response.content.decode()
    assert "Sessie 2 van 4" in content
    assert reverse("trainings:run-detail", args=[run.pk]) in content


def test_session_list_shows_the_number_in_the_series(client):
    client.force_login(make_user("host"))
    make_run(weeks=3)
    content = client.get(reverse("trainings:sessions")).content.decode()
    assert "sessie 1 van 3" in content and "sessie 3 van 3" in content


def test_series_page_shows_participants_attendance_and_waiting_list(client):
    client.force_login(make_user("coordinator"))
    run = make_run(weeks=2, capacity=1, starts_at=timezone.now() - timedelta(hours=1))
    first = run.sessions.order_by("starts_at").first()
    seated = make_run_enrolment(run, make_resident("Olena", "Kovalenko"))
    make_enrolment(first, seated.resident, status=EnrolmentStatus.ATTENDED,
                   run_enrolment=seated)
    make_run_enrolment(run, make_resident("Ahmed", "Haddou"), status=RunEnrolmentStatus.WAITING)
    response = client.get(reverse("trainings:run-detail", args=[run.pk]))
    assert [(e.resident.first_name, marks) for e, marks in response.context["rows"]] == [
        ("Olena", ["attended", "enrolled"])]
    assert [e.resident.first_name for e in response.context["waiting"]] == ["Ahmed"]


def test_series_page_query_count_does_not_grow_with_participants(
    client, django_assert_max_num_queries
):
    client.force_login(make_user("coordinator"))
    small, big = make_run(weeks=4, capacity=300), make_run(weeks=4, capacity=300)
    for _ in range(5):
        make_run_enrolment(small, make_resident())
    for _ in range(200):
        make_run_enrolment(big, make_resident())
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("trainings:run-detail", args=[small.pk]))
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("trainings:run-detail", args=[big.pk]))
    assert len(response.context["rows"]) == 200


def test_session_page_of_a_series_query_count_does_not_grow_with_participants(
    client, django_assert_max_num_queries
):
    client.force_login(make_user("coordinator"))
    small, big = make_run(weeks=2, capacity=300), make_run(weeks=2, capacity=300)
    for _ in range(5):
        make_run_enrolment(small, make_resident())
    for _ in range(200):
        make_run_enrolment(big, make_resident())
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("trainings:session-detail", args=[_second(small).pk]))
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("trainings:session-detail", args=[_second(big).pk]))
    assert len(response.context["seated"]) == 200


def test_session_page_of_a_series_lists_the_series_waiting_list(client):
    client.force_login(make_user("coordinator"))
    run = make_run(weeks=3, capacity=1)
    enrol_in_run(actor=None, run=run, resident=make_resident("An", "Peeters"))
    waiting = enrol_in_run(actor=None, run=run, resident=make_resident("Karim", "Haddou"))
    response = client.get(reverse("trainings:session-detail", args=[_second(run).pk]))
    content = response.content.decode()
    assert response.context["waiting"] == [waiting]
    assert "Karim Haddou" in content and "Niemand wacht" not in content
    assert reverse("trainings:run-enrolment-cancel", args=[waiting.pk]) in content


def test_cancelling_on_the_series_page_names_who_got_the_place(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    run = make_run(weeks=2, capacity=1, point=point)
    seated = enrol_in_run(actor=None, run=run, resident=make_resident("An", "Peeters"))
    enrol_in_run(actor=None, run=run, resident=make_resident("Karim", "Haddou"))
    response = client.post(reverse("trainings:run-enrolment-cancel", args=[seated.pk]),
                           follow=True)
    content = response.content.decode()
    assert "Karim Haddou krijgt de plaats" in content
    seated.refresh_from_db()
    assert seated.status == RunEnrolmentStatus.CANCELLED


def test_quick_enrolment_in_a_date_of_a_series_enrols_in_the_whole_series(client):
    client.force_login(make_user("host"))
    resident = make_resident()
    run = make_run(weeks=4)
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    client.post(url, {"action": "enrol", "session": run.sessions.first().pk})
    [run_enrolment] = RunEnrolment.objects.all()
    assert run_enrolment.resident == resident
    assert run_enrolment.session_enrolments.filter(status="enrolled").count() == 4


def test_quick_enrolment_lists_a_series_once(client):
    client.force_login(make_user("host"))
    resident = make_resident()
    run = make_run(weeks=4)
    response = client.get(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}&alle=1")
    listed = [s.pk for s in response.context["suggested"] + response.context["others"]]
    assert listed == [run.sessions.order_by("starts_at").first().pk]
    assert "reeks van 4 sessies" in response.content.decode()


def test_quick_enrolment_joins_only_one_date_where_the_course_allows_it(client):
    client.force_login(make_user("host"))
    resident = make_resident()
    run = make_run(make_course(single_sessions_allowed=True), weeks=3)
    session = run.sessions.first()
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    client.post(url, {"action": "enrol", "session": session.pk, "alone": "1"})
    assert not RunEnrolment.objects.exists()
    assert session.enrolments.get().resident == resident


def test_quick_enrolment_shows_a_series_enrolment_once_with_its_cancel_button(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    resident = make_resident()
    run_enrolment = make_run_enrolment(make_run(weeks=4, point=point), resident)
    response = client.get(reverse("counter:quick-enrol") + f"?inwoner={resident.pk}")
    assert response.context["current"] == []
    assert [e for e, _first in response.context["series"]] == [run_enrolment]
    assert response.context["cancellable_series"] == {run_enrolment.pk}


def test_public_list_shows_a_series_once_with_its_dates(client):
    run = make_run(make_course("Smartphone stap voor stap"), weeks=4)
    make_session(make_course("Werken met itsme"))
    response = client.get(reverse("trainings:public-list"))
    content = response.content.decode()
    assert content.count("Smartphone stap voor stap") == 1
    assert "Reeks van 4 sessies" in content
    for session in run.sessions.all():
        assert f"{timezone.localtime(session.starts_at):%d/%m}" in content


def test_public_form_on_a_series_lists_every_date(client):
    run = make_run(weeks=3)
    response = client.get(reverse("trainings:public-enrol", args=[_second(run).pk]))
    assert "Een reeks van 3 sessies" in response.content.decode()


def test_ical_feed_has_one_event_per_session_with_its_number(client):
    run = make_run(make_course("Smartphone"), weeks=3)
    response = client.get(reverse("trainings:ical"))
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content)
                       .walk("VEVENT"))
    assert summaries == [f"Smartphone (sessie {n} van 3)" for n in (1, 2, 3)]
    assert run.sessions.count() == 3


def test_figures_count_a_series_waiting_list_like_the_series_page(client):
    client.force_login(make_user("coordinator"))
    course = make_course("Smartphone voor beginners")
    run = make_run(course, weeks=4, capacity=1)
    make_run_enrolment(run, make_resident())
    for _ in range(2):
        make_run_enrolment(run, make_resident(), status=RunEnrolmentStatus.WAITING)
    single = make_session(course, capacity=1)
    make_enrolment(single, make_resident())
    make_enrolment(single, make_resident(), status=EnrolmentStatus.WAITING)
    response = client.get(reverse("trainings:figures"))
    [row] = [row for row in response.context["rows"] if row[0] == course]
    assert row[0].waiting == len(run.waiting_list()) + 1 == 3


def test_session_edit_of_a_series_says_the_places_are_the_series(client):
    coordinator = make_user("coordinator")
    client.force_login(coordinator)
    run = make_run(weeks=4)
    second = run.sessions.order_by("starts_at")[1]
    response = client.get(reverse("trainings:session-edit", args=[second.pk]))
    assert "elke sessie van de reeks die nog komt" in response.content.decode()
