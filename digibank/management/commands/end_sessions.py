from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("End every login session (after restoring a backup: sessions ended since the "
            "backup would otherwise work again).")

    def handle(self, *args, **options):
        count, _ = Session.objects.all().delete()
        self.stdout.write(f"Sessions ended: {count}. Everyone logs in again.")
        self.stdout.write(
            "Passwords and accounts are now those of the backup: a password changed or an "
            "account blocked since then is as it was in the backup. Ask who changed their "
            "password since to change it again, and block again who was blocked.")
