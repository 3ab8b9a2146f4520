"""Build the dashboard's roll-up now (the nightly job does it too)."""

import time

from django.core.management.base import BaseCommand

from dashboard.rollup import build_rollup


class Command(BaseCommand):
    help = ("Roll up the visit figures of every day up to yesterday that is missing or "
            "changed. --all rebuilds every day: after an import or a restore.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="Rebuild every day, not only missing or changed ones.")

    def handle(self, *args, everything=False, **options):
        start = time.perf_counter()
        count = build_rollup(everything=everything)
        self.stdout.write(f"Days rolled up: {count} ({time.perf_counter() - start:.1f}s)")
