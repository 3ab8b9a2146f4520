import os
from datetime import date

import pytest
from django.core.management import call_command

from trainings.models import Course, CourseRun, Enrolment, Guidance, Session

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return (Course.objects.count(), Session.objects.count(), Enrolment.objects.count(),
            Guidance.objects.count())


def test_demo_data_has_full_sessions_past_attendance_and_guidance_and_seeds_once():
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", force=True, stdout=devnull)
        first = _counts()
        call_command("seed_demo", force=True, stdout=devnull)
    assert _counts() == first
    assert first[0] == 12
    assert Enrolment.objects.filter(status="waiting").exists()
    assert Enrolment.objects.filter(status="attended").exists()
    assert Session.objects.filter(venue__isnull=False).exists()
    assert Guidance.objects.filter(coach__username="coach").count() == 3
    [run] = CourseRun.objects.all()
    assert run.sessions.count() == 4 and run.enrolments.filter(status="enrolled").exists()


def test_demo_plans_no_training_or_deployment_when_the_place_is_closed():
    from points.calendar import check_deployment, check_slot
    from points.models import MobileDeployment, Point

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", force=True, stdout=devnull)
    points = {point.pk: point for point in Point.objects.with_schedule(since=date(2000, 1, 1))}
    sessions = Session.objects.filter(point__isnull=False).exclude(status="cancelled")
    assert sessions.filter(point__kind="mobile").exists()
    for session in sessions:
        check_slot(points[session.point_id], session.starts_at, session.ends_at, past_ok=True)
    for deployment in MobileDeployment.objects.all():
        check_deployment(points[deployment.point_id], deployment.starts_at, deployment.ends_at,
                         past_ok=True)


def test_demo_gives_the_librarys_courses_to_the_library_not_the_first_partner_by_name():
    from outreach.models import PartnerKind
    from tests.factories import make_partner
    from trainings.demo import seed

    make_partner("Agentschap Integratie en Inburgering", is_training_partner=True)
    library = make_partner("Bibliotheek Mechelen", kind=PartnerKind.LIBRARY,
                           is_training_partner=True)
    seed()
    providers = set(Course.objects.filter(provider__isnull=False)
                    .values_list("provider", flat=True))
    assert providers == {library.pk}
