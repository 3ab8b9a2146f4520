"""Points benchmark: 100,000 visits and 5,000 residents (at scale 1) spread
over the demo points and the past year, with a busy day today at the
demo host's point (the peak of the March rush: 300 visits today, most of
them finished). Measures the counter, the coach queue, the resident search
and the public pages, after the bare view (bench/urls.py) they are read
against."""

import random
import re
from datetime import timedelta

from django.utils import timezone

VISITS = 100_000
RESIDENTS = 5_000
BATCH = 5_000
PEAK_DAY_VISITS = 300

FIRST = ["Maria", "Ahmed", "Josée", "Olena", "Luc", "Fatima", "Jan", "An", "Mohamed", "Sofie",
         "Rita", "Karim", "Els", "Youssef", "Marc", "Nadia", "Pieter", "Lotte", "Omar", "Greet"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "El Amrani", "Bouzid", "Kovalenko", "Van den Bossche", "Dubois",
        "Lambrechts", "Hermans", "Aerts", "Smets", "Vermeulen"]


def load(scale: float) -> None:
    from digibank.models import District, Resident, User
    from points.models import Channel, Point, QuestionTopic, Visit, VisitOutcome, VisitStatus

    rng = random.Random(3)
    districts = list(District.objects.all())
    Resident.objects.bulk_create([
        Resident(first_name=rng.choice(FIRST), last_name=f"{rng.choice(LAST)} {n}",
                 phone=f"04{rng.randint(10_000_000, 99_999_999)}",
                 district=rng.choice(districts))
        for n in range(int(RESIDENTS * scale))
    ], batch_size=BATCH)
    resident_ids = list(Resident.objects.values_list("pk", flat=True))
    points = list(Point.objects.all())
    topics = list(QuestionTopic.objects.values_list("pk", flat=True))
    channels = list(Channel.objects.values_list("pk", flat=True))
    host = User.objects.get(username="host")
    coach = User.objects.get(username="coach")
    now = timezone.now()
    outcomes = [VisitOutcome.SOLVED] * 6 + list(VisitOutcome.values)
    Through = Visit.topics.through
    total = int(VISITS * scale)
    for start in range(0, total, BATCH):
        visits = []
        for _n in range(start, min(total, start + BATCH)):
            arrived = now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            visits.append(Visit(
                point=rng.choice(points), arrived_at=arrived, served_at=arrived, host=host,
                finished_at=arrived + timedelta(minutes=15), status=VisitStatus.DONE,
                outcome=rng.choice(outcomes), channel_id=rng.choice(channels),
                resident_id=rng.choice(resident_ids) if rng.random() < 0.3 else None))
        visits = Visit.objects.bulk_create(visits, batch_size=BATCH)
        Through.objects.bulk_create([Through(visit_id=v.pk, questiontopic_id=rng.choice(topics))
                                     for v in visits], batch_size=BATCH)
    # The busiest day at the host's point: 300 visits today, the last 40 in
    # every state, the earlier ones finished.
    point = Point.objects.for_staff(host).order_by("name").first()
    today = []
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since_midnight = (now - midnight).total_seconds()
    for n in range(PEAK_DAY_VISITS):
        arrived = now - timedelta(seconds=since_midnight * n / PEAK_DAY_VISITS)
        status = ([VisitStatus.WAITING, VisitStatus.WITH_HOST, VisitStatus.WAITING_FOR_COACH,
                   VisitStatus.DONE][n % 4] if n < 40 else VisitStatus.DONE)
        today.append(Visit(
            point=point, arrived_at=arrived, status=status,
            host=host if status != VisitStatus.WAITING else None,
            served_at=arrived if status != VisitStatus.WAITING else None,
            handed_over_at=arrived if status == VisitStatus.WAITING_FOR_COACH else None,
            outcome=VisitOutcome.SOLVED if status == VisitStatus.DONE else "",
            finished_at=arrived if status == VisitStatus.DONE else None,
            resident_id=rng.choice(resident_ids) if n % 3 == 0 else None))
    today = Visit.objects.bulk_create(today)
    Through.objects.bulk_create([Through(visit_id=v.pk, questiontopic_id=topics[0])
                                 for v in today])
    assert coach.points.exists()


def measure(bench) -> None:
    from digibank.models import User
    from points.models import Point

    # The test client's default host "testserver" is not in ALLOWED_HOSTS.
    host = {"HTTP_HOST": "localhost"}
    htmx = {"HTTP_HX_REQUEST": "true", **host}
    bench.login(User.objects.get(username="host"))
    bench.page("points: bare view (the yardstick)", "/bench/bare/", **host)
    bench.page(f"points: counter page (host), {PEAK_DAY_VISITS} visits today", "/balie/",
               **host)
    bench.page(f"points: counter queue poll (htmx), {PEAK_DAY_VISITS} visits today", "/balie/",
               **htmx)
    # The version the page shows in its poll's address (the test client keeps
    # no template context outside the test runner).
    page = bench.client.get("/balie/", **host).content.decode()
    version = re.search(r"versie=([^&\"]+)", page).group(1)
    bench.page("points: counter queue poll (htmx), nothing changed",
               f"/balie/?versie={version}", **htmx)
    bench.page("points: resident search 'jan' (htmx)", "/balie/inwoners/?q=jan", **htmx)
    bench.page("points: resident search by phone (htmx)", "/balie/inwoners/?q=0475", **htmx)
    bench.login(User.objects.get(username="coach"))
    bench.page("points: coach queue", "/balie/coach/", **host)
    bench.client.logout()
    bench.page("points: public finder /", "/", **host)
    bench.page("points: public finder, filtered", "/?district=mechelen&service=balie", **host)
    slug = Point.objects.order_by("name").values_list("slug", flat=True).first()
    bench.page("points: public point page", f"/punten/{slug}/", **host)
    bench.page("points: info screen", "/scherm/", **host)
    bench.page("points: open data JSON", "/open-data/punten.json", **host)
