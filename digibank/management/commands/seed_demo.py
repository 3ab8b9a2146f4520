from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from digibank.roles import sync_role_permissions

# Apps seed in this order; each has a ``demo.seed(stdout)`` function. The
# dashboard comes last: it rolls up the demo visits as the nightly job would.
DEMO_APPS = ["digibank", "outreach", "points", "trainings", "devices", "atelier", "soundboard",
             "dashboard"]


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even with DEBUG off (for a demo or staging server only).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off: it creates "
                               "accounts with a known password.")
        sync_role_permissions()
        with transaction.atomic():
            for label in DEMO_APPS:
                if not apps.is_installed(label):
                    continue
                try:
                    module = import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
