from django.core.management.base import BaseCommand

from digibank.roles import sync_role_permissions


class Command(BaseCommand):
    help = "Create the role groups and give them their admin permissions."

    def handle(self, *args, **options):
        sync_role_permissions()
        self.stdout.write(self.style.SUCCESS("Role permissions synced."))
