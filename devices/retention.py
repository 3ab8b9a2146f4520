"""What devices keeps on residents (subscriptions, loans, reservations,
defect reports, device history), for how long, and what erasure does with
it. Read through ``DevicesConfig.data_protection``."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of
from digibank.privacy import Handling
from digibank.retention import BLANK, KEEP, Rule, holds_text


def _ended_subscriptions(cutoff: date) -> QuerySet:
    from devices.models import Subscription, SubscriptionStatus

    return Subscription.objects.filter(
        status=SubscriptionStatus.ENDED, ends_on__lt=cutoff,
    ).filter(holds_text("guardian_name", "guardian_phone"))


def _unrepaired_defect_reports(cutoff: date) -> QuerySet:
    from devices.models import DefectReport, DeviceEvent

    # A report no repair ticket was opened for ends when its device moves on
    # (repaired by hand, retired …): the first step in the device's history
    # after the report. While the device waits in repair, the words stay.
    moved_on = DeviceEvent.objects.filter(
        device=OuterRef("device"), at__gt=OuterRef("reported_at"), at__lt=start_of(cutoff))
    return (DefectReport.objects.filter(repair_ticket__isnull=True).exclude(problem="")
            .filter(Exists(moved_on)))


def _device_history_notes(cutoff: date) -> QuerySet:
    from devices.models import ACTIVE_LOAN_STATUSES, DeviceEvent, DeviceStatus

    return (DeviceEvent.objects.filter(at__lt=start_of(cutoff)).exclude(note="")
            # The loan it belongs to still runs, or the device is being
            # repaired and the atelier reads its history.
            .exclude(loan__status__in=ACTIVE_LOAN_STATUSES)
            .exclude(device__status=DeviceStatus.IN_REPAIR).order_by("at"))


RULES = (
    Rule(
        "defect_reports", _("Defect reports without a repair: the problem in the resident's "
                            "words"), 24, BLANK,
        ends=_("after the device left repair"),
        why=_("The report stays in the device's history, without the resident's words."),
        model="devices.DefectReport", blank=("problem",), due=_unrepaired_defect_reports,
        erasure="loan__resident",
    ),
    Rule(
        "device_notes", _("Notes in a device's history"), 24, BLANK,
        ends=_("after the step, when the device is not on loan under it or in repair"),
        why=_("The history of statuses and places stays for the asset records; its notes "
              "can speak of a borrower."),
        model="devices.DeviceEvent", blank=("note",), due=_device_history_notes,
        erasure="loan__resident",
    ),
    Rule(
        "school_guardians", _("Parent or guardian on an ended subscription"), 84, BLANK,
        ends=_("after the subscription ended"),
        why=_("Contract and payments: accounting law keeps them seven years."),
        relations=("devices.Subscription.resident",), due=_ended_subscriptions,
        erasure="resident",
    ),
    Rule(
        "loans", _("Loans and reservations"), None, KEEP, ends=_("kept"),
        why=_("Counted in the figures and needed as asset records. Their notes are emptied "
              "by the rules above; the resident they link to is anonymised by the first rule."),
        relations=("devices.Loan.resident", "devices.Reservation.resident",
                   "devices.Subscription.guardian"),
    ),
)

_ACCOUNTING = _("Contract and payments: accounting law keeps them seven years.")
_ASSETS = _("Which device went where: asset records for accounting and the funder.")

ERASURE = {
    "devices.Subscription.resident": Handling(
        KEEP, _ACCOUNTING, blank=("guardian_name", "guardian_phone")),
    "devices.Subscription.guardian": Handling(KEEP, _ACCOUNTING),
    "devices.Loan.resident": Handling(KEEP, _ASSETS),
    "devices.Reservation.resident": Handling(KEEP, _ASSETS),
}
