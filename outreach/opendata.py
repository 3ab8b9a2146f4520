"""The offer guide as open data (``/open-data/aanbod.json``).

The feed is public and unauthenticated, so it must stay cheap however often
it is asked for. It is built in three queries of plain values (the
offers with their provider, point and district; the topics' and the target
groups' slugs) and the built body is cached under a *version*: a random token that moves
on after every committed change to an offer or to what the feed shows of
one (its provider, point, district, topics, target groups). A request then
costs two cache reads and no query; the ETag is the version and the day, so
a client that has the current feed gets a 304.

Offer changes go through ``outreach.services`` (and the admin and the
spreadsheet import), which call ``offer_feed_changed()``. Partners, points,
districts, topics and target groups are edited in the admin or plain
model-form screens without a service, so signals move the version on for
those (``connect_feed_signals``)."""

import json
from datetime import date
from uuid import uuid4

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from digibank.cache import MISSING, cache_add, cache_delete, cache_get, cache_set
from outreach.models import Offer, OfferKind, Partner, language_codes
from outreach.prices import PRICE_FIELDS, offer_price
from outreach.schedules import SCHEDULE_FIELDS, next_occurrence
from points.models import postal_address

VERSION_KEY = "outreach:offer-feed:version"
# Old versions' bodies are never read again; they only need to expire.
BODY_SECONDS = 24 * 60 * 60
# How long a browser or proxy may reuse the feed without asking again; after
# that, a revalidation with the ETag costs the server no query.
MAX_AGE_SECONDS = 60


def offer_feed_changed() -> None:
    """Move the feed on to a new version once the current transaction commits.

    Call it in every write that changes an offer or what the feed shows of
    one. After the commit, not before: a request between the bump and the
    commit would otherwise cache the old data under the new version."""
    transaction.on_commit(_move_version_on)


def _move_version_on() -> None:
    if not cache_set(VERSION_KEY, uuid4().hex, None):
        # The cache is down: the version it holds when it comes back may
        # be older than this change. Have it forgotten at the first chance.
        cache_delete(VERSION_KEY)


def feed_version() -> str | None:
    """The current version; None while the cache cannot be read (then the
    feed is built for every request and has no ETag). A lost or evicted
    version becomes a new random one, so an old body can never be served
    under it."""
    version = cache_get(VERSION_KEY)
    if version is None:
        cache_add(VERSION_KEY, uuid4().hex, None)  # another process may win the race
        version = cache_get(VERSION_KEY)
    return None if version is MISSING or version is None else version


def feed_etag(request) -> str | None:
    """The version and the day: offers start and expire at midnight without a write."""
    version = feed_version()
    return None if version is None else f"{version}-{timezone.localdate():%Y%m%d}"


def feed_body(request) -> bytes:
    """The feed as JSON, from the cache or built and cached for this version,
    day and site (the offers' links are absolute)."""
    today = timezone.localdate()
    site = f"{request.scheme}://{request.get_host()}"
    version = feed_version()
    if version is None:
        return build_feed(request, today)
    key = f"outreach:offer-feed:{version}:{today:%Y%m%d}:{site}"
    body = cache_get(key)
    if body is None or body is MISSING:
        body = build_feed(request, today)
        cache_set(key, body, BODY_SECONDS)
    return body


def build_feed(request, today: date | None = None) -> bytes:
    """All offers current on ``today`` in three queries of plain values (no
    model objects: at a few thousand offers building them cost most of the
    time), written by the C JSON encoder (no indentation)."""
    today = today or timezone.localdate()
    current = Offer.objects.current(today)
    topics = _slugs_by_offer(Offer.topics, current.values("pk"))
    target_groups = _slugs_by_offer(Offer.target_groups, current.values("pk"))
    # One reverse() for all links: the detail URL differs only by the id.
    prefix, suffix = request.build_absolute_uri(
        reverse("outreach:offer-detail", args=[0])).rsplit("/0/", 1)
    data = {
        "generated_at": timezone.now().isoformat(), "license": "CC0-1.0",
        "offers": [
            _offer_as_data(row, f"{prefix}/{row['pk']}/{suffix}", topics.get(row["pk"], []),
                           target_groups.get(row["pk"], []), today)
            for row in current.values(*_FIELDS)
        ],
    }
    return json.dumps(data, ensure_ascii=False).encode()


_FIELDS = (
    "pk", "title", "description", "kind", "provider__name", "point__name", "point__street",
    "point__postcode", "point__city", "venue", "address", "district__slug", "is_online",
    "schedule", *SCHEDULE_FIELDS, *PRICE_FIELDS, "who_qualifies", "how_to_enrol",
    "what_to_bring", "languages", "accessibility", "contact_phone", "no_phone_reason",
    "contact_email",
    "website", "data_gb", "download_mbps", "proof_needed", "last_checked_on",
)


def _slugs_by_offer(relation, offers) -> dict[int, list[str]]:
    """``{offer id: [slug, ...]}`` for the many-to-many ``relation`` (a
    descriptor such as ``Offer.topics``) of ``offers``, in the related
    model's order, from its link table in one query."""
    field = relation.field
    target = field.m2m_reverse_field_name()
    ordering = [f"{target}__{name}" for name in field.related_model._meta.ordering]
    rows = (field.remote_field.through.objects.filter(offer__in=offers)
            .order_by("offer_id", *ordering).values_list("offer_id", f"{target}__slug"))
    slugs: dict[int, list[str]] = {}
    for offer_id, slug in rows:
        slugs.setdefault(offer_id, []).append(slug)
    return slugs


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _offer_as_data(row: dict, url: str, topics: list[str], target_groups: list[str],
                   today: date) -> dict:
    """One offer's values as the feed shows them; the same rules as the
    ``Offer`` properties (provider_name, place, full_address, language_codes)."""
    has_point = row["point__name"] is not None
    price = offer_price(**{name: row[name] for name in PRICE_FIELDS})
    return {
        "id": row["pk"], "url": url,
        "title": row["title"], "description": row["description"], "kind": row["kind"],
        "provider": row["provider__name"] or "Digibank", "topics": topics,
        "target_groups": target_groups,
        "place": row["point__name"] if has_point else row["venue"],
        "address": postal_address(row["point__street"], row["point__postcode"],
                                  row["point__city"])
        if has_point and not row["address"] else row["address"],
        "district": row["district__slug"], "online": row["is_online"],
        "when": row["schedule"], "next_date": _iso(next_occurrence(
            today=today, **{name: row[name] for name in SCHEDULE_FIELDS})),
        # The price model (outreach.prices); cost_eur is the one-off amount,
        # "0.00" when free and null when paid per month (never a false "free").
        "price": price.as_data(),
        "cost_eur": None if price.is_monthly else str(row["cost_eur"]),
        "cost_note": row["cost_note"],
        "who_qualifies": row["who_qualifies"], "how_to_enrol": row["how_to_enrol"],
        "what_to_bring": row["what_to_bring"], "languages": language_codes(row["languages"]),
        "accessibility": row["accessibility"], "phone": row["contact_phone"],
        "no_phone_reason": row["no_phone_reason"],
        "email": row["contact_email"], "website": row["website"],
        "internet": {"monthly_price_eur": str(price.amount) if price.is_monthly else None,
                     "data_gb": row["data_gb"], "download_mbps": row["download_mbps"],
                     "social_tariff": price.is_social_tariff,
                     "social_tariff_for": row["social_tariff_for"],
                     "proof_needed": row["proof_needed"]}
        if row["kind"] == OfferKind.INTERNET else None,
        "valid_until": _iso(row["valid_until"]),
        "last_checked_on": row["last_checked_on"].isoformat(),
    }


def _related_changed(sender, **kwargs) -> None:
    offer_feed_changed()


def connect_feed_signals() -> None:
    """Move the feed on when a model it shows part of is saved or deleted
    outside a service (the admin, the points' and topics' model forms)."""
    from digibank.models import District, TargetGroup
    from points.models import Point, QuestionTopic

    for model in (Partner, Point, District, QuestionTopic, TargetGroup):
        uid = f"offer-feed:{model._meta.label}"
        post_save.connect(_related_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_related_changed, sender=model, dispatch_uid=uid)
