from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem


class CounterConfig(AppConfig):
    """The host's and coach's workspace: the counter, the coach queue and
    the panels they open. It stands above the domain apps and composes them
    (points' visits, outreach's offers, trainings' enrolments); nothing
    below it imports it (tests/counter/test_layering.py)."""

    name = "counter"
    verbose_name = _("Counter")
    navigation = (
        NavItem(_("Counter"), "counter:counter", frozenset({"host", "coach", "coordinator"}),
                order=10, description=_("Register visitors and see today's queue."),
                group="counter"),
        NavItem(_("Coach queue"), "counter:coach-queue", frozenset({"coach", "coordinator"}),
                order=12, description=_("Visitors handed over to a coach."),
                group="counter", bar=frozenset({"coach"})),
    )
