"""Builders for outreach tests."""

from django.utils import timezone

from digibank.models import ConsentMethod, ConsentPurpose, Resident
from outreach.models import (
    Direction,
    Offer,
    OfferKind,
    Partner,
    Poster,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from outreach.prices import PriceKind
from outreach.search import index_offers
from points.models import Channel, Point, Visit
from tests.factories import _n, make_consent, make_partner, make_point, make_resident
from tests.points.factories import make_channel  # noqa: F401 (re-exported for outreach tests)


def make_referral(
    *, partner: Partner | None = None, resident: Resident | None = None,
    direction: str = Direction.IN, status: str = ReferralStatus.REQUESTED, **fields,
) -> Referral:
    partner = partner or make_partner()
    resident = resident or make_resident(phone=f"0470{_n():06d}")
    purpose = ConsentPurpose.CONTACT if direction == Direction.IN else ConsentPurpose.REFERRAL
    consent = fields.pop("consent", None) or make_consent(
        resident, purpose, method=ConsentMethod.VIA_PARTNER if direction == Direction.IN
        else ConsentMethod.VERBAL,
        collected_by_partner=partner if direction == Direction.IN else None,
    )
    fields.setdefault("reason", "Hulp met itsme")
    referral = Referral.objects.create(
        direction=direction, resident=resident, partner=partner, consent=consent,
        status=status, **fields,
    )
    ReferralEvent.objects.create(referral=referral, to_status=status)
    return referral


def make_poster(point: Point | None = None, channel: Channel | None = None) -> Poster:
    return Poster.objects.create(
        point=point or make_point(), channel=channel or make_channel(), code=f"code{_n()}"
    )


def make_visit(point: Point, *, channel: Channel | None = None, **fields) -> Visit:
    fields.setdefault("arrived_at", timezone.now())
    return Visit.objects.create(point=point, channel=channel, **fields)


def make_offer(title: str | None = None, *, topics=(), target_groups=(),
               is_social_tariff: bool = False, **fields) -> Offer:
    """An offer valid today at a partner's venue with a phone, checked today. Its price
    model follows from the amounts given unless ``price_kind`` is: the social
    tariff when asked, a monthly amount, a one-off amount, or free."""
    if "price_kind" not in fields:
        if is_social_tariff:
            fields["price_kind"] = PriceKind.SOCIAL_TARIFF
            fields.setdefault("social_tariff_for", "Mensen met een leefloon.")
        elif fields.get("monthly_price") is not None:
            fields["price_kind"] = PriceKind.MONTHLY
        elif fields.get("cost_eur"):
            fields["price_kind"] = PriceKind.ONE_OFF
    fields.setdefault("kind", OfferKind.HELP_DESK)
    fields.setdefault("description", "Hulp met je vraag.")
    if not fields.get("no_phone_reason"):  # a phone, or a reason why not
        fields.setdefault("contact_phone", "015 00 00 00")
    fields.setdefault("venue", "Bibliotheek")
    fields.setdefault("address", "Goswin de Stassartstraat 7, 2800 Mechelen")
    offer = Offer.objects.create(title=title or f"Offer {_n()}", **fields)
    offer.topics.set(topics)
    offer.target_groups.set(target_groups)
    index_offers(Offer.objects.filter(pk=offer.pk))
    return offer
