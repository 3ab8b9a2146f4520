"""The data migration that turns the weekly series planned before series
existed (four unrelated sessions) into series to enrol in once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_point, make_resident
from tests.trainings.factories import make_course, make_enrolment, make_session
from trainings.models import CourseRun, EnrolmentStatus, RunEnrolment, Session

BEFORE = [("trainings", "0002_course_runs")]


def _migrate_again():
    """Back to before the data migration, then forward to the latest."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _weekly(course, point, weeks, *, start=None, **fields):
    start = start or (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    return [make_session(course, point=point, starts_at=start + timedelta(weeks=week),
                         **fields) for week in range(weeks)]


@pytest.mark.django_db(transaction=True)
def test_weekly_sessions_planned_together_become_one_series_with_its_enrolments():
    course, point = make_course(), make_point()
    series = _weekly(course, point, 4)
    both = make_resident()
    some = make_resident()
    for session in series:
        make_enrolment(session, both)
    make_enrolment(series[0], some)
    make_enrolment(series[1], make_resident(), status=EnrolmentStatus.WAITING)

    _migrate_again()

    [run] = CourseRun.objects.all()
    assert set(run.sessions.values_list("pk", flat=True)) == {s.pk for s in series}
    [run_enrolment] = RunEnrolment.objects.all()
    assert run_enrolment.resident == both and run_enrolment.status == "enrolled"
    assert run_enrolment.session_enrolments.count() == 4
    # Everyone else keeps what they had, on their own dates.
    assert series[0].enrolments.get(resident=some).run_enrolment is None
    assert series[1].enrolments.get(status="waiting").run_enrolment is None


@pytest.mark.django_db(transaction=True)
def test_sessions_that_were_not_planned_together_stay_on_their_own():
    course, point = make_course(), make_point()
    lone = _weekly(course, point, 1)
    other_place = _weekly(course, make_point(), 1,
                          start=lone[0].starts_at + timedelta(weeks=1))
    two_weeks_later = _weekly(course, point, 1, start=lone[0].starts_at + timedelta(weeks=2))
    # Same hours a week apart, but planned a day later: not one series.
    later = _weekly(course, point, 1, start=lone[0].starts_at + timedelta(weeks=1))
    Session.objects.filter(pk=later[0].pk).update(
        created_at=lone[0].created_at + timedelta(days=1))

    _migrate_again()

    assert not CourseRun.objects.exists()
    assert not Session.objects.filter(
        pk__in=[lone[0].pk, other_place[0].pk, two_weeks_later[0].pk, later[0].pk],
        run__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_two_series_of_one_course_at_one_place_stay_two_series():
    course, point = make_course(), make_point()
    first = _weekly(course, point, 3)
    second = _weekly(course, point, 3, start=first[0].starts_at + timedelta(hours=4))

    _migrate_again()

    assert CourseRun.objects.count() == 2
    assert len({s.run_id for s in Session.objects.filter(pk__in=[s.pk for s in first])}) == 1
    assert Session.objects.get(pk=first[0].pk).run_id != Session.objects.get(
        pk=second[0].pk).run_id
