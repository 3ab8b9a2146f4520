"""Loans (the devices a resident has now) and reservations, for the
resident's story (``digibank.story``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from devices.models import ACTIVE_LOAN_STATUSES, OPEN_RESERVATION_STATUSES, LoanStatus
from digibank.story import Entry, newest

LOAN = gettext_lazy("Loan")
RESERVATION = gettext_lazy("Reservation")


def entries(resident, cut: list[str], user) -> list[Entry]:
    found = []
    loans = newest(resident.device_loans.select_related(
        "device", "handed_out_at_point", "pickup_point").order_by("-pk"), LOAN, cut)
    for loan in loans:
        device = loan.device
        if loan.status == LoanStatus.RESERVED:
            detail = _("waiting at %(place)s") % {"place": loan.pickup_point or _("the atelier")}
        else:
            detail = str(loan.handed_out_at_point or "")
        found.append(Entry(
            when=loan.handed_out_at or loan.reserved_at or loan.returned_at,
            kind=str(LOAN), text=f"{device.get_kind_display()} {device.asset_tag}",
            status=loan.get_status_display(), detail=detail,
            url=reverse("devices:device-detail", args=[device.asset_tag]),
            now=loan.status in ACTIVE_LOAN_STATUSES))
    reservations = newest(resident.device_reservations.select_related("pickup_point")
                          .order_by("-requested_at", "-pk"), RESERVATION, cut)
    for reservation in reservations:
        found.append(Entry(
            when=reservation.requested_at, kind=str(RESERVATION),
            text=reservation.get_kind_display(), status=reservation.get_status_display(),
            detail=str(reservation.pickup_point or _("Atelier")),
            url=reverse("devices:resident-devices", args=[resident.pk]),
            now=reservation.status in OPEN_RESERVATION_STATUSES))
    return [entry for entry in found if entry.when is not None]
