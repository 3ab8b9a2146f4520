from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from digibank.navigation import NavItem

DEVICE_VIEWERS = frozenset({"host", "atelier", "coordinator"})


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = _("Devices and loans")
    # Its retention rules and erasure paths, read by the kernel
    # (digibank.retention.rules(), digibank.privacy.erasure_table()).
    data_protection = "devices.retention"
    # Its part of a resident's story on the resident page (digibank.story).
    story = "devices.story"
    navigation = (
        NavItem(_("Hand out a device"), "devices:hand-out",
                frozenset({"host", "atelier", "coordinator"}),
                order=40, description=_("Give a loan device to a resident at the counter."),
                group="devices", bar=frozenset({"host", "atelier"})),
        NavItem(_("Devices"), "devices:device-list", DEVICE_VIEWERS, order=45,
                description=_("Every loan device: where it is and who has it."),
                group="devices", bar=frozenset({"atelier", "coordinator"})),
        NavItem(_("Yearly checks due"), "devices:checks-due",
                frozenset({"atelier", "coordinator"}), order=47,
                description=_("Lent devices whose yearly check is coming up."),
                group="devices", bar=frozenset({"atelier"})),
        NavItem(_("Reserved devices"), "devices:reservations",
                frozenset({"host", "atelier", "coordinator"}), order=46,
                description=_("Devices waiting to be picked up, and who is waiting."),
                group="devices", bar=frozenset({"atelier"})),
    )

    def ready(self) -> None:
        from devices.retention import erasure_blockers
        from digibank.services import register_activity_check, register_erasure_blockers

        register_activity_check(_residents_with_devices)
        # What keeps a resident from being erased, one record at a time.
        register_erasure_blockers(erasure_blockers)


def _residents_with_devices(residents):
    """Residents with an open subscription, an active loan or an open
    reservation are active: retention keeps them."""
    from django.db.models import Q

    from devices.models import (
        ACTIVE_LOAN_STATUSES,
        OPEN_RESERVATION_STATUSES,
        OPEN_SUBSCRIPTION_STATUSES,
    )

    return residents.filter(
        Q(subscriptions__status__in=OPEN_SUBSCRIPTION_STATUSES)
        | Q(device_loans__status__in=ACTIVE_LOAN_STATUSES)
        | Q(device_reservations__status__in=OPEN_RESERVATION_STATUSES)
    ).distinct()
