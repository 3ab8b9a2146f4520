"""Outreach at city scale: 100,000 referrals both ways with their consents
and history, open contact requests on the call lists, 50,000 QR scans and
20,000 visits with a channel, 5,000 offers in the offer guide (digikaart)
with 20,000 offers given at visits. Measures the partner inbox, the call
list, the reach (referral) report, the public guide with its search in
residents' words, its open data and the counter panel."""

import itertools
import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from digibank.models import CallTask, Consent, ConsentMethod, ConsentPurpose, Resident, User
from outreach.models import (
    OPEN_STATUSES,
    Direction,
    Partner,
    QrScan,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from outreach.services import CONTACT_REQUEST_CALL, ContactPerson, poster_for
from points.models import Channel, Point, Visit

REFERRALS = 100_000
RESIDENTS = 20_000
SCANS = 50_000
VISITS = 20_000
BATCH = 5_000


def _batched(objects, model) -> list:
    created = []
    for start in range(0, len(objects), BATCH):
        created.extend(model.objects.bulk_create(objects[start:start + BATCH]))
    return created


def load(scale: float) -> None:
    rng = random.Random(8)
    now = timezone.now()
    today = timezone.localdate()
    partners = list(Partner.objects.all())
    points = list(Point.objects.all())
    channels = list(Channel.objects.all())
    n_residents = max(50, int(RESIDENTS * scale))
    residents = _batched([
        Resident(first_name=f"Bench{i}", last_name=f"Inwoner{i}", phone=f"04{i:08d}")
        for i in range(n_residents)
    ], Resident)
    statuses = list(ReferralStatus.values)
    n_referrals = max(100, int(REFERRALS * scale))
    rows = []
    for i in range(n_referrals):
        # Each (resident, partner) pair at most once, so the "one open
        # referral" constraint holds.
        resident = residents[i % n_residents]
        partner = partners[(i // n_residents) % len(partners)]
        direction = Direction.IN if i % 2 else Direction.OUT
        # Most referrals are old and closed; about one in ten is still open.
        status = rng.choice(statuses[:4]) if i % 10 == 0 else rng.choice(statuses[4:])
        rows.append((resident, partner, direction, status,
                     now - timedelta(days=rng.randrange(0, 730), minutes=i % 600)))
    consents = _batched([
        Consent(resident=resident, partner=None if direction == Direction.IN else partner,
                purpose=ConsentPurpose.CONTACT if direction == Direction.IN
                else ConsentPurpose.REFERRAL,
                collected_by_partner=partner if direction == Direction.IN else None,
                method=ConsentMethod.VIA_PARTNER if direction == Direction.IN
                else ConsentMethod.VERBAL, given_on=created.date())
        for resident, partner, direction, _status, created in rows
    ], Consent)
    referrals = _batched([
        Referral(direction=direction, resident=resident, partner=partner, consent=consent,
                 status=status, reason="Hulp met itsme en de bankapp", created_at=created,
                 updated_at=created, preferred_point=rng.choice(points) if points else None,
                 follow_up_on=today - timedelta(days=rng.randrange(0, 30)))
        for (resident, partner, direction, status, created), consent in zip(
            rows, consents, strict=True)
    ], Referral)
    _batched([
        ReferralEvent(referral=referral, at=referral.created_at, to_status=referral.status)
        for referral in referrals
    ], ReferralEvent)
    referral_type = ContentType.objects.get_for_model(Referral)
    _batched([
        CallTask(resident=referral.resident, point=referral.preferred_point,
                 kind=CONTACT_REQUEST_CALL, source_type=referral_type, source_id=referral.pk,
                 subject=f"Contactaanvraag van {referral.partner}", message=referral.reason,
                 due_on=today)
        for referral in referrals
        if referral.direction == Direction.IN and referral.status in OPEN_STATUSES
    ], CallTask)
    posters = [poster_for(point=point, channel=channel) for point in points
               for channel in channels[:4]]
    if posters:
        _batched([
            QrScan(poster=rng.choice(posters),
                   scanned_at=now - timedelta(days=rng.randrange(0, 365), minutes=i % 600))
            for i in range(int(SCANS * scale))
        ], QrScan)
    if points:
        _batched([
            Visit(point=rng.choice(points), channel=rng.choice(channels) if channels else None,
                  status="done", outcome="solved",
                  arrived_at=now - timedelta(days=rng.randrange(0, 365)))
            for _i in range(int(VISITS * scale))
        ], Visit)
    _load_offers(scale, rng)


OFFERS = 5_000
GIVEN = 20_000


def _load_offers(scale: float, rng: random.Random) -> None:
    """Offers of every kind from every partner, two topics each, one in three
    for a target group, one in ten at a digibank point, a quarter expired or
    not checked for a year; offers given at the bench visits."""
    from digibank.models import District, TargetGroup
    from outreach.demo_offers import OFFERS as DEMO
    from outreach.models import GivenOffer, Offer, OfferKind
    from outreach.prices import PriceKind
    from outreach.search import index_offers
    from points.models import QuestionTopic

    today = timezone.localdate()
    partners = list(Partner.objects.all())
    districts = list(District.objects.all())
    topics = list(QuestionTopic.objects.all())
    kinds = list(OfferKind.values)
    points = list(Point.objects.all())
    def price(i: int) -> dict:
        """Internet paid per month (one in four the social tariff), one in
        three of the rest a one-off amount, the others free."""
        if kinds[i % 6] == OfferKind.INTERNET:
            social = i % 4 == 0
            return {"price_kind": PriceKind.SOCIAL_TARIFF if social else PriceKind.MONTHLY,
                    "monthly_price": rng.randrange(5, 60),
                    "social_tariff_for": "Met een leefloon." if social else ""}
        if i % 3 == 0:
            return {"price_kind": PriceKind.ONE_OFF, "cost_eur": 25}
        return {"price_kind": PriceKind.FREE}

    offers = _batched([
        # One in ten at a digibank point, with the point's address.
        # Titles and descriptions from the demo's offers, so the search has
        # real words to rank.
        Offer(title=f"{DEMO[i % len(DEMO)][0]} {i}", description=DEMO[i % len(DEMO)][9],
              kind=kinds[i % 6],
              provider=partners[i % len(partners)] if i % 5 else None,
              point=points[i % len(points)] if points and i % 10 == 1 else None,
              address="" if points and i % 10 == 1 else "Melaan 20, 2800 Mechelen",
              district=rng.choice(districts),
              is_online=i % 7 == 0, **price(i),
              languages="nl,fr" if i % 4 else "nl",
              valid_until=today - timedelta(days=1) if i % 8 == 0 else None,
              last_checked_on=today - timedelta(days=rng.randrange(0, 400)))
        for i in range(max(50, int(OFFERS * scale)))
    ], Offer)
    through = Offer.topics.through
    _batched([through(offer_id=offer.pk, questiontopic_id=topic.pk)
              for offer in offers for topic in rng.sample(topics, 2)], through)
    groups = list(TargetGroup.objects.all())
    if groups:  # one in three offers is for one target group
        through = Offer.target_groups.through
        _batched([through(offer_id=offer.pk, targetgroup_id=rng.choice(groups).pk)
                  for offer in offers[::3]], through)
    index_offers(Offer.objects.all())
    visits = list(Visit.objects.order_by("-pk").values_list("pk", flat=True)[:int(GIVEN * scale)])
    _batched([GivenOffer(visit_id=visit, offer=offers[i % len(offers)])
              for i, visit in enumerate(visits)], GivenOffer)


_counter = itertools.count()


def measure(bench) -> None:
    from outreach.services import submit_contact_request

    partner_user = User.objects.get(username="partner")
    bench.login(partner_user)
    bench.page("outreach: partner inbox", "/doorverwijzingen/")
    bench.page("outreach: partner inbox, open only", "/doorverwijzingen/?status=open")
    some = Referral.objects.filter(partner=partner_user.partner).order_by("-pk").first()
    bench.page("outreach: referral detail (partner)", f"/doorverwijzingen/{some.pk}/")

    def submit():
        n = next(_counter)
        return submit_contact_request(
            actor=partner_user, partner=partner_user.partner,
            person=ContactPerson(first_name="Bench", last_name=f"Aanvraag{n}",
                                 phone=f"0499{n:06d}"),
            reason="Wil leren bankieren", consent_method="paper",
            consent_given_on=timezone.localdate(),
        )

    bench.action("outreach: submit contact request (service)", submit)
    bench.login(User.objects.get(username="host"))
    bench.page("outreach: call list with contact requests", "/bel-lijst/")
    bench.login(User.objects.get(username="coordinator"))
    bench.page("outreach: all referrals (coordinator)", "/doorverwijzingen/")
    bench.page("outreach: referral report (all time)", "/bereik/")
    bench.page("outreach: referral report (one month)",
               "/bereik/?start=2026-10-01&end=2026-10-31")
    bench.page("outreach: campaign overview", "/campagne/")
    _measure_offers(bench)


def _measure_offers(bench) -> None:
    from points.models import QuestionTopic

    itsme = QuestionTopic.objects.get(slug="itsme-eid")
    bench.page("digikaart: offers not checked for 6 months", "/aanbod-beheer/?controle=1")
    bench.client.logout()
    bench.page("digikaart: public guide", "/aanbod/")
    bench.page("digikaart: public guide, topic itsme", f"/aanbod/?thema={itsme.slug}")
    bench.page("digikaart: cheapest internet, in French",
               "/aanbod/?soort=internet&taal=fr")
    _measure_search(bench)
    _measure_open_data(bench)
    bench.login(User.objects.get(username="host"))
    bench.page("digikaart: counter panel for itsme", f"/balie/aanbod/?topics={itsme.pk}",
               HTTP_HX_REQUEST="true")
    bench.page("digikaart: counter panel, search 'gsm abonnement'",
               "/balie/aanbod/?zoek=gsm+abonnement", HTTP_HX_REQUEST="true")
    bench.login(User.objects.get(username="partner"))
    bench.page("digikaart: partner's own offers", "/aanbod-beheer/")


def _measure_search(bench) -> None:
    """The guide's search in residents' words (outreach.search): with the
    demo's synonyms, all words found, only some found (the fallback), and
    one offer's search text rebuilt after an edit."""
    from outreach.models import Offer
    from outreach.search import index_offers

    for text in ("goedkoop internet", "hulp belastingen", "gsm abonnement"):
        bench.page(f"digikaart: search '{text}'", f"/aanbod/?zoek={text.replace(' ', '+')}")
    bench.page("digikaart: search 'smartphone zwemles' (some words)",
               "/aanbod/?zoek=smartphone+zwemles")
    bench.page("digikaart: search 'goedkoop internet', in French, page 2",
               "/aanbod/?zoek=goedkoop+internet&taal=fr&page=2")
    one = Offer.objects.filter(pk=Offer.objects.order_by("-pk").values("pk")[:1])
    bench.action("digikaart: search text of one offer rebuilt", lambda: index_offers(one))


def _measure_open_data(bench) -> None:
    """The public offer feed: built anew (as after every change to an offer),
    served from the cache, and revalidated with its ETag."""
    from outreach.opendata import offer_feed_changed

    url = "/open-data/aanbod.json"

    def rebuilt():
        offer_feed_changed()  # outside a transaction: the version moves on at once
        return bench.client.get(url)

    bench.action("digikaart: open data, built anew (all current offers)", rebuilt)
    bench.page("digikaart: open data, from the cache", url)
    etag = bench.client.get(url)["ETag"]
    bench.page("digikaart: open data, 304 for its ETag", url, HTTP_IF_NONE_MATCH=etag)
