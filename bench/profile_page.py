"""Where one page's time goes: ``reverse()`` and ``{% include %}`` calls,
queries, bytes and the median time of a page, rendered in-process as the
bench does, against the database ``make bench`` left behind.

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
    # {% url %} and the views call django.urls.reverse through the module.
    import django.template.defaulttags as defaulttags
    import django.urls as urls

    base.reverse = urls.reverse = defaulttags.reverse = counting_reverse
    IncludeNode.render = counting_include
    with CaptureQueriesContext(connection) as queries:
        response = get()
    base.reverse = urls.reverse = defaulttags.reverse = reverse
    IncludeNode.render = include_render

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        get()
        timings.append((time.perf_counter() - start) * 1000)
    print(f"{args.url} as {args.username}{' (htmx)' if args.htmx else ''}: "
          f"status {response.status_code}, {len(response.content):,} bytes, "
          f"{len(queries)} queries, {calls['reverse']} reverse(), "
          f"{calls['include']} includes, median {statistics.median(timings):.1f} ms "
          f"over {args.repeat}")
    if args.top:
        profile = cProfile.Profile()
        profile.runcall(get)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
