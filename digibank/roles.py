"""Model permissions per role, for the Django admin ("Beheer").

Role groups are created by a migration; which admin permissions a group
holds is synced here, because permissions only exist after all migrations
ran. ``manage.py sync_roles`` calls it (also on deploy and from seed_demo).
"""

from django.contrib.auth.models import Group, Permission

from digibank.models import Role

# Coordinators manage everything in the admin; other roles use the staff
# screens only.
ADMIN_APPS = {
    Role.COORDINATOR: [
        "digibank", "points", "trainings", "devices", "atelier", "soundboard", "outreach",
        "dashboard", "axes",
    ],
}


def sync_role_permissions() -> None:
    for role in Role.values:
        group, _created = Group.objects.get_or_create(name=role)
        app_labels = ADMIN_APPS.get(role, [])
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=app_labels))
