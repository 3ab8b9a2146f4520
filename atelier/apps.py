from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem

ATELIER = frozenset({"atelier", "coordinator"})


class AtelierConfig(AppConfig):
    name = "atelier"
    verbose_name = _("Atelier")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "atelier.retention"
    # Its part of a resident's story on the resident page (digibank.story).
    story = "atelier.story"
    navigation = (
        NavItem(_("Atelier board"), "atelier:board", ATELIER, order=50,
                description=_("Every device in the atelier, step by step."),
                group="devices", bar=frozenset({"atelier"})),
        NavItem(_("Take in for repair"), "atelier:intake",
                frozenset({"host", "atelier", "coordinator"}), order=48,
                description=_("A broken loan device: take it in, give another one if needed."),
                group="devices", bar=frozenset({"atelier"})),
        NavItem(_("Atelier impact"), "atelier:impact", ATELIER, order=52,
                description=_("Devices given a second life, e-waste and CO2 avoided."),
                group="steering", bar=frozenset()),
        NavItem(_("Record yearly checks"), "atelier:checks",
                frozenset({"host", "atelier", "coordinator"}), order=49,
                description=_("Record the yearly check of a lent device."),
                group="devices", bar=frozenset({"atelier"})),
        NavItem(_("Hours worked"), "atelier:hours", ATELIER, order=54,
                description=_("Hours of volunteers and social-economy workers."),
                group="devices", bar=frozenset({"atelier"})),
    )

    def ready(self) -> None:
        from atelier.retention import erasure_blockers
        from atelier.services import open_job_for_move, wipe_gate_problem
        from devices.services import register_refurbish_opener, register_wipe_gate
        from digibank.services import register_activity_check, register_erasure_blockers

        register_wipe_gate(wipe_gate_problem)
        register_refurbish_opener(open_job_for_move)
        register_activity_check(_residents_with_open_repairs)
        # What keeps a resident from being erased, one record at a time.
        register_erasure_blockers(erasure_blockers)


def _residents_with_open_repairs(residents):
    """A resident whose device is being repaired (to be given back) is
    active: retention keeps them."""
    from atelier.models import OPEN_TICKET_STATUSES

    return residents.filter(
        device_loans__repair_tickets__status__in=OPEN_TICKET_STATUSES).distinct()
