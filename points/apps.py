from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("Points and counter")
    navigation = (
        NavItem(_("Counter"), "points:counter", frozenset({"host", "coach", "coordinator"}),
                order=10, description=_("Register visitors and see today's queue.")),
        NavItem(_("Coach queue"), "points:coach-queue", frozenset({"coach", "coordinator"}),
                order=12, description=_("Visitors handed over to a coach.")),
        NavItem(_("Points"), "points:manage-points", frozenset({"coordinator"}), order=60,
                description=_("Points, opening hours, closures, mobile deployments and "
                              "topics.")),
    )
