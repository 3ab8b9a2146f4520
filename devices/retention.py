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


def erasure_blockers(resident) -> list:
    """A device on loan or reserved for them, a reservation waiting, an
    open subscription."""
    from django.urls import reverse

    from devices.models import (
        ACTIVE_LOAN_STATUSES,
        OPEN_RESERVATION_STATUSES,
        OPEN_SUBSCRIPTION_STATUSES,
        Loan,
        LoanStatus,
        Reservation,
        Subscription,
    )
    from digibank.services import Blocker

    blockers = [Blocker(
        kind="loan", url=reverse("devices:device-detail", args=[loan.device.asset_tag]),
        what=(_("%(device)s on loan since %(day)s") if loan.status == LoanStatus.ISSUED
              else _("%(device)s set aside to hand out")) % {
            "device": loan.device, "day": f"{loan.handed_out_at:%d/%m/%Y}"
            if loan.handed_out_at else ""},
        todo=_("Take the device back at a point (or record it as lost), then erase."))
        for loan in Loan.objects.filter(resident=resident, status__in=ACTIVE_LOAN_STATUSES)
        .select_related("device")]
    blockers += [Blocker(
        kind="reservation", url=reverse("devices:reservations"),
        what=_("A reservation for a %(kind)s, still open") % {
            "kind": reservation.get_kind_display().lower()},
        todo=_("Cancel the reservation in the list of reservations."))
        for reservation in Reservation.objects.filter(
            resident=resident, status__in=OPEN_RESERVATION_STATUSES)]
    blockers += [Blocker(
        kind="subscription",
        url=reverse("devices:subscription-change", args=[subscription.pk]),
        what=_("Subscription %(plan)s, still running") % {"plan": subscription.plan},
        todo=_("End the subscription once every device is back."))
        for subscription in Subscription.objects.filter(
            resident=resident, status__in=OPEN_SUBSCRIPTION_STATUSES).select_related("plan")]
    return blockers
