"""Trainings at scale: 20,000 enrolments over 1,000 sessions of 40 courses
(at scale 1) and a four-week series. Times the session and series pages, the
public list and the enrolment action."""

import itertools
from datetime import timedelta

from django.utils import timezone

ENROLMENTS = 20_000
PER_SESSION = 20


def load(scale: float) -> None:
    from digibank.models import Resident
    from outreach.models import Partner
    from points.models import Point
    from trainings.models import Course, Enrolment, EnrolmentStatus, Session, SessionStatus

    sessions_count = max(10, int(ENROLMENTS * scale) // PER_SESSION)
    residents = Resident.objects.bulk_create(
        Resident(first_name=f"Bench{i}", last_name=f"Inwoner{i}", phone=f"0470{i:06d}")
        for i in range(max(PER_SESSION * 3, int(5_000 * scale)))
    )
    courses = Course.objects.bulk_create(
        Course(title=f"Bench-opleiding {i}", summary="Leer stap voor stap.") for i in range(40)
    )
    points = list(Point.objects.all())
    library = Partner.objects.filter(is_training_partner=True).first()
    now = timezone.now().replace(second=0, microsecond=0)
    sessions = []
    for i in range(sessions_count):
        # A third in the past (held), the rest spread over the coming months.
        offset = timedelta(days=(i * 120 // sessions_count) - 40, hours=i % 8)
        starts = now + offset
        at_venue = library is not None and i % 5 == 0
        sessions.append(Session(
            course=courses[i % len(courses)], starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            point=None if at_venue else points[i % len(points)],
            venue=library if at_venue else None,
            capacity=PER_SESSION - 4,
            status=SessionStatus.HELD if offset.days < 0 else SessionStatus.PLANNED,
        ))
    sessions = Session.objects.bulk_create(sessions)
    cycle = itertools.cycle(residents)
    enrolments = []
    for session in sessions:
        for seat in range(PER_SESSION):
            if session.status == SessionStatus.HELD:
                status = EnrolmentStatus.ATTENDED if seat % 5 else EnrolmentStatus.NO_SHOW
            else:
                status = EnrolmentStatus.ENROLLED if seat < 16 else EnrolmentStatus.WAITING
            enrolments.append(Enrolment(session=session, resident=next(cycle), status=status,
                                        waiting_since=now if status == "waiting" else None))
    Enrolment.objects.bulk_create(enrolments, batch_size=2_000)
    _load_series(courses[0], points[0], residents[:PER_SESSION], now)


def _load_series(course, point, residents, now) -> None:
    """A four-week series with one series enrolment per person."""
    from trainings.models import CourseRun, Enrolment, RunEnrolment, Session

    run = CourseRun.objects.create(course=course)
    starts = now + timedelta(days=3)
    sessions = Session.objects.bulk_create(
        Session(course=course, run=run, point=point, capacity=PER_SESSION,
                starts_at=starts + timedelta(weeks=week),
                ends_at=starts + timedelta(weeks=week, hours=2)) for week in range(4))
    run_enrolments = RunEnrolment.objects.bulk_create(
        RunEnrolment(run=run, resident=resident, status="enrolled") for resident in residents)
    Enrolment.objects.bulk_create(
        Enrolment(session=session, resident=e.resident, run_enrolment=e, status="enrolled")
        for session in sessions for e in run_enrolments)


# The runner's test client says "testserver", which ALLOWED_HOSTS refuses.
HOST = "localhost"


def page(bench, label: str, url: str) -> None:
    bench.page(label, url, HTTP_HOST=HOST)


def measure(bench) -> None:
    from django.urls import reverse

    from digibank.models import Resident, User
    from trainings.models import Session, SessionStatus

    bench.login(User.objects.get(username="coach"))
    session = (Session.objects.filter(status=SessionStatus.PLANNED,
                                      starts_at__gt=timezone.now() + timedelta(days=1),
                                      course__title__startswith="Bench")
               .order_by("starts_at").first())
    page(bench, "trainings: session page (20 people)",
               reverse("trainings:session-detail", args=[session.pk]))
    page(bench, "trainings: staff session list", reverse("trainings:sessions"))
    page(bench, "trainings: attendance sheet",
               reverse("trainings:attendance-sheet", args=[session.pk]))
    from trainings.models import CourseRun

    run = CourseRun.objects.filter(course__title__startswith="Bench").first()
    page(bench, "trainings: series page (20 people, 4 sessions)",
         reverse("trainings:run-detail", args=[run.pk]))
    bench.login(User.objects.get(username="coordinator"))
    page(bench, "trainings: figures", reverse("trainings:figures"))
    bench.login(User.objects.get(username="host"))
    fresh = iter(Resident.objects.bulk_create(
        Resident(first_name="Nieuw", last_name=f"Bench{i}") for i in range(bench.repeat + 1)))
    target = Session.objects.filter(status=SessionStatus.PLANNED).order_by("-starts_at").first()
    url = reverse("counter:quick-enrol")
    bench.action("trainings: enrolment action (POST)", lambda: bench.client.post(
        f"{url}?inwoner={next(fresh).pk}", {"action": "enrol", "session": target.pk},
        HTTP_HOST=HOST))
    page(bench, "trainings: quick enrolment page",
               f"{url}?inwoner={Resident.objects.first().pk}")
    bench.client.logout()
    page(bench, "trainings: public list", reverse("trainings:public-list"))
    page(bench, "trainings: public session page",
               reverse("trainings:public-detail", args=[session.pk]))
    page(bench, "trainings: iCal feed", reverse("trainings:ical"))
