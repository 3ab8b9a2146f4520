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

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    bench = Bench()
    modules = []
    for app in APPS:
        try:
            modules.append(importlib.import_module(f"bench.bench_{app}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.bench_{app}":
                raise
    for module in modules:
        start = time.perf_counter()
        module.load(scale)
        print(f"loaded {module.__name__} in {time.perf_counter() - start:.1f}s", flush=True)
    for module in modules:
        module.measure(bench)
    print(f"\nDatabase: {connection.vendor}, scale {scale}")
    print(bench.report())


if __name__ == "__main__":
    main()
