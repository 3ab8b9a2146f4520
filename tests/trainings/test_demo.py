import os

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
