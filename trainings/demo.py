"""Demo trainings: a dozen courses, sessions over the coming weeks at the
demo points and the library, some full with a waiting list, a four-week
series, past sessions with attendance, interest lists and guidance for the
demo coach.

Idempotent: courses are keyed by title; a course's sessions, and the coach's
trajectories, are created only when it has none yet.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from digibank.models import Resident, User
from digibank.services import create_resident
from outreach.models import Partner, PartnerKind
from points.calendar import is_closed_on, stops_between
from points.models import BRUSSELS, Point, QuestionTopic
from trainings.models import (
    Course,
    CourseRun,
    Enrolment,
    EnrolmentChannel,
    EnrolmentStatus,
    Guidance,
    GuidanceMeeting,
    InterestEntry,
    Session,
    SessionStatus,
)
from trainings.services import (
    TrainingError,
    enrol,
    enrol_in_run,
    open_guidance,
    plan_session,
)

# title, summary, topic keywords (matched against the counter's topics),
# given by the library, places, minutes
COURSES = [
    ("Werken met itsme", "Je installeert itsme op je smartphone. Je leert inloggen bij de "
     "overheid en je bank. We helpen je stap voor stap.", ["itsme", "eid"], False, 6, 120),
    ("Je smartphone veilig gebruiken", "Je leert een goede code kiezen, updates doen en "
     "valse berichten herkennen.", ["veilig", "smartphone"], False, 8, 120),
    ("Online een bus- of treinticket kopen", "Je koopt zelf een ticket voor De Lijn of de "
     "NMBS met je smartphone. Oefenen mag.", ["ticket", "bus", "trein"], False, 8, 90),
    ("Starten met de computer", "Muis, toetsenbord en vensters: je leert de basis van de "
     "computer in kleine stappen.", ["computer", "basis"], True, 8, 120),
    ("E-mail voor beginners", "Je maakt een e-mailadres. Je leert mails lezen, sturen en "
     "een bijlage openen.", ["e-mail", "mail"], True, 8, 120),
    ("Online bankieren", "Je leert veilig je bankapp gebruiken: je rekening bekijken en "
     "een overschrijving doen.", ["bank"], False, 6, 120),
    ("Tax-on-web: je belastingaangifte", "Samen kijken we je voorstel van vereenvoudigde "
     "aangifte na, of vullen we je aangifte in.", ["tax", "belasting"], False, 6, 90),
    ("Je kind inschrijven voor school", "Je leert hoe de online aanmelding voor scholen "
     "in Mechelen werkt.", ["school"], False, 8, 90),
    ("Mijn Gezondheid en je ziekenfonds online", "Je bekijkt je medische gegevens en "
     "vraagt documenten aan bij je ziekenfonds.", ["gezondheid", "ziekenfonds"], False, 8, 90),
    ("Videobellen met familie", "Je leert videobellen met WhatsApp, zodat je je familie "
     "kan zien.", ["smartphone"], True, 8, 90),
    ("Goedkoper internet en het sociaal tarief", "Je ontdekt welk abonnement bij je past "
     "en of je recht hebt op het sociaal tarief.", ["internet", "tarief"], False, 10, 90),
    ("Solliciteren en werk zoeken online", "Je maakt een profiel op de site van de VDAB en "
     "zoekt vacatures.", ["vdab", "werk", "job"], False, 8, 120),
]

EXTRA_RESIDENTS = [
    ("Rachid", "Amrani", "0471203040"), ("Els", "Wouters", "015334455"),
    ("Irina", "Popescu", "0493112211"), ("Jan", "Mertens", "0474556677"),
    ("Nadia", "Benali", "0485221100"), ("Mohammed", "Haddou", "0489001122"),
    ("Greta", "Verlinden", "015441122"), ("Yusuf", "Demir", "0497665544"),
]

GUIDANCES = [
    ("Maria", "Peeters", "Zelf mijn bankzaken online regelen",
     ["Bankapp geïnstalleerd en ingelogd met itsme.", "Eerste overschrijving samen gedaan."]),
    ("Ahmed", "El Amrani", "Een cv maken en online solliciteren",
     ["Profiel bij de VDAB aangemaakt."]),
    ("Josée", "Van den Bossche", "Met de tablet videobellen met mijn kleinkinderen", []),
]


def _topics_for(keywords: list[str]):
    query = Q()
    for keyword in keywords:
        query |= Q(name__icontains=keyword) | Q(slug__icontains=keyword)
    return QuestionTopic.objects.filter(query)


def _slot(place, day_offset: int, hour: int, minutes: int) -> tuple[datetime, datetime] | None:
    """The first moment from ``day_offset`` days from today on (within two
    weeks) when a session of ``minutes`` fits the calendar: inside a stop
    of a point (from ``hour`` when the stop allows it), or on a weekday
    that is no city-wide holiday at a partner's venue. None when nothing fits."""
    first = timezone.localdate() + timedelta(days=day_offset)
    length = timedelta(minutes=minutes)
    if isinstance(place, Point):
        point = Point.objects.with_schedule(since=first).get(pk=place.pk)
        for stop in stops_between(point, first, first + timedelta(days=14)):
            start = max(stop.start, datetime.combine(stop.start.date(), time(hour), BRUSSELS))
            if start + length > stop.end:
                start = stop.start
            if start + length <= stop.end:
                return start, start + length
        return None
    for offset in range(15):
        day = first + timedelta(days=offset)
        if day.weekday() < 5 and not is_closed_on(None, day):
            start = datetime.combine(day, time(hour), BRUSSELS)
            return start, start + length
    return None


def _residents() -> list[Resident]:
    for first, last, phone in EXTRA_RESIDENTS:
        if not Resident.objects.filter(first_name=first, last_name=last).exists():
            create_resident(actor=None, first_name=first, last_name=last, phone=phone)
    return list(Resident.objects.active().order_by("pk")[:14])


def _plan(course: Course, index: int, places: list, coach: User | None) -> list[Session]:
    sessions = []
    # Two upcoming dates per course and one in the past, spread over the
    # weeks, each where and when the calendar says the place is open.
    for offset in (2 + index, 16 + index, -10 - index):
        for shift in range(len(places)):
            place = places[(index + offset + shift) % len(places)]
            slot = _slot(place, offset, 10 if index % 2 else 14, course.duration_minutes)
            if slot is not None and (offset < 0 or slot[0] > timezone.now()):
                break
        else:
            continue
        starts, ends = slot
        sessions.append(Session.objects.create(
            course=course, starts_at=starts, ends_at=ends,
            point=place if isinstance(place, Point) else None,
            venue=place if isinstance(place, Partner) else None,
            accessibility="Rolstoeltoegankelijk, ringleiding" if index % 3 == 0 else "",
            trainer=coach, capacity=course.default_capacity,
            status=SessionStatus.HELD if offset < 0 else SessionStatus.PLANNED,
        ))
    return sessions


def _fill(sessions: list[Session], residents: list[Resident], index: int, host) -> None:
    if len(sessions) != 3:
        return
    upcoming, later, past = sessions
    # Every third course: the first date is full, with two people waiting.
    count = upcoming.capacity + 2 if index % 3 == 0 else 2 + index % 3
    for resident in residents[:count]:
        enrol(actor=host, session=upcoming, resident=resident,
              channel=EnrolmentChannel.COUNTER, point=upcoming.point)
    for resident in residents[count:count + 2]:
        enrol(actor=host, session=later, resident=resident, point=later.point)
    for n, resident in enumerate(residents[: min(past.capacity, 5)]):
        Enrolment.objects.create(
            session=past, resident=resident, enrolled_by=host, created_at=past.starts_at,
            status=EnrolmentStatus.NO_SHOW if n == 3 else EnrolmentStatus.ATTENDED,
        )


def _plan_series(points: list[Point], coach: User, host, residents: list[Resident]) -> int:
    """A four-week series with a few people enrolled once for all dates: the
    first weekday from five days on whose four dates the calendar accepts
    (no holiday among them)."""
    course = Course.objects.get(title="Je smartphone veilig gebruiken")
    point = next((p for p in points if p.slug == "huis-van-de-mechelaar"), points[0])
    for offset in range(5, 60):
        starts = datetime.combine(timezone.localdate() + timedelta(days=offset), time(9, 30),
                                  BRUSSELS)
        try:
            sessions = plan_session(
                actor=coach, weeks=4, course=course, point=point, trainer=coach,
                starts_at=starts, ends_at=starts + timedelta(hours=2),
                capacity=course.default_capacity)
        except TrainingError:
            continue
        break
    else:
        return 0
    for resident in residents[-4:]:
        enrol_in_run(actor=host, run=sessions[0].run, resident=resident, point=point)
    return len(sessions)


def seed(stdout=None) -> None:
    # The courses "by_library" are the library's (not whichever training
    # partner comes first by name).
    partners = Partner.objects.filter(is_training_partner=True).order_by("name")
    library = partners.filter(kind=PartnerKind.LIBRARY).first() or partners.first()
    points = list(Point.objects.filter(is_active=True).order_by("name"))
    coach = User.objects.filter(username="coach").first()
    host = User.objects.filter(username="host").first()
    residents = _residents()
    places: list = points + ([library] if library else [])
    planned = 0
    for index, (title, summary, keywords, by_library, places_count, minutes) in enumerate(
        COURSES
    ):
        course, _created = Course.objects.update_or_create(title=title, defaults={
            "summary": summary, "default_capacity": places_count, "duration_minutes": minutes,
            "provider": library if by_library else None,
        })
        course.topics.set(_topics_for(keywords))
        if places and not course.sessions.exists():
            sessions = _plan(course, index, places, coach)
            _fill(sessions, residents[index % 4:] + residents[: index % 4], index, host)
            planned += len(sessions)
    if points and coach is not None and not CourseRun.objects.exists():
        planned += _plan_series(points, coach, host, residents)
    if residents and not InterestEntry.objects.exists():
        for resident, title in zip(residents[-3:], ("Online bankieren", "Tax-on-web: je "
                                                    "belastingaangifte", "Online bankieren"),
                                   strict=False):
            InterestEntry.objects.create(resident=resident, registered_by=host,
                                         course=Course.objects.get(title=title),
                                         point=points[0] if points else None)
    if coach is not None and not Guidance.objects.filter(coach=coach).exists():
        for first, last, goal, notes in GUIDANCES:
            resident = Resident.objects.filter(first_name=first, last_name=last).first()
            if resident is None:
                continue
            guidance = open_guidance(actor=coach, resident=resident, coach=coach, goal=goal)
            for days_ago, note in enumerate(reversed(notes), start=1):
                GuidanceMeeting.objects.create(
                    guidance=guidance, coach=coach, note=note,
                    held_on=timezone.localdate() - timedelta(days=7 * days_ago))
    if stdout:
        stdout.write(f"  trainings: {Course.objects.count()} courses, {planned} new sessions")
