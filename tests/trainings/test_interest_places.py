"""Interest becomes places: people on an interest list are told once when
a session or series with free places is planned for what they asked."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import CallTask, Notification
from points.models import QuestionTopic
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import (
    make_course,
    make_enrolment,
    make_open_point,
    make_run,
    make_session,
)
from trainings.models import EnrolmentStatus, InterestEntry, RunEnrolment
from trainings.services import INTEREST_KIND, plan_session, tell_interest_about_places
from trainings.tasks import tell_interest_about_places as tell_task

pytestmark = pytest.mark.django_db


def _interest(resident, course=None, topic=None, point=None, **fields):
    return InterestEntry.objects.create(resident=resident, course=course, topic=topic,
                                        point=point, **fields)


def test_interested_people_are_told_once_however_often_the_job_runs(
    django_capture_on_commit_callbacks, mailoutbox
):
    course = make_course("Online bankieren")
    _interest(make_resident(email="luc@example.org"), course)
    make_session(course)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_task.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_task.delay().get() == 0
    assert [mail.to for mail in mailoutbox] == [["luc@example.org"]]
    assert "Online bankieren" in mailoutbox[0].subject
    assert Notification.objects.filter(kind=INTEREST_KIND).count() == 1


def test_someone_without_email_goes_on_the_call_list_of_their_preferred_point():
    course = make_course()
    point = make_point()
    entry = _interest(make_resident(phone="0470111222"), course, point=point)
    session = make_session(course, point=make_point())
    tell_interest_about_places()
    task = CallTask.objects.get(resident=entry.resident)
    assert task.point == point and task.kind == INTEREST_KIND
    entry.refresh_from_db()
    assert entry.offered_session == session and entry.told_at is not None


def test_the_session_at_the_preferred_point_is_offered_first_even_when_later():
    course = make_course()
    point = make_point()
    entry = _interest(make_resident(), course, point=point)
    make_session(course, point=make_point())
    there = make_session(course, point=point, starts_at=timezone.now() + timedelta(days=9))
    tell_interest_about_places()
    entry.refresh_from_db()
    assert entry.offered_session == there


def test_people_who_prefer_the_sessions_point_are_told_first_when_places_are_few():
    course = make_course()
    point = make_point()
    elsewhere = _interest(make_resident(), course, point=make_point())
    here = _interest(make_resident(), course, point=point)
    make_session(course, point=point, capacity=1)
    assert tell_interest_about_places() == 1
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert here.told_at is not None and elsewhere.told_at is None


def test_a_full_session_tells_nobody():
    course = make_course()
    entry = _interest(make_resident(), course)
    session = make_session(course, capacity=1)
    make_enrolment(session, make_resident())
    assert tell_interest_about_places() == 0
    entry.refresh_from_db()
    assert entry.told_at is None


def test_interest_in_a_topic_is_told_about_a_training_on_that_topic():
    topic = QuestionTopic.objects.create(name="bank", slug="bank")
    course = make_course()
    course.topics.add(topic)
    entry = _interest(make_resident(), topic=topic)
    make_session(course)
    assert tell_interest_about_places() == 1
    entry.refresh_from_db()
    assert entry.offered_session.course == course


def test_a_series_is_offered_once_by_its_first_date():
    course = make_course()
    entry = _interest(make_resident(phone="0470111222"), course)
    run = make_run(course, weeks=3)
    tell_interest_about_places()
    entry.refresh_from_db()
    assert entry.offered_session == run.sessions.order_by("starts_at").first()
    assert "3 sessies" in CallTask.objects.get(resident=entry.resident).message


def test_planning_a_session_tells_the_interest_list(django_capture_on_commit_callbacks):
    course = make_course()
    entry = _interest(make_resident(), course)
    day = timezone.localdate() + timedelta(days=7)
    zone = timezone.get_current_timezone()
    with django_capture_on_commit_callbacks(execute=True):
        plan_session(actor=make_user("coach"), course=course, point=make_open_point(),
                     capacity=6,
                     starts_at=datetime.combine(day, time(14), zone),
                     ends_at=datetime.combine(day, time(16), zone))
    entry.refresh_from_db()
    assert entry.told_at is not None


def test_host_enrols_from_the_call_list_in_one_click(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    course = make_course("Online bankieren")
    resident = make_resident("Luc", "Janssens", phone="0470111222")
    entry = _interest(resident, course, point=point)
    session = make_session(course, point=point)
    tell_interest_about_places()
    listing = client.get(reverse("call-list"))
    [(task, _form, action)] = listing.context["rows"]
    assert action[1] == reverse("trainings:interest-call-enrol", args=[task.pk])
    assert 'Inschrijven voor <span lang="nl">Online bankieren</span>' in listing.content.decode()
    response = client.post(action[1])
    assert response.status_code == 302
    assert session.enrolments.get().resident == resident
    task.refresh_from_db()
    entry.refresh_from_db()
    assert task.status == "done" and task.result == "reached"
    assert entry.closed_at is not None


def test_one_click_enrolment_of_a_series_enrols_in_the_whole_series(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    course = make_course()
    entry = _interest(make_resident(phone="0470111222"), course, point=point)
    make_run(course, weeks=3, point=point)
    tell_interest_about_places()
    task = CallTask.objects.get(resident=entry.resident)
    client.post(reverse("trainings:interest-call-enrol", args=[task.pk]))
    assert RunEnrolment.objects.get().resident == entry.resident


def test_host_of_another_point_cannot_use_the_one_click(client):
    point = make_point()
    client.force_login(make_user("host", points=[make_point()]))
    course = make_course()
    entry = _interest(make_resident(phone="0470111222"), course, point=point)
    make_session(course, point=point)
    tell_interest_about_places()
    task = CallTask.objects.get(resident=entry.resident)
    response = client.post(reverse("trainings:interest-call-enrol", args=[task.pk]))
    assert response.status_code == 403
    assert not entry.resident.enrolments.exists()


def test_call_list_query_count_does_not_grow_with_interest_calls(
    client, django_assert_max_num_queries
):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    course = make_course()
    make_session(course, point=point, capacity=200)
    _interest(make_resident(phone="0470000001"), course, point=point)
    tell_interest_about_places()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("call-list"))
    for n in range(20):
        _interest(make_resident(phone=f"04710000{n:02}"), course, point=point)
    tell_interest_about_places()
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("call-list"))
    assert len(response.context["rows"]) == 21


def test_figures_show_interest_next_to_free_places(client):
    client.force_login(make_user("coordinator"))
    course = make_course("Online bankieren")
    session = make_session(course, capacity=6)
    make_enrolment(session, make_resident())
    for _ in range(2):
        _interest(make_resident(), course)
    response = client.get(reverse("trainings:figures"))
    [row] = [row for row in response.context["rows"] if row[0] == course]
    assert row[1:] == (6, 5, 2, 0)
    assert "5 vrije plaatsen: ze worden verwittigd" in response.content.decode()


def test_figures_say_one_free_place_in_the_singular(client):
    client.force_login(make_user("coordinator"))
    course = make_course("Online bankieren")
    make_session(course, capacity=1)
    _interest(make_resident(), course)
    page = client.get(reverse("trainings:figures")).content.decode()
    assert "1 vrije plaats: ze worden verwittigd" in page


def test_waiting_list_enrolment_does_not_count_as_free(client):
    course = make_course()
    entry = _interest(make_resident(), course)
    session = make_session(course, capacity=1)
    make_enrolment(session, make_resident())
    make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    assert tell_interest_about_places() == 0
    entry.refresh_from_db()
    assert entry.told_at is None


def test_the_message_about_a_place_at_a_partners_venue_gives_the_digibanks_number(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    from tests.factories import make_partner

    settings.CONTACT_PHONE = "015 99 88 77"
    course = make_course("Online bankieren")
    _interest(make_resident(email="luc@example.org"), course)
    make_session(course, point=None, venue=make_partner(is_training_partner=True))
    with django_capture_on_commit_callbacks(execute=True):
        tell_interest_about_places()
    assert "015 99 88 77" in mailoutbox[0].body
    assert "bel ons" not in mailoutbox[0].body
