"""Dashboard benchmark: 400,000 more visits (at scale 1) over the last five
years, a third of them by a resident and a sixth with a visitor key, on top
of the other apps' data. Measures the dashboard for a year and for a month,
city-wide and for one point, one CSV export, and the demand page with its
suggestions."""

import random
from datetime import timedelta

from django.utils import timezone

VISITS = 400_000
BATCH = 10_000


def load(scale: float) -> None:
    from digibank.models import Resident, TargetGroup
    from points.models import Channel, Point, QuestionTopic, Visit, VisitOutcome, VisitStatus

    rng = random.Random(9)
    residents = list(Resident.objects.values_list("pk", flat=True)) or [None]
    groups = list(TargetGroup.objects.all())
    Through = Resident.target_groups.through
    Through.objects.bulk_create([
        Through(resident_id=pk, targetgroup_id=rng.choice(groups).pk)
        for pk in residents if pk and groups], ignore_conflicts=True, batch_size=BATCH)
    points = list(Point.objects.values_list("pk", flat=True))
    topics = list(QuestionTopic.objects.values_list("pk", flat=True))
    channels = list(Channel.objects.values_list("pk", flat=True))
    outcomes = [VisitOutcome.SOLVED] * 6 + list(VisitOutcome.values)
    now = timezone.now()
    VisitTopics = Visit.topics.through
    total = int(VISITS * scale)
    for start in range(0, total, BATCH):
        visits = []
        for _n in range(start, min(total, start + BATCH)):
            arrived = now - timedelta(days=rng.randint(1, 5 * 365), minutes=rng.randint(0, 600))
            who = rng.random()
            visits.append(Visit(
                point_id=rng.choice(points), arrived_at=arrived, status=VisitStatus.DONE,
                served_at=arrived + timedelta(minutes=rng.randint(0, 30)),
                finished_at=arrived + timedelta(minutes=rng.randint(31, 90)),
                outcome=rng.choice(outcomes), channel_id=rng.choice(channels),
                resident_id=rng.choice(residents) if who < 0.33 else None,
                visitor_key=f"{rng.randint(0, 20_000):064x}" if 0.33 <= who < 0.5 else ""))
        visits = Visit.objects.bulk_create(visits, batch_size=BATCH)
        VisitTopics.objects.bulk_create([
            VisitTopics(visit_id=v.pk, questiontopic_id=rng.choice(topics)) for v in visits
        ], batch_size=BATCH)


def measure(bench) -> None:
    from digibank.models import User
    from points.models import Point

    host = {"HTTP_HOST": "localhost"}
    today = timezone.localdate()
    year = f"start={today - timedelta(days=364):%Y-%m-%d}&end={today:%Y-%m-%d}"
    month = f"start={today - timedelta(days=30):%Y-%m-%d}&end={today:%Y-%m-%d}"
    point = Point.objects.order_by("name").values_list("pk", flat=True).first()
    bench.login(User.objects.get(username="coordinator"))
    bench.page("digibank: dashboard, city, last year", f"/dashboard/?{year}", **host)
    bench.page("digibank: dashboard, city, last month", f"/dashboard/?{month}", **host)
    bench.page("digibank: dashboard, one point, last year",
               f"/dashboard/?{year}&point={point}", **host)
    bench.page("digibank: dashboard CSV export (reach)",
               f"/dashboard/export/bereik.csv?{year}", **host)
    bench.page("digibank: demand page, last year", "/dashboard/vraag/", **host)
    bench.login(User.objects.get(username="host"))
    bench.page("digibank: dashboard, host's points, last year", f"/dashboard/?{year}", **host)
