from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SoundboardConfig(AppConfig):
    name = "soundboard"
    verbose_name = _("Sounding boards")
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = ()
