from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem


class DashboardConfig(AppConfig):
    """The coordinator's workspace: figures, demand mapping, the nightly
    roll-up, exports and charts. It stands above the domain apps and reads
    them all; no module of ``digibank/`` or a domain app imports it
    (tests/test_architecture.py)."""

    name = "dashboard"
    verbose_name = _("Dashboard")
    navigation = (
        NavItem(_("Dashboard"), "dashboard", frozenset({"coordinator"}), order=80,
                description=_("Reach, demand, trainings, devices and feedback per period."),
                group="steering"),
        # Hosts and coaches see the same dashboard, for their own points.
        NavItem(_("Our figures"), "dashboard", frozenset({"host", "coach"}),
                order=80, description=_("Visits, people reached and trainings at your points."),
                group="steering"),
        NavItem(_("Reach report"), "reach-report", frozenset({"coordinator"}), order=75,
                description=_("Referrals per partner, reach per channel, roadshows."),
                group="steering", bar=frozenset()),
        NavItem(_("Demand and mobile points"), "demand", frozenset({"coordinator"}), order=81,
                description=_("Where the questions come from, and where to go next."),
                group="steering"),
    )

    def ready(self) -> None:
        from dashboard.rollup import on_visits_changed
        from digibank.changes import register_visits_changed

        # Visits changed after the fact: their days are read raw until rebuilt.
        register_visits_changed(on_visits_changed)
        # Register the roll-up's tasks, the name from before the move too, in
        # every process (not only in a worker after Celery's autodiscovery),
        # so a message queued under either name always finds its task.
        import dashboard.tasks  # noqa: F401
