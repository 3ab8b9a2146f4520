from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("Points and counter")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "points.retention"
    # Its part of a resident's story on the resident page (digibank.story).
    story = "points.story"
    navigation = (
        NavItem(_("Points"), "points:manage-points", frozenset({"coordinator"}), order=60,
                description=_("Points, opening hours, closures, mobile deployments and "
                              "topics."),
                group="admin", bar=frozenset()),
    )

    def ready(self) -> None:
        from digibank.services import register_activity_check

        register_activity_check(_residents_with_open_visits)


def _residents_with_open_visits(residents):
    """Residents still at a counter (an open visit) are not anonymised."""
    from points.models import OPEN_STATUSES

    return residents.filter(visits__status__in=OPEN_STATUSES)
