"""Builders for trainings tests."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from points.models import BRUSSELS, OpeningPeriod, Point
from tests.factories import make_point
from trainings.models import (
    Course,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Guidance,
    RunEnrolment,
    RunEnrolmentStatus,
    Session,
)


def make_course(title: str | None = None, **fields) -> Course:
    title = title or f"Course {Course.objects.count() + 1}"
    fields.setdefault("summary", "Leer stap voor stap.")
    return Course.objects.create(title=title, **fields)


def make_open_point(name: str | None = None, **fields) -> Point:
    """A point open every day from 08:00 to 20:00, so the calendar accepts
    a session at any usual hour."""
    point = make_point(name, **fields)
    OpeningPeriod.objects.bulk_create([
        OpeningPeriod(point=point, weekday=weekday, opens=time(8), closes=time(20))
        for weekday in range(7)])
    return point


def at_ten(days: int = 3) -> datetime:
    """10:00 in Brussels, ``days`` days from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(10),
                            tzinfo=BRUSSELS)


def make_session(
    course: Course | None = None, *, point: Point | None = None, starts_at: datetime | None = None,
    capacity: int = 8, **fields,
) -> Session:
    starts_at = starts_at or (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    if point is None and "venue" not in fields:
        point = make_point()
    return Session.objects.create(
        course=course or make_course(), point=point, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), capacity=capacity, **fields,
    )


def make_enrolment(session: Session, resident, status: str = EnrolmentStatus.ENROLLED,
                   **fields) -> Enrolment:
    if status == EnrolmentStatus.WAITING:
        fields.setdefault("waiting_since", timezone.now())
    return Enrolment.objects.create(session=session, resident=resident, status=status, **fields)


def make_guidance(resident, coach, goal: str = "Zelf online bankieren", **fields) -> Guidance:
    return Guidance.objects.create(resident=resident, coach=coach, goal=goal, **fields)


def make_run(course: Course | None = None, *, weeks: int = 4, point: Point | None = None,
             starts_at: datetime | None = None, capacity: int = 8, **fields) -> CourseRun:
    """A series of ``weeks`` weekly sessions (as planning makes them)."""
    course = course or make_course()
    starts_at = starts_at or (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    if point is None and "venue" not in fields:
        point = make_point()
    run = CourseRun.objects.create(course=course)
    for week in range(weeks):
        make_session(course, point=point, starts_at=starts_at + timedelta(weeks=week),
                     capacity=capacity, run=run, **fields)
    return run


def make_run_enrolment(run: CourseRun, resident,
                       status: str = RunEnrolmentStatus.ENROLLED, **fields) -> RunEnrolment:
    """A series enrolment with its seats in the series' upcoming sessions
    (none when waiting)."""
    if status == RunEnrolmentStatus.WAITING:
        fields.setdefault("waiting_since", timezone.now())
    run_enrolment = RunEnrolment.objects.create(run=run, resident=resident, status=status,
                                                **fields)
    if status == RunEnrolmentStatus.ENROLLED:
        for session in run.sessions.filter(starts_at__gt=timezone.now()):
            make_enrolment(session, resident, run_enrolment=run_enrolment)
    return run_enrolment
