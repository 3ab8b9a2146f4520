"""Repairs of the devices lent to a resident, for their story
(``digibank.story``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atelier.models import OPEN_TICKET_STATUSES, RepairTicket
from digibank.story import Entry, newest

REPAIR = _("Repair")


def entries(resident, cut: list[str], user) -> list[Entry]:
    tickets = newest(RepairTicket.objects.filter(loan__resident=resident)
                     .select_related("device").order_by("-opened_at", "-pk"), REPAIR, cut)
    return [Entry(
        when=ticket.opened_at, kind=str(REPAIR),
        text=f"{ticket.device.get_kind_display()} {ticket.device.asset_tag}",
        status=ticket.get_outcome_display() or ticket.get_status_display(),
        url=reverse("atelier:ticket-detail", args=[ticket.pk]),
        now=ticket.status in OPEN_TICKET_STATUSES,
    ) for ticket in tickets]
