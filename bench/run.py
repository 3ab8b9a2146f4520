"""`make bench`: load a large data set into a fresh database and time pages.

Each app contributes a module ``bench/bench_<app>.py`` with two functions:

    load(scale: float) -> None      # bulk-create its data (fast: bulk_create)
    measure(bench: Bench) -> None   # bench.page(...) / bench.action(...)

The database is a fresh SQLite file under var/ unless BENCH_DATABASE_URL
points at PostgreSQL (recommended: the figures in closing notes come from
PostgreSQL). Times are server-side: the request goes through Django's test
client in-process, so no network or browser is counted.

    make bench                       # full size
    BENCH_SCALE=0.05 make bench      # a quick smoke run
    BENCH_APPS=digibank,points make bench   # only these apps' data and pages
    BENCH_REUSE=1 make bench         # measure again on the data the last run loaded
    BENCH_REPEAT=10 make bench       # timed requests per page (20)
                                     # (same BENCH_SCALE and BENCH_APPS; same day)
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

# "residents" last: it fills the search columns of what the others bulk-created.
APPS = ["digibank", "points", "trainings", "devices", "atelier", "soundboard", "outreach",
        "residents"]
if os.environ.get("BENCH_APPS"):
    APPS = [app for app in APPS if app in os.environ["BENCH_APPS"].split(",")]


class Bench:
    def __init__(self, repeat: int = 20):
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost")
        self.repeat = repeat
        self.rows: list[tuple] = []

    def login(self, user) -> None:
        self.client.force_login(user)

    def _time(self, call):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        timings, queries = [], 0
        call()  # warm-up
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = call()
                timings.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
            status = getattr(response, "status_code", "")
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        return statistics.median(timings), p95, queries, status

    def page(self, label: str, url: str, **extra) -> None:
        self.rows.append((label, *self._time(lambda: self.client.get(url, **extra))))

    def action(self, label: str, call) -> None:
        """Time a callable (a POST through the client, or a service call)."""
        self.rows.append((label, *self._time(call)))

    def report(self) -> str:
        width = max((len(row[0]) for row in self.rows), default=10)
        lines = [f"{'what':<{width}}  median ms    p95 ms  queries  status"]
        for label, median, p95, queries, status in self.rows:
            lines.append(f"{label:<{width}}  {median:9.1f} {p95:9.1f}  {queries:7}  {status}")
        return "\n".join(lines)


def _rebuild_rollup() -> None:
    """Rebuild the dashboard's whole roll-up once every app has loaded (the
    bulk loads bypass the services, so ``seed_demo``'s build misses their
    days), then check that it holds every visit before today."""
    from django.db import connection

    from dashboard.rollup import build_rollup

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    start = time.perf_counter()
    days = build_rollup(everything=True)
    print(f"roll-up: full build of {days} days in {time.perf_counter() - start:.1f}s",
          flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("visitdayfigures", "channeldayfigures", "topicdayfigures",
                          "demanddayfigures", "rollupday"):
                cursor.execute(f"VACUUM ANALYZE digibank_{table}")
    check_rollup_complete()


def check_rollup_complete() -> None:
    """Count the visits before today (and their topic links) in each table of
    the roll-up against the visits table; stop the bench when one differs
    (its figures would be wrong, and the timings of pages that read it too)."""
    from django.db.models import Sum
    from django.utils import timezone

    from dashboard.models import (
        ChannelDayFigures,
        DemandDayFigures,
        RollupDay,
        TopicDayFigures,
        VisitDayFigures,
    )
    from digibank.days import day_bounds
    from points.models import Visit

    today = timezone.localdate()
    before_today = Visit.objects.filter(arrived_at__lt=day_bounds(today)[0])
    visits = before_today.count()
    links = Visit.topics.through.objects.filter(visit__in=before_today).count()
    unbuilt = RollupDay.objects.filter(day__lt=today, built_at__isnull=True).count()

    def total(model, **where) -> int:
        return model.objects.filter(day__lt=today, **where).aggregate(n=Sum("visits"))["n"] or 0

    found = {
        "visits by day and point (VisitDayFigures)": (total(VisitDayFigures), visits),
        "visits by channel (ChannelDayFigures)": (total(ChannelDayFigures), visits),
        "visits by district (DemandDayFigures)": (
            total(DemandDayFigures, topic__isnull=True), visits),
        "topic links (TopicDayFigures)": (total(TopicDayFigures), links),
        "topic links by district (DemandDayFigures)": (
            total(DemandDayFigures, topic__isnull=False), links),
    }
    wrong = {name: pair for name, pair in found.items() if pair[0] != pair[1]}
    if wrong or unbuilt:
        lines = [f"  {name}: {rolled:,} in the roll-up, {raw:,} in the visits table"
                 for name, (rolled, raw) in wrong.items()]
        if unbuilt:
            lines.append(f"  {unbuilt} days before today not built")
        raise SystemExit("ROLL-UP INCOMPLETE after the full build:\n" + "\n".join(lines))
    print(f"roll-up complete: {visits:,} visits before today and {links:,} topic links "
          "in every table", flush=True)


def main() -> None:
    import django

    scale = float(os.environ.get("BENCH_SCALE", "1"))
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        db = ROOT / "var" / "bench.sqlite3"
        db.parent.mkdir(exist_ok=True)
        db.unlink(missing_ok=True)
    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    from django.core.management import call_command
    from django.db import connection

    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    bench = Bench(repeat=int(os.environ.get("BENCH_REPEAT", "20")))
    modules = []
    for app in APPS:
        try:
            modules.append(importlib.import_module(f"bench.bench_{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.bench_{app}":
                raise
    if reuse:
        check_rollup_complete()
    else:
        for module in modules:
            start = time.perf_counter()
            module.load(scale)
            print(f"loaded {module.__name__} in {time.perf_counter() - start:.1f}s", flush=True)
        _rebuild_rollup()
    before = _load_average()
    for module in modules:
        module.measure(bench)
    print(f"\nDatabase: {connection.vendor}, scale {scale}; load average (1, 5, 15 min) "
          f"before measuring {before}, after {_load_average()} on {os.cpu_count()} cores")
    print(bench.report())


def _load_average() -> str:
    """The machine's load average: the figures mean little without it on a
    machine shared with others."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
