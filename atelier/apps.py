from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtelierConfig(AppConfig):
    name = "atelier"
    verbose_name = _("Atelier")
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = ()
