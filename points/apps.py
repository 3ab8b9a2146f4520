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
        from digibank.services import register_activity_check, register_erasure_blockers
        from points.retention import erasure_blockers

        register_activity_check(_residents_with_open_visits)
        # What keeps a resident from being erased, one record at a time.
        register_erasure_blockers(erasure_blockers)


def _residents_with_open_visits(residents):
    """Residents still at a counter (an open visit) are not anonymised."""
    from points.models import OPEN_STATUSES

    return residents.filter(visits__status__in=OPEN_STATUSES)
