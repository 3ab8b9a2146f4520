"""Referrals both ways, for the resident's story (``digibank.story``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digibank.story import Entry, newest

REFERRAL = _("Referral")


def entries(resident, cut: list[str], user) -> list[Entry]:
    referrals = newest(resident.referrals.select_related("partner")
                       .order_by("-created_at", "-pk"), REFERRAL, cut)
    return [Entry(
        when=referral.created_at, kind=str(REFERRAL),
        text=f"{referral.get_direction_display()}: {referral.partner}",
        status=referral.get_status_display(),
        url=reverse("outreach:referral-detail", args=[referral.pk]),
        now=referral.is_open,
    ) for referral in referrals]
