from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = _("Devices and loans")
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = ()
