from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem

STAFF = frozenset({"host", "coach", "atelier", "coordinator", "partner"})


class DigibankConfig(AppConfig):
    name = "digibank"
    verbose_name = _("Digibank")
    navigation = (
        NavItem(_("Start"), "workspace", STAFF, order=0,
                description=_("Your work for today."),
                group="counter"),
        NavItem(_("Residents"), "residents:list", frozenset({"host", "coach", "coordinator"}),
                order=20, description=_("Find a resident or add a new one."),
                group="counter"),
        NavItem(_("Call list"), "call-list", frozenset({"host", "coach", "coordinator"}),
                order=25, description=_("Residents to phone today."),
                group="counter", bar=frozenset({"host", "coach"})),
        NavItem(_("Audit trail"), "audit-log", frozenset({"coordinator"}), order=90,
                description=_("Who viewed, changed or exported residents' data."),
                group="admin"),
        NavItem(_("Management"), "admin:index", frozenset({"coordinator"}), order=95,
                description=_("Users, roles, districts and target groups."),
                group="admin"),
    )

    def ready(self) -> None:
        from digibank import retention
        from digibank.models import CallTask
        from digibank.services import register_activity_check
        from digibank.validators import install_date_guard

        install_date_guard()
        # Every app's AppConfig is loaded now: a RETENTION kind that none
        # declares stops start-up.
        retention.check_setting()

        # A resident who is still to be phoned is active.
        register_activity_check(
            lambda residents: residents.filter(pk__in=CallTask.objects.open().values("resident"))
        )
