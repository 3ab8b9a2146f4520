"""Demo data of points: 18 points across Mechelen and its deelgemeenten
(3 of them mobile), their hours, closures and city-wide holidays,
deployments (including a school-registration week in March), question
topics, channels, services and a few hundred visits over recent weeks.

Idempotent: natural keys everywhere; visits are only created once."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from digibank.models import District, Resident, User
from outreach.models import Partner
from points.calendar import PlanError, check_deployment
from points.models import (
    BRUSSELS,
    Channel,
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    PointKind,
    QuestionTopic,
    Service,
    Visit,
    VisitEvent,
    VisitOutcome,
    VisitStatus,
)

SERVICES = [
    ("Vragen aan de balie", "balie"),
    ("Hulp met itsme en eID", "itsme-eid"),
    ("Opleidingen", "opleidingen"),
    ("Laptop of tablet lenen", "toestel-lenen"),
    ("Toestel binnenbrengen voor herstelling", "herstelling"),
    ("Computer en printer gebruiken", "computer-printer"),
]

TOPICS = [
    ("itsme en eID", "itsme-eid", "Identiteit", "itsme / eID"),
    ("Bankapp", "bankapp", "Geldzaken", "bankapps"),
    ("Tax-on-web en overheidsformulieren", "tax-on-web", "Overheid", "Tax-on-web / MyMinfin"),
    ("Schoolinschrijving", "schoolinschrijving", "Onderwijs", "aanmeldsysteem scholen"),
    ("Jobbonus en VDAB", "jobbonus-vdab", "Werk", "VDAB"),
    ("Bus- en treintickets", "tickets", "Mobiliteit", "De Lijn / NMBS"),
    ("Goedkoop internet en sociaal tarief", "sociaal-tarief", "Geldzaken",
     "sociaal tarief internet"),
    ("E-mail", "e-mail", "Basis", ""),
    ("Smartphone: de basis", "smartphone", "Basis", ""),
    ("Apps van het ziekenfonds", "ziekenfonds", "Gezondheid", "ziekenfonds / MyHealth"),
    ("Veilig online", "veilig-online", "Basis", ""),
]

CHANNELS = [
    ("Affiche", "affiche"), ("Flyer", "flyer"), ("Stadsmagazine", "stadsmagazine"),
    ("Digitale infozuil", "infozuil"), ("Scherm in openbaar gebouw", "scherm"),
    ("Partnerorganisatie", "partner"), ("Roadshow", "roadshow"),
    ("Mond-tot-mond", "mond-tot-mond"), ("Website", "website"),
    ("QR-code op affiche", "qr-code"),
]

# Weekly hours: weekday -> [(opens, closes)]. Split days and a Saturday morning.
FULL_WEEK = {d: [("09:00", "12:00"), ("13:00", "16:30")] for d in range(5)}
AFTERNOONS_SAT = {1: [("13:30", "16:30")], 3: [("13:30", "16:30")], 5: [("10:00", "12:30")]}
TWO_MORNINGS = {0: [("09:00", "12:00")], 3: [("09:00", "12:00")]}
MON_WED = {0: [("09:00", "12:00")], 2: [("13:00", "16:00")]}
LIBRARY = {1: [("10:00", "12:00"), ("14:00", "18:00")], 2: [("14:00", "18:00")],
           4: [("14:00", "18:00")], 5: [("10:00", "12:30")]}
WED_FRI = {2: [("09:30", "12:00")], 4: [("13:30", "16:00")]}
THURSDAY_EVENING = {1: [("09:00", "12:00")], 3: [("17:00", "19:30")]}

# name, slug, kind, street, postcode, district, partner, lat, lon, hours, features
POINTS = [
    ("Digibank Huis van de Mechelaar", "huis-van-de-mechelaar", PointKind.FIXED,
     "Grote Markt 21", "2800", "mechelen", None, "51.027950", "4.478960", FULL_WEEK, "wlts"),
    ("Digibank Bibliotheek Het Predikheren", "bibliotheek-predikheren", PointKind.FIXED,
     "Goswin de Stassartstraat 7", "2800", "mechelen", "bibliotheek", "51.029420", "4.475010",
     LIBRARY, "wltps"),
    ("Digibank Sociaal Huis", "sociaal-huis", PointKind.FIXED, "Lange Schipstraat 27", "2800",
     "mechelen", "sociaal-huis", "51.030660", "4.482350", FULL_WEEK, "wtp"),
    ("Digibank Dienstencentrum Hanswijk", "dienstencentrum-hanswijk", PointKind.FIXED,
     "Hanswijkvaart 1", "2800", "mechelen", None, "51.020510", "4.484660", AFTERNOONS_SAT,
     "wlt"),
    ("Digibank Wijkcentrum Nekkerspoel", "wijkcentrum-nekkerspoel", PointKind.FIXED,
     "Nekkerspoelstraat 120", "2800", "nekkerspoel", None, "51.028060", "4.497010", MON_WED,
     "wt"),
    ("Digibank Wijkpunt Mechelen-Noord", "wijkpunt-mechelen-noord", PointKind.FIXED,
     "Geerdegemvaart 96", "2800", "mechelen-noord", None, "51.039080", "4.466340", WED_FRI,
     "w"),
    ("Digibank Wijkpunt Mechelen-Zuid", "wijkpunt-mechelen-zuid", PointKind.FIXED,
     "Leuvensesteenweg 138", "2800", "mechelen", None, "51.013380", "4.485470",
     TWO_MORNINGS, "wt"),
    ("Digibank Wijkpunt Ter Heide", "wijkpunt-ter-heide", PointKind.FIXED,
     "Tervuursesteenweg 300", "2800", "mechelen", None, "51.010820", "4.466590", MON_WED, ""),
    ("Digibank Werkwinkel", "werkwinkel", PointKind.FIXED, "Bautersemstraat 68", "2800",
     "mechelen", None, "51.018940", "4.473180", THURSDAY_EVENING, "wps"),
    ("Digibank Ontmoetingscentrum Battel", "oc-battel", PointKind.FIXED,
     "Battelsesteenweg 455", "2800", "battel", None, "51.041430", "4.444320", TWO_MORNINGS,
     "w"),
    ("Digibank Heffen", "heffen", PointKind.FIXED, "Heffen-Dorp 21", "2801", "heffen", None,
     "51.052460", "4.421790", WED_FRI, ""),
    ("Digibank Hombeek", "hombeek", PointKind.FIXED, "Hombeekplein 10", "2811", "hombeek", None,
     "51.005030", "4.434470", {1: [("09:00", "12:00")], 5: [("09:30", "12:00")]}, "w"),
    ("Digibank Leest", "leest", PointKind.FIXED, "Leest-Dorp 12", "2811", "leest", None,
     "51.033780", "4.416440", {3: [("13:30", "16:00")]}, "w"),
    ("Digibank Muizen", "muizen", PointKind.FIXED, "Muizenstraat 3", "2812", "muizen", None,
     "51.008390", "4.512700", AFTERNOONS_SAT, "wlt"),
    ("Digibank Walem", "walem", PointKind.FIXED, "Walemstraat 60", "2800", "walem", None,
     "51.068900", "4.448940", {2: [("09:00", "12:00")]}, ""),
    ("Digibus", "digibus", PointKind.MOBILE, "", "2800", "mechelen", None, None, None, {}, "w"),
    ("Mobiele digibank Dorpen", "mobiel-dorpen", PointKind.MOBILE, "", "2800", "mechelen",
     None, None, None, {}, "w"),
    ("Digibank op Wielen", "digibank-op-wielen", PointKind.MOBILE, "", "2800", "mechelen",
     "thuiszorg-zorgzaam", None, None, {}, ""),
]

# Features: w wheelchair, l induction loop, t accessible toilet, p printer, s scanner.
SEASONAL_LIBRARY_SUMMER = (date(2027, 7, 1), date(2027, 8, 31))

HOLIDAYS = [
    (date(2026, 11, 1), date(2026, 11, 1), "Allerheiligen"),
    (date(2026, 11, 11), date(2026, 11, 11), "Wapenstilstand"),
    (date(2026, 12, 25), date(2026, 12, 26), "Kerstmis"),
    (date(2027, 1, 1), date(2027, 1, 2), "Nieuwjaar"),
    (date(2027, 3, 29), date(2027, 3, 29), "Paasmaandag"),
    (date(2027, 5, 1), date(2027, 5, 1), "Dag van de Arbeid"),
    (date(2027, 5, 6), date(2027, 5, 7), "Hemelvaart en brugdag"),
    (date(2027, 5, 17), date(2027, 5, 17), "Pinkstermaandag"),
    (date(2027, 7, 11), date(2027, 7, 11), "Feest van de Vlaamse Gemeenschap"),
    (date(2027, 7, 21), date(2027, 7, 21), "Nationale feestdag"),
]

POINT_CLOSURES = [
    ("bibliotheek-predikheren", date(2026, 12, 14), date(2026, 12, 16), "Inventaris"),
    ("walem", date(2026, 11, 30), date(2026, 12, 11), "Verbouwing van de zaal"),
    ("dienstencentrum-hanswijk", date(2027, 2, 15), date(2027, 2, 19), "Krokusvakantie"),
]

# Where the mobile points stop: place, street, postcode, municipality and
# the district (a wijk where there is one) the finder lists them under.
MOBILE_PLACES = {
    "digibus": [
        ("Markt Nekkerspoel", "Nekkerspoelstraat 2", "2800", "Mechelen", "nekkerspoel"),
        ("Vrijbroekpark", "Mechelsesteenweg 411", "2812", "Muizen", "muizen"),
        ("Sporthal Heffen", "Hoogstraat 10", "2801", "Heffen", "heffen"),
    ],
    "mobiel-dorpen": [
        ("Parochiezaal Leest", "Kerkstraat 4", "2811", "Leest", "leest"),
        ("Gemeenschapscentrum Walem", "Walemstraat 58", "2800", "Walem", "walem"),
        ("Dorpsplein Battel", "Battelsesteenweg 400", "2800", "Mechelen", "battel"),
    ],
    "digibank-op-wielen": [
        ("Woonzorgcentrum Hof van Egmont", "Hanswijkstraat 63", "2800", "Mechelen",
         "mechelen"),
        ("Serviceflat Den Olm", "Oude Liersebaan 12", "2800", "Mechelen", "mechelen-noord"),
    ],
}

SCHOOL_WEEK = (date(2027, 3, 1), ("Basisschool De Regenboog", "Pasbrug 2", "2800", "Mechelen",
                                  "mechelen"),
               "Schoolinschrijvingen: hulp bij het aanmelden")


def _t(text: str) -> time:
    return time.fromisoformat(text)


def _at(day: date, clock: str) -> datetime:
    return datetime.combine(day, _t(clock), tzinfo=BRUSSELS)


def _seed_reference() -> None:
    for order, (name, slug) in enumerate(SERVICES):
        Service.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for order, (name, slug, group, external) in enumerate(TOPICS):
        QuestionTopic.objects.update_or_create(slug=slug, defaults={
            "name": name, "group": group, "external_service": external, "order": order})
    for order, (name, slug) in enumerate(CHANNELS):
        Channel.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


def _seed_points() -> list[Point]:
    services = {service.slug: service for service in Service.objects.all()}
    points = []
    for (name, slug, kind, street, postcode, district, partner, lat, lon, hours,
         features) in POINTS:
        point, _created = Point.objects.update_or_create(slug=slug, defaults={
            "name": name, "kind": kind, "street": street, "postcode": postcode,
            "district": District.objects.get(slug=district),
            "hosting_partner": Partner.objects.filter(slug=partner).first() if partner else None,
            "latitude": Decimal(lat) if lat else None, "longitude": Decimal(lon) if lon else None,
            "phone": "015 29 " + f"{40 + len(points):02d} 00" if kind == PointKind.FIXED else "",
            "wheelchair_accessible": "w" in features, "induction_loop": "l" in features,
            "accessible_toilet": "t" in features, "has_printer": "p" in features,
            "has_scanner": "s" in features, "has_pc": kind == PointKind.FIXED,
            "has_eid_reader": True, "has_wifi": kind == PointKind.FIXED,
            "description": "" if kind == PointKind.FIXED else
            "Een busje met laptops en een digibankhost. Kijk hieronder waar we komen.",
        })
        offered = ["balie", "itsme-eid"]
        if kind == PointKind.FIXED:
            offered += ["computer-printer"]
        if slug in ("huis-van-de-mechelaar", "bibliotheek-predikheren", "sociaal-huis",
                    "dienstencentrum-hanswijk", "muizen"):
            offered += ["opleidingen", "toestel-lenen", "herstelling"]
        point.services.set([services[key] for key in offered])
        if not point.opening_periods.exists():
            OpeningPeriod.objects.bulk_create([
                OpeningPeriod(point=point, weekday=weekday, opens=_t(opens), closes=_t(closes))
                for weekday, periods in hours.items() for opens, closes in periods
            ])
            if slug == "bibliotheek-predikheren":
                start, end = SEASONAL_LIBRARY_SUMMER
                OpeningPeriod.objects.bulk_create([OpeningPeriod(
                    point=point, weekday=weekday, opens=_t("10:00"), closes=_t("13:00"),
                    valid_from=start, valid_until=end) for weekday in (0, 3)])
        points.append(point)
    return points


def _seed_closures() -> None:
    for starts_on, ends_on, reason in HOLIDAYS:
        Closure.objects.get_or_create(point=None, starts_on=starts_on,
                                      defaults={"ends_on": ends_on, "reason": reason})
    for slug, starts_on, ends_on, reason in POINT_CLOSURES:
        Closure.objects.get_or_create(point=Point.objects.get(slug=slug), starts_on=starts_on,
                                      defaults={"ends_on": ends_on, "reason": reason})


def _deploy(point: Point, place: tuple, starts_at: datetime, ends_at: datetime,
            theme: str = "", partner: Partner | None = None) -> None:
    """A deployment the calendar accepts (past ones too: the demo has
    history), so none falls on a closure or a holiday."""
    name, street, postcode, city, district = place
    if MobileDeployment.objects.overlapping(point, starts_at, ends_at).exists():
        return
    fresh = Point.objects.with_schedule(since=starts_at.date()).get(pk=point.pk)
    try:
        check_deployment(fresh, starts_at, ends_at, past_ok=True)
    except PlanError:
        return
    MobileDeployment.objects.create(
        point=point, place=name, street=street, postcode=postcode, city=city,
        district=District.objects.get(slug=district),
        starts_at=starts_at, ends_at=ends_at, theme=theme, partner=partner)


def _seed_deployments() -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    home_care = Partner.objects.filter(slug="thuiszorg-zorgzaam").first()
    for slug, places in MOBILE_PLACES.items():
        point = Point.objects.get(slug=slug)
        for offset in range(-7, 21):
            day = monday + timedelta(days=offset)
            if day.weekday() > 4 or (slug == "digibank-op-wielen" and day.weekday() % 2):
                continue
            place = places[offset % len(places)]
            start, end = ("09:30", "12:30") if slug != "mobiel-dorpen" else ("13:00", "16:00")
            _deploy(point, place, _at(day, start), _at(day, end),
                    partner=home_care if slug == "digibank-op-wielen" else None)
    first_day, school, theme = SCHOOL_WEEK
    digibus = Point.objects.get(slug="digibus")
    for offset in range(5):
        day = first_day + timedelta(days=offset)
        _deploy(digibus, school, _at(day, "08:30"), _at(day, "12:00"), theme=theme)
        _deploy(digibus, school, _at(day, "15:00"), _at(day, "18:00"), theme=theme)


OUTCOME_WEIGHTS = [
    (VisitOutcome.SOLVED, 55), (VisitOutcome.TRAINING_PROPOSED, 10),
    (VisitOutcome.REFERRED, 8), (VisitOutcome.DEVICE_LOAN, 7),
    (VisitOutcome.COME_BACK, 12), (VisitOutcome.NOT_SOLVED, 8),
]


@transaction.atomic
def _seed_visits(points: list[Point], days: int = 21) -> int:
    """Visits over the last ``days`` days at the open hours of fixed points,
    with their history; bulk-created once (skipped when visits exist)."""
    if Visit.objects.exists():
        return 0
    rng = random.Random(2026)
    host = User.objects.get(username="host")
    coach = User.objects.get(username="coach")
    topics = list(QuestionTopic.objects.all())
    channels = list(Channel.objects.all())
    residents = list(Resident.objects.active().select_related("district"))
    outcomes, weights = zip(*OUTCOME_WEIGHTS, strict=True)
    today = timezone.localdate()
    now = timezone.now()
    plans = _history_plans(rng, today - timedelta(days=days + 1), host, coach, topics, channels,
                           residents, outcomes, weights)  # (visit, topics, events)
    for point in Point.objects.filter(kind=PointKind.FIXED).with_schedule(
            since=today - timedelta(days=days)):
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            for start, end in point.intervals_on(day):
                minutes = int((end - start).total_seconds() // 60)
                for _n in range(rng.randint(1, max(2, minutes // 45))):
                    arrived = start + timedelta(minutes=rng.randint(0, minutes - 20))
                    plans.append(_plan_visit(rng, point, arrived, host, coach, topics, channels,
                                             residents, outcomes, weights))
    visits = Visit.objects.bulk_create([visit for visit, _topics, _events in plans])
    Through = Visit.topics.through
    Through.objects.bulk_create([
        Through(visit_id=visit.pk, questiontopic_id=topic.pk)
        for visit, (_v, chosen, _e) in zip(visits, plans, strict=True) for topic in chosen])
    events = []
    for visit, (_v, _t2, planned) in zip(visits, plans, strict=True):
        for event in planned:
            event.visit = visit
            events.append(event)
    VisitEvent.objects.bulk_create(events)
    first = points[0]
    for minutes_ago, step in ((25, "coach"), (12, None), (4, None)):
        arrived = now - timedelta(minutes=minutes_ago)
        visit = Visit.objects.create(point=first, arrived_at=arrived, channel=rng.choice(channels))
        visit.topics.set(rng.sample(topics, 1))
        VisitEvent.objects.create(visit=visit, at=arrived, actor=host, to_status="waiting")
        if step == "coach":
            Visit.objects.filter(pk=visit.pk).update(
                status=VisitStatus.WAITING_FOR_COACH, host=host, served_at=arrived,
                handed_over_at=arrived + timedelta(minutes=5))
            VisitEvent.objects.bulk_create([
                VisitEvent(visit=visit, at=arrived, actor=host, from_status="waiting",
                           to_status="with_host"),
                VisitEvent(visit=visit, at=arrived + timedelta(minutes=5), actor=host,
                           from_status="with_host", to_status="waiting_coach")])
    return len(visits) + 3


# Peaks that come back every year, for the dashboard and demand mapping:
# (ISO weeks, topic slug, point slug, extra visits per week, resident's district).
SEASONAL_PEAKS = [
    (range(10, 13), "schoolinschrijving", "oc-battel", 15, "battel"),
    (range(19, 26), "tax-on-web", "huis-van-de-mechelaar", 12, "mechelen"),
]
HISTORY_YEARS = 3
BACKGROUND_PER_WEEK = 3  # visits a week at each fixed point in the earlier years


def _history_plans(rng, until: date, host, coach, topics, channels, residents, outcomes,
                   weights) -> list:
    """The earlier visits, from 1 January three years back: a few a week at
    each fixed point, plus the school registrations in March and the tax
    returns in May-June that come back every year, so the dashboard compares
    periods and the demand page finds recurring peaks."""
    fixed = list(Point.objects.filter(kind=PointKind.FIXED, is_active=True).order_by("slug"))
    by_slug = {point.slug: point for point in fixed}
    by_topic = {topic.slug: topic for topic in topics}
    day = date(until.year - HISTORY_YEARS, 1, 1)
    day -= timedelta(days=day.weekday())  # a Monday
    plans = []
    while day <= until - timedelta(days=4):
        week = day.isocalendar().week
        visits = [(point, None, None) for point in fixed] * BACKGROUND_PER_WEEK
        for weeks, topic, point, extra, district in SEASONAL_PEAKS:
            if week in weeks and point in by_slug:
                local = [r for r in residents if r.district and r.district.slug == district]
                visits += [(by_slug[point], by_topic[topic], local)] * extra
        for point, topic, local in visits:
            arrived = datetime.combine(day + timedelta(days=rng.randint(0, 4)),
                                       time(rng.randint(9, 15), rng.randint(0, 59)),
                                       tzinfo=BRUSSELS)
            visit, chosen, events = _plan_visit(rng, point, arrived, host, coach, topics,
                                                channels, residents, outcomes, weights)
            if topic is not None:
                chosen = [topic]
                visit.resident = rng.choice(local) if local and rng.random() < 0.5 else None
            plans.append((visit, chosen, events))
        day += timedelta(weeks=1)
    return plans


def _plan_visit(rng, point, arrived, host, coach, topics, channels, residents, outcomes,
                weights):
    served = arrived + timedelta(minutes=rng.choice([0, 1, 2, 3, 5, 8, 12]))
    visit = Visit(point=point, arrived_at=arrived, host=host,
                  channel=rng.choice(channels) if rng.random() < 0.6 else None,
                  resident=rng.choice(residents) if residents and rng.random() < 0.2 else None)
    events = [VisitEvent(at=arrived, actor=host, to_status=VisitStatus.WAITING)]
    if rng.random() < 0.04:
        visit.host = None
        visit.status, visit.finished_at = VisitStatus.LEFT, served
        events.append(VisitEvent(at=served, actor=host, from_status=VisitStatus.WAITING,
                                 to_status=VisitStatus.LEFT))
        return visit, rng.sample(topics, 1), events
    visit.served_at = served
    events.append(VisitEvent(at=served, actor=host, from_status=VisitStatus.WAITING,
                             to_status=VisitStatus.WITH_HOST))
    last, actor = VisitStatus.WITH_HOST, host
    finished = served + timedelta(minutes=rng.randint(3, 20))
    if rng.random() < 0.2:
        visit.handed_over_at = finished
        visit.coach = coach
        visit.coach_started_at = finished + timedelta(minutes=rng.randint(2, 15))
        events += [
            VisitEvent(at=finished, actor=host, from_status=last,
                       to_status=VisitStatus.WAITING_FOR_COACH),
            VisitEvent(at=visit.coach_started_at, actor=coach,
                       from_status=VisitStatus.WAITING_FOR_COACH, to_status=VisitStatus.WITH_COACH),
        ]
        last, actor = VisitStatus.WITH_COACH, coach
        finished = visit.coach_started_at + timedelta(minutes=rng.randint(10, 40))
    visit.status, visit.finished_at = VisitStatus.DONE, finished
    visit.outcome = rng.choices(outcomes, weights)[0]
    events.append(VisitEvent(at=finished, actor=actor, from_status=last,
                             to_status=VisitStatus.DONE))
    return visit, rng.sample(topics, rng.choice([1, 1, 1, 2])), events


def seed(stdout=None) -> None:
    _seed_reference()
    points = _seed_points()
    _seed_closures()
    _seed_deployments()
    first, second = Point.objects.filter(
        slug__in=["huis-van-de-mechelaar", "bibliotheek-predikheren"]).order_by("name")
    for username in ("host", "coach"):
        user = User.objects.get(username=username)
        first.staff.add(user)
        second.staff.add(user)
    created = _seed_visits(sorted(points, key=lambda p: p.name))
    if stdout:
        stdout.write(f"  points: {Point.objects.count()} points, {created} new visits")
