"""Where one page's time goes: ``reverse()`` and ``{% include %}`` calls,
queries, bytes and the median time (wall and this process's CPU) of a
page, rendered in-process as the bench does, against the database
``make bench`` left behind.

    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/profile_page.py host /balie/
    … profile_page.py coach /balie/coach/ --htmx --top 15

The first argument is the demo user to log in as. ``--top N`` prints the N
functions with the most own time (cProfile) as well.
"""

import argparse
import cProfile
import os
import pstats
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("url")
    parser.add_argument("--htmx", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.template.loader_tags import IncludeNode
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import base

    from digibank.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.username))
    extra = {"HTTP_HX_REQUEST": "true"} if args.htmx else {}

    def get():
        return client.get(args.url, **extra)

    calls = {"reverse": 0, "include": 0}
    reverse, include_render = base.reverse, IncludeNode.render

    def counting_reverse(*a, **k):
        calls["reverse"] += 1
        return reverse(*a, **k)

    def counting_include(self, context):
        calls["include"] += 1
        return include_render(self, context)

    get()  # warm-up: templates compiled, URL resolver filled
    # {% url %} imports reverse from django.urls as it renders; views bound
    # it at import (counted only where they are patched here: counter.views).
    import django.urls as urls

    import counter.views as counter_views

    base.reverse = urls.reverse = counter_views.reverse = counting_reverse
    IncludeNode.render = counting_include
    with CaptureQueriesContext(connection) as captured:
        response = get()
    queries = len(captured)  # read now: the next request empties the log
    base.reverse = urls.reverse = counter_views.reverse = reverse
    IncludeNode.render = include_render

    # Wall time, and this process's own CPU time, which a machine shared with
    # others disturbs less (PostgreSQL's time is not in it).
    timings, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        get()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(f"{args.url} as {args.username}{' (htmx)' if args.htmx else ''}: "
          f"status {response.status_code}, {len(response.content):,} bytes, "
          f"{queries} queries, {calls['reverse']} reverse(), "
          f"{calls['include']} includes, median {statistics.median(timings):.1f} ms "
          f"({statistics.median(cpu):.1f} ms CPU in Python) over {args.repeat}")
    if args.top:
        profile = cProfile.Profile()
        profile.runcall(get)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
