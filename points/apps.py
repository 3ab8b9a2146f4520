from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("Points and counter")
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = ()
