from outreach.models import Direction, Roadshow, ScreenMessage
from tests.access import PUBLIC, Access, allowed
from tests.factories import make_resident
from tests.outreach.factories import (
    make_channel,
    make_offer,
    make_poster,
    make_referral,
)

STAFF = allowed("host", "coach", "coordinator")
REFERRAL_ROLES = allowed("host", "coach", "coordinator", "partner")
COORDINATOR = allowed("coordinator")
OWNERS = allowed("coordinator", "partner")


def _referral(ctx):
    # An outgoing referral to the matrix partner: the partner user is its
    # receiving side, so every referral role may act on it.
    return ctx.once("referral", lambda: make_referral(partner=ctx.partner,
                                                      direction=Direction.OUT))


def _channel(ctx):
    return ctx.once("channel", lambda: make_channel("Affiche", slug="affiche"))


def _offer(ctx):
    # The matrix partner's own offer: the partner user may edit it.
    return ctx.once("offer", lambda: make_offer(provider=ctx.partner))


def _offer_location(ctx):
    from outreach.hsds import place_location_id

    offer = _offer(ctx)
    return place_location_id(offer.venue, offer.address)


def _poster_kwargs(ctx):
    return {"point_slug": ctx.point.slug, "channel_slug": _channel(ctx).slug}


ACCESS = {
    "outreach:referral-list": Access(REFERRAL_ROLES),
    "outreach:contact-request": Access(allowed("partner")),
    "outreach:referral-create": Access(
        STAFF, kwargs=None, data=lambda ctx: {"inwoner": ctx.once("res", make_resident).pk}
    ),
    "outreach:referral-detail": Access(
        REFERRAL_ROLES, kwargs=lambda ctx: {"pk": _referral(ctx).pk}
    ),
    "outreach:referral-status": Access(
        REFERRAL_ROLES, method="post", kwargs=lambda ctx: {"pk": _referral(ctx).pk},
        data=lambda ctx: {"status": "received"}, expect=(200, 302, 400),
    ),
    "outreach:consent-withdraw": Access(
        REFERRAL_ROLES, method="post", kwargs=lambda ctx: {"pk": _referral(ctx).pk},
        expect=(302,),
    ),
    "outreach:partner-list": Access(STAFF),
    "outreach:partner-detail": Access(STAFF, kwargs=lambda ctx: {"slug": ctx.partner.slug}),
    "outreach:campaign": Access(COORDINATOR),
    "outreach:poster": Access(STAFF, kwargs=_poster_kwargs),
    "outreach:flyer": Access(STAFF, kwargs=_poster_kwargs),
    "outreach:roadshow-list": Access(COORDINATOR),
    "outreach:roadshow-create": Access(COORDINATOR),
    "outreach:roadshow-edit": Access(COORDINATOR, kwargs=lambda ctx: {"pk": ctx.once(
        "roadshow", lambda: Roadshow.objects.create(
            partner=ctx.partner, venue="Zaal", held_on="2026-10-01")).pk}),
    "outreach:screen-message-list": Access(COORDINATOR),
    "outreach:screen-message-create": Access(COORDINATOR),
    "outreach:screen-message-edit": Access(COORDINATOR, kwargs=lambda ctx: {"pk": ctx.once(
        "message", lambda: ScreenMessage.objects.create(title="Nieuw", text="Tekst")).pk}),
    "outreach:channel-list": Access(COORDINATOR),
    "outreach:channel-create": Access(COORDINATOR),
    "outreach:channel-edit": Access(COORDINATOR, kwargs=lambda ctx: {"pk": _channel(ctx).pk}),
    "outreach:qr": Access(PUBLIC, kwargs=lambda ctx: {"code": ctx.once(
        "poster", lambda: make_poster(ctx.point)).code}, expect=(302,)),
    # The digital offer guide (digikaart)
    "outreach:offer-list": Access(PUBLIC),
    "outreach:offer-detail": Access(PUBLIC, kwargs=lambda ctx: {"pk": _offer(ctx).pk}),
    "outreach:offer-open-data": Access(PUBLIC),
    "outreach:hsds-root": Access(PUBLIC),
    "outreach:hsds-services": Access(PUBLIC),
    "outreach:hsds-service": Access(PUBLIC, kwargs=lambda ctx: {"id": _offer(ctx).uuid}),
    "outreach:hsds-organizations": Access(PUBLIC),
    "outreach:hsds-organization": Access(
        PUBLIC, kwargs=lambda ctx: {"id": ctx.partner.uuid}),
    "outreach:hsds-locations": Access(PUBLIC),
    "outreach:hsds-location": Access(PUBLIC, kwargs=lambda ctx: {"id": _offer_location(ctx)}),
    "outreach:offer-manage": Access(OWNERS),
    "outreach:offer-create": Access(OWNERS),
    "outreach:offer-edit": Access(OWNERS, kwargs=lambda ctx: {"pk": _offer(ctx).pk}),
    "outreach:offer-check": Access(OWNERS, method="post", expect=(302,),
                                   kwargs=lambda ctx: {"pk": _offer(ctx).pk}),
}
