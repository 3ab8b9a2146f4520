"""What outreach keeps on residents (referrals), for how long, and what
erasure does with it. Read through ``OutreachConfig.data_protection``."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from digibank.days import start_of
from digibank.privacy import Handling
from digibank.retention import BLANK, KEEP, Rule, holds_text


def _closed_referrals(cutoff: date) -> QuerySet:
    from outreach.models import OPEN_STATUSES, Referral, ReferralEvent

    return Referral.objects.exclude(status__in=OPEN_STATUSES).filter(
        Q(updated_at__lt=start_of(cutoff)),
        holds_text("reason", "contact_address", "best_time", "outcome")
        | Q(pk__in=ReferralEvent.objects.exclude(note="").values("referral")),
    )


def consents_in_use() -> QuerySet:
    """The consents a referral rests on: kept past their period (the
    kernel's ``consents`` rule), for the figures and the partner."""
    from outreach.models import Referral

    return Referral.objects.values("consent")


RULES = (
    Rule(
        "referrals", _("Closed referrals: question, address and outcome"), 24, BLANK,
        ends=_("after the referral was closed"),
        why=_("Referrals are counted in the figures, so they stay, without the words about "
              "the person."),
        relations=("outreach.Referral.resident",),
        also_blank=(("outreach.ReferralEvent", "referral", ("note",)),),
        due=_closed_referrals, erasure="resident",
    ),
)

ERASURE = {
    "outreach.Referral.resident": Handling(
        KEEP, _("The partner holds the same referral; kept without contact details."),
        blank=("reason", "contact_address", "best_time", "outcome")),
}

CONSENTS_IN_USE = (consents_in_use,)


def erasure_blockers(resident) -> list:
    """A referral in progress, to or from a partner."""
    from django.urls import reverse

    from digibank.services import Blocker
    from outreach.models import Referral

    referrals = Referral.objects.open().filter(resident=resident).select_related("partner")
    return [Blocker(
        kind="referral", url=reverse("outreach:referral-detail", args=[referral.pk]),
        what=_("Referral with %(partner)s (%(status)s) since %(day)s") % {
            "partner": referral.partner, "status": referral.get_status_display(),
            "day": f"{referral.created_at:%d/%m/%Y}"},
        todo=_("Close the referral with its outcome (or mark it unreachable or declined)."))
        for referral in referrals]
