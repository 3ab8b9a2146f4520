"""What an offer costs, in one place.

Every offer has exactly one price model (``PriceKind``): free, a one-off
amount, a monthly amount, or the social tariff (a monthly amount for those
who meet its conditions). ``offer_price`` turns an offer's fields into a
``Price``; the guide's filter (``OfferQuerySet.free``), its cards and pages,
the counter's panel and slip, the JSON feed and the HSDS API all read it,
so "free" means the same everywhere. The form and a database constraint
(``offer_price_consistent``) refuse fields that contradict the model."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PriceKind(models.TextChoices):
    FREE = "free", gettext_lazy("Free")
    ONE_OFF = "one_off", gettext_lazy("One-off amount")
    MONTHLY = "monthly", gettext_lazy("Amount per month")
    SOCIAL_TARIFF = "social", gettext_lazy("Social tariff (per month, with conditions)")


# The fields each price model uses; the others must stay empty. The same
# rule, for the database. (The explicit "is not null": a comparison with
# NULL is unknown, and a CHECK that is unknown passes.)
PRICE_CONSISTENT = (
    Q(price_kind=PriceKind.FREE, cost_eur=0, monthly_price__isnull=True)
    | Q(price_kind=PriceKind.ONE_OFF, cost_eur__gt=0, monthly_price__isnull=True)
    | Q(price_kind=PriceKind.MONTHLY, cost_eur=0, monthly_price__isnull=False,
        monthly_price__gt=0)
    | (Q(price_kind=PriceKind.SOCIAL_TARIFF, cost_eur=0, monthly_price__isnull=False,
         monthly_price__gte=0) & ~Q(social_tariff_for=""))
) & (Q(price_kind=PriceKind.SOCIAL_TARIFF) | Q(social_tariff_for=""))


def euro(amount: Decimal) -> str:
    """"€ 22,00" in Dutch, "€ 22.00" in English."""
    return f"€ {number_format(amount, 2)}"


@dataclass(frozen=True)
class Price:
    kind: str
    # The one amount of the model: None when free.
    amount: Decimal | None
    # Who qualifies for the social tariff ("" for the other models).
    conditions: str = ""
    note: str = ""

    @property
    def is_free(self) -> bool:
        return self.kind == PriceKind.FREE

    @property
    def is_monthly(self) -> bool:
        return self.kind in (PriceKind.MONTHLY, PriceKind.SOCIAL_TARIFF)

    @property
    def is_social_tariff(self) -> bool:
        return self.kind == PriceKind.SOCIAL_TARIFF

    @property
    def per(self) -> str | None:
        """"month", "once" or None (free): how often the amount is paid."""
        if self.is_free:
            return None
        return "month" if self.is_monthly else "once"

    def __str__(self) -> str:
        if self.kind == PriceKind.FREE:
            return _("free")
        if self.kind == PriceKind.ONE_OFF:
            return _("%(amount)s one-off") % {"amount": euro(self.amount)}
        if self.kind == PriceKind.MONTHLY:
            return _("%(amount)s per month") % {"amount": euro(self.amount)}
        return _("social tariff: %(amount)s per month") % {"amount": euro(self.amount)}

    def as_data(self) -> dict:
        """The price in the JSON feed: machine-readable, no translated text."""
        return {
            "kind": self.kind, "free": self.is_free,
            "amount_eur": None if self.amount is None else f"{self.amount:.2f}",
            "per": self.per, "currency": "EUR", "conditions": self.conditions,
            "note": self.note,
        }


def offer_price(*, price_kind: str, cost_eur: Decimal, monthly_price: Decimal | None,
                social_tariff_for: str = "", cost_note: str = "") -> Price:
    """The price of an offer from its fields (an ``Offer`` or a ``values()``
    row: see ``Offer.price``). Trusts the fields to be consistent, which the
    database guarantees."""
    if price_kind == PriceKind.FREE:
        amount = None
    elif price_kind == PriceKind.ONE_OFF:
        amount = Decimal(cost_eur)
    else:
        amount = Decimal(monthly_price)
    return Price(kind=price_kind, amount=amount,
                 conditions=social_tariff_for if price_kind == PriceKind.SOCIAL_TARIFF else "",
                 note=cost_note)


PRICE_FIELDS = ("price_kind", "cost_eur", "monthly_price", "social_tariff_for", "cost_note")
