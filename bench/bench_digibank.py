"""Dashboard benchmark at the scale of a large city: five years of visits,
2,000,000 at scale 1 together with the other apps' visits (this module
loads 1,880,000; points and outreach add 120,000), with 40,000 residents of
whom a third come back, topics on every visit, coaches on a fifth.

Loading uses COPY on PostgreSQL (bulk_create elsewhere). The whole roll-up
is rebuilt once all apps have loaded and checked against the visits table
(``bench/run.py``); then the dashboard is measured city-wide for a year and a
month, for one point and for the host's points, with CSV exports, the
funder report (page and PDF), the workbook of all tables, the demand page
(recurring peaks and suggestions included), the reach report, and the nightly job (one day
rebuilt; a run with nothing to do).
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

VISITS = 1_880_000
RESIDENTS = 40_000
BATCH = 20_000

_COLUMNS = ("id", "point_id", "resident_id", "host_id", "coach_id", "channel_id", "status",
            "outcome", "note", "visitor_key", "arrived_at", "served_at", "handed_over_at",
            "coach_started_at", "finished_at", "updated_at")


def _residents(rng: random.Random, scale: float) -> list[int]:
    from digibank.models import District, Resident, TargetGroup

    districts = list(District.objects.values_list("pk", flat=True))
    start = Resident.objects.count()
    Resident.objects.bulk_create([
        Resident(first_name="Bench", last_name=f"Inwoner {start + n}", phone=f"049{n:07d}",
                 district_id=rng.choice(districts) if rng.random() < 0.9 else None)
        for n in range(int(RESIDENTS * scale))
    ], batch_size=BATCH)
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    residents = list(Resident.objects.values_list("pk", flat=True))
    Through = Resident.target_groups.through
    Through.objects.bulk_create([
        Through(resident_id=pk, targetgroup_id=group)
        for pk in residents for group in rng.sample(groups, k=rng.choice((0, 1, 1, 2)))
    ], ignore_conflicts=True, batch_size=BATCH)
    return residents


def _visit_rows(rng, total, first_id, points, residents, channels, hosts, coaches):
    """Visits as tuples in ``_COLUMNS`` order, spread over five years."""
    from points.models import VisitOutcome, VisitStatus

    now = timezone.now()
    outcomes = [VisitOutcome.SOLVED] * 6 + list(VisitOutcome.values)
    regulars = residents[: len(residents) // 3]
    for n in range(total):
        arrived = now - timedelta(days=rng.randint(1, 5 * 365), minutes=rng.randint(0, 600))
        served = arrived + timedelta(minutes=rng.randint(0, 30))
        who, fate = rng.random(), rng.random()
        resident = None
        if who < 0.33:
            resident = rng.choice(regulars) if rng.random() < 0.6 else rng.choice(residents)
        key = f"{rng.randint(0, 30_000):064x}" if 0.33 <= who < 0.5 else ""
        coach = handed = coach_started = None
        if fate < 0.05:  # left without help
            status, outcome, served, finished, host = VisitStatus.LEFT, "", None, \
                arrived + timedelta(minutes=rng.randint(5, 40)), None
        else:
            status, outcome, host = VisitStatus.DONE, rng.choice(outcomes), rng.choice(hosts)
            finished = served + timedelta(minutes=rng.randint(5, 60))
            if fate < 0.25:
                coach, handed = rng.choice(coaches), served + timedelta(minutes=5)
                coach_started = handed + timedelta(minutes=rng.randint(0, 45))
                finished = coach_started + timedelta(minutes=rng.randint(10, 60))
        yield (first_id + n, rng.choice(points), resident, host, coach, rng.choice(channels),
               status, outcome, "", key, arrived, served, handed, coach_started, finished,
               finished)


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY on PostgreSQL, bulk INSERTs elsewhere (in one transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
                batch = []
        if batch:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)


def _reset_sequence(model) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT MAX(id) FROM {table}))")


def load(scale: float) -> None:
    from django.db.models import Max

    from digibank.models import User
    from points.models import Channel, Point, QuestionTopic, Visit

    rng = random.Random(9)
    residents = _residents(rng, scale)
    points = list(Point.objects.values_list("pk", flat=True))
    topics = list(QuestionTopic.objects.values_list("pk", flat=True))
    channels = list(Channel.objects.values_list("pk", flat=True))
    hosts = list(User.objects.filter(groups__name="host").values_list("pk", flat=True))
    coaches = list(User.objects.filter(groups__name="coach").values_list("pk", flat=True))
    total = int(VISITS * scale)
    first_id = (Visit.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    _copy(Visit._meta.db_table, _COLUMNS,
          _visit_rows(rng, total, first_id, points, residents, channels, hosts, coaches))
    _reset_sequence(Visit)
    Links = Visit.topics.through
    # One topic per visit, a second one on every fourth.
    _copy(Links._meta.db_table, ("visit_id", "questiontopic_id"), (
        (visit_id, topic)
        for visit_id in range(first_id, first_id + total)
        for topic in rng.sample(topics, k=2 if visit_id % 4 == 0 else 1)))
    _reset_sequence(Links)


def measure(bench) -> None:
    from dashboard.rollup import build_days, build_rollup
    from digibank.models import User
    from points.models import Point, Visit

    # bench/run.py has rebuilt the whole roll-up after every app loaded, and
    # checked it holds every visit before today.
    print(f"digibank: {Visit.objects.count():,} visits", flush=True)
    host = {"HTTP_HOST": "localhost"}
    today = timezone.localdate()
    year = f"start={today - timedelta(days=364):%Y-%m-%d}&end={today:%Y-%m-%d}"
    month = f"start={today - timedelta(days=30):%Y-%m-%d}&end={today:%Y-%m-%d}"
    five_years = f"start={today - timedelta(days=5 * 365):%Y-%m-%d}&end={today:%Y-%m-%d}"
    point = Point.objects.order_by("name").values_list("pk", flat=True).first()
    bench.login(User.objects.get(username="coordinator"))
    bench.page("digibank: dashboard, city, last year", f"/dashboard/?{year}", **host)
    bench.page("digibank: dashboard, city, last month", f"/dashboard/?{month}", **host)
    bench.page("digibank: dashboard, city, five years", f"/dashboard/?{five_years}", **host)
    bench.page("digibank: dashboard, one point, last year",
               f"/dashboard/?{year}&point={point}", **host)
    bench.page("digibank: dashboard CSV export (reach)",
               f"/dashboard/export/bereik.csv?{year}", **host)
    bench.page("digibank: dashboard CSV export (topics)",
               f"/dashboard/export/onderwerpen.csv?{year}", **host)
    bench.page("digibank: funder report, last year", f"/dashboard/subsidieverslag/?{year}", **host)
    bench.page("digibank: funder report PDF, last year",
               f"/dashboard/subsidieverslag.pdf?{year}", **host)
    bench.page("digibank: workbook of all tables, last year",
               f"/dashboard/tabellen.xlsx?{year}", **host)
    bench.page("digibank: demand page, last year", "/dashboard/vraag/", **host)
    bench.page("digibank: reach report (/bereik/), all time", "/bereik/", **host)
    bench.page("digibank: reach report (/bereik/), five years", f"/bereik/?{five_years}",
               **host)
    bench.page("digibank: reach report (/bereik/), last month", f"/bereik/?{month}", **host)
    bench.login(User.objects.get(username="host"))
    bench.page("digibank: dashboard, host's points, last year", f"/dashboard/?{year}", **host)
    yesterday = today - timedelta(days=1)
    bench.action("digibank: roll-up, rebuild of one day",
                 lambda: build_days([yesterday], force=True))
    bench.action("digibank: roll-up, nightly run with nothing to do", build_rollup)
