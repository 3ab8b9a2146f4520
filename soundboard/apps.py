from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem

BOARD_READERS = frozenset({"host", "coach", "coordinator", "partner"})


class SoundboardConfig(AppConfig):
    name = "soundboard"
    verbose_name = _("Sounding boards")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "soundboard.retention"
    # Navigation entries this app adds for each role (see digibank.navigation).
    navigation = (
        NavItem(_("Sounding boards"), "soundboard:board-list", BOARD_READERS, order=60,
                description=_("What the groups told us, and what we did with it."),
                group="partners", bar=frozenset({"partner"})),
        NavItem(_("Feedback overview"), "soundboard:overview", frozenset({"coordinator"}),
                order=61, description=_("Feedback waiting too long for an answer."),
                group="partners"),
    )

    def ready(self) -> None:
        from digibank.services import register_activity_check
        from soundboard.models import Member

        # A resident who is a current member of a board is active.
        register_activity_check(
            lambda residents: residents.filter(
                pk__in=Member.objects.current().filter(resident__isnull=False).values("resident")
            )
        )
