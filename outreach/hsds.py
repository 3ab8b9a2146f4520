"""The offer guide in Open Referral's Human Services Data Specification
(HSDS 3.0), served under ``/open-data/hsds/`` (``outreach.guide``).

- A **service** is an offer: ``/services`` lists the current ones (paged,
  with ``search`` in residents' words and ``organization_id``), and
  ``/services/{id}`` shows one fully nested, also after it ended (then its
  status is ``inactive``) as long as it is published.
- An **organization** is a partner, or the digibank itself for the offers
  it makes (no provider).
- A **location** is a digibank point (with its address, coordinates and
  opening hours), a place where offers take place (address and, when
  known, coordinates), or "online" for an offer that is online or by phone.

Identifiers are UUIDs that never change: the ``uuid`` fields of offers and
partners, and for the rest a UUID derived (version 5) from the digibank's
name and what the record is: a point's number, a place's name and address,
or for a nested object (a phone, a schedule …) its service's id and its
kind. Texts are in Dutch, as on the guide. Page envelopes follow the HSDS
API reference (``total_items``, ``total_pages``, ``page_number``, ``size``,
``first_page``, ``last_page``, ``empty``, ``contents``)."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digibank.models import Language
from outreach.models import Offer, Partner, ScheduleFreq
from outreach.search import normalise

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/3.0/"
OPENAPI_URL = ("https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
               "openapi.json")
PER_PAGE = 50
MAX_PER_PAGE = 500
# A fixed namespace; with the digibank's name it makes the derived ids.
NAMESPACE = uuid.UUID("2f9e6a52-8d3c-4a57-9a4f-5b1d0c7e3a61")

# Belgian postcodes by province (HSDS addresses need a state_province).
PROVINCES = [
    (1000, 1299, "Brussels Hoofdstedelijk Gewest"), (1300, 1499, "Waals-Brabant"),
    (1500, 1999, "Vlaams-Brabant"), (2000, 2999, "Antwerpen"), (3000, 3499, "Vlaams-Brabant"),
    (3500, 3999, "Limburg"), (4000, 4999, "Luik"), (5000, 5999, "Namen"),
    (6000, 6599, "Henegouwen"), (6600, 6999, "Luxemburg"), (7000, 7999, "Henegouwen"),
    (8000, 8999, "West-Vlaanderen"), (9000, 9999, "Oost-Vlaanderen"),
]
_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{4})\s+(?P<city>.+)$")


def _namespace() -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, settings.DIGIBANK_NAME)


def digibank_organization_id() -> uuid.UUID:
    return uuid.uuid5(_namespace(), "organization/digibank")


def point_location_id(point_pk: int) -> uuid.UUID:
    return uuid.uuid5(_namespace(), f"location/point/{point_pk}")


def place_location_id(venue: str, address: str) -> uuid.UUID:
    return uuid.uuid5(_namespace(), f"location/place/{normalise(venue)}|{normalise(address)}")


def online_location_id(offer_uuid: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(offer_uuid, "location/online")


def _child(parent: uuid.UUID, name: str) -> str:
    """The id of a nested object (a phone, a schedule …) of ``parent``."""
    return str(uuid.uuid5(parent, name))


def province(postcode: str) -> str:
    if postcode.isdigit():
        number = int(postcode)
        for low, high, name in PROVINCES:
            if low <= number <= high:
                return name
    return ""


def _compact(data: dict) -> dict:
    """Leave out what is unknown: HSDS types do not allow null (an empty
    description stays: an organization must have one)."""
    return {key: value for key, value in data.items()
            if value is not None and (value != "" or key == "description")}


# --- locations ---


@dataclass
class Place:
    """A location: a point, a place where offers are held, or online."""

    id: uuid.UUID
    kind: str  # "point", "place" or "online"
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    description: str = ""
    transportation: str = ""
    url: str = ""
    schedules: list = field(default_factory=list)


def _coordinate(value) -> float | None:
    return None if value is None else float(value)


def point_place(point, request) -> Place:
    return Place(
        id=point_location_id(point.pk), kind="point", name=point.name, street=point.street,
        postcode=point.postcode, city=point.city, latitude=_coordinate(point.latitude),
        longitude=_coordinate(point.longitude), description=point.description,
        url=request.build_absolute_uri(reverse("points:detail", kwargs={"slug": point.slug})),
        schedules=list(getattr(point, "hsds_periods", [])),
    )


def offer_places(offer: Offer, request) -> list[Place]:
    """Where an offer is: its point, or its own place, and online. A mobile
    point is no location (see ``all_places``)."""
    point = point_place(offer.point, request) if offer.point_id and (
        not offer.point.is_mobile) else None
    return _places(request, point=point, **{name: getattr(offer, name) for name in _PLACE})


# The offer fields that say where it is.
_PLACE = ("pk", "uuid", "title", "venue", "address", "latitude", "longitude",
          "how_to_get_there", "is_online", "website")


def _places(request, *, point: Place | None, pk, uuid, title, venue, address, latitude,
            longitude, how_to_get_there, is_online, website) -> list[Place]:
    places = []
    if point is not None:
        places.append(point)
    elif address or venue:
        match = _ADDRESS.match(address.strip())
        parts = match.groupdict() if match else {"street": address, "postcode": "", "city": ""}
        places.append(Place(
            id=place_location_id(venue, address), kind="place", name=venue or address,
            street=parts["street"], postcode=parts["postcode"], city=parts["city"],
            latitude=_coordinate(latitude), longitude=_coordinate(longitude),
            transportation=how_to_get_there))
    if is_online:
        places.append(Place(
            id=online_location_id(uuid), kind="online", name=_("Online or by phone"),
            description=title, url=website or request.build_absolute_uri(
                reverse("outreach:offer-detail", args=[pk]))))
    return places


def location_data(place: Place) -> dict:
    data = _compact({
        "id": str(place.id),
        "location_type": "virtual" if place.kind == "online" else "physical",
        "url": place.url, "name": place.name, "description": place.description,
        "transportation": place.transportation, "latitude": place.latitude,
        "longitude": place.longitude,
    })
    if place.kind != "online":
        data["addresses"] = [{
            "id": _child(place.id, "address"), "location_id": str(place.id),
            "address_1": place.street, "city": place.city,
            "state_province": province(place.postcode), "postal_code": place.postcode,
            "country": "BE", "address_type": "physical",
        }]
    if place.schedules:
        data["schedules"] = [_compact({
            "id": _child(place.id, f"opening/{period.pk}"), "location_id": str(place.id),
            "freq": "WEEKLY", "wkst": "MO", "interval": 1,
            "byday": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][period.weekday],
            "opens_at": period.opens.strftime("%H:%M"),
            "closes_at": period.closes.strftime("%H:%M"),
            "valid_from": _iso(period.valid_from), "valid_to": _iso(period.valid_until),
        }) for period in place.schedules]
    return data


def all_places(request, today: date | None = None) -> list[Place]:
    """Every location: the active points, then the places and online
    presences of the current offers, each once, in a stable order."""
    from points.models import OpeningPeriod, Point

    today = today or timezone.localdate()
    offers = Offer.objects.current(today).order_by("title", "pk")
    points = Point.objects.filter(Q(is_active=True) | Q(pk__in=offers.values("point")))
    periods: dict[int, list] = {}
    for period in OpeningPeriod.objects.valid_on(today).filter(point__in=points):
        periods.setdefault(period.point_id, []).append(period)
    places: dict[uuid.UUID, Place] = {}
    by_point: dict[int, Place] = {}
    for point in points.order_by("-is_active", "name", "pk"):
        if point.is_mobile:
            # A mobile point moves from stop to stop: it has no address or
            # coordinates of its own, so it is left out of the locations
            # rather than shown at a wrong place. Its stops are in the
            # points' own open data (its page's JSON-LD and its iCal feed).
            continue
        point.hsds_periods = periods.get(point.pk, [])
        by_point[point.pk] = point_place(point, request)
        if point.is_active:
            places[by_point[point.pk].id] = by_point[point.pk]
    # Plain values, not model objects: thousands of offers share a few places.
    for row in offers.values("point_id", *_PLACE):
        point = by_point.get(row.pop("point_id"))
        for place in _places(request, point=point, **row):
            places.setdefault(place.id, place)
    return list(places.values())


# --- organizations ---


def _kind_label(partner: Partner) -> str:
    return str(partner.get_kind_display())


def organization_data(partner: Partner | None, request) -> dict:
    """The one-to-one fields of an organization (``organization_list``)."""
    if partner is None:
        return _compact({
            "id": str(digibank_organization_id()), "name": settings.DIGIBANK_NAME,
            "description": _("The city's digibank: help with everything digital, "
                             "trainings and devices to borrow."),
            "email": settings.CONTACT_EMAIL, "website": request.build_absolute_uri("/"),
            "phones": _organization_phones(None),
        })
    return _compact({
        "id": str(partner.uuid), "name": partner.name, "description": _kind_label(partner),
        "email": partner.email, "website": partner.website,
        "phones": _organization_phones(partner),
    })


def _organization_phones(partner: Partner | None) -> list[dict]:
    phone = settings.CONTACT_PHONE if partner is None else partner.phone
    if not phone:
        return []
    org_id = digibank_organization_id() if partner is None else partner.uuid
    return [{"id": _child(org_id, "phone"), "organization_id": str(org_id), "number": phone,
             "type": "voice"}]


def organization_full(partner: Partner | None, request) -> dict:
    """An organization with its phones, its current services (their
    one-to-one fields) and the locations of those services."""
    data = organization_data(partner, request)
    offers = Offer.objects.current().select_related("provider", "point").order_by("title", "pk")
    offers = offers.filter(provider__isnull=True) if partner is None else offers.filter(
        provider=partner)
    offers = list(offers)
    data["services"] = [service_data(offer, request) for offer in offers]
    places = {}
    for offer in offers:
        for place in offer_places(offer, request):
            places.setdefault(place.id, place)
    data["locations"] = [location_data(place) for place in places.values()]
    return data


def organizations(request) -> list[Partner | None]:
    """The digibank first (None), then the active partners."""
    return [None, *Partner.objects.filter(is_active=True).order_by("name", "pk")]


# --- services ---


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def service_status(offer: Offer, today: date | None = None) -> str:
    """``active`` while current, ``inactive`` before or after its dates."""
    today = today or timezone.localdate()
    if (offer.valid_from and offer.valid_from > today) or (
            offer.valid_until and offer.valid_until < today):
        return "inactive"
    return "active"


def _eligibility(offer: Offer) -> str:
    lines = [offer.who_qualifies.strip()]
    groups = [group.name for group in offer.target_groups.all()]
    if groups:
        lines.append(_("For: %(groups)s.") % {"groups": ", ".join(groups)})
    if offer.price.is_social_tariff:
        lines.append(_("Social tariff: %(conditions)s") % {
            "conditions": offer.social_tariff_for.strip()})
    return "\n".join(line for line in lines if line)


def _fees(offer: Offer) -> str:
    price = offer.price
    return f"{price} ({offer.cost_note})" if offer.cost_note else str(price)


def service_data(offer: Offer, request, minimal: bool = False) -> dict:
    """The one-to-one fields of a service (``service_list``), with its
    organization's unless ``minimal``. Needs ``provider`` selected."""
    with translation.override("nl"):
        data = _compact({
            "id": str(offer.uuid),
            "organization_id": organization_data(offer.provider, request)["id"],
            "name": offer.title, "description": offer.description,
            "url": request.build_absolute_uri(
                reverse("outreach:offer-detail", args=[offer.pk])),
            "email": offer.contact_email, "status": service_status(offer),
            "application_process": offer.how_to_enrol, "fees_description": _fees(offer),
            "assured_date": offer.last_checked_on.isoformat(),
            "last_modified": offer.updated_at.isoformat(),
            "organization": organization_data(offer.provider, request),
        })
        if minimal:
            del data["organization"]
        return data


def service_full(offer: Offer, request) -> dict:
    """A service with everything HSDS nests in it. Needs ``provider``,
    ``point`` and ``target_groups``."""
    with translation.override("nl"):
        data = service_data(offer, request)
        data["eligibility_description"] = _eligibility(offer)
        service_id = data["id"]
        data["phones"] = [{"id": _child(offer.uuid, "phone"), "service_id": service_id,
                           "number": offer.contact_phone, "type": "voice"}
                          ] if offer.contact_phone else []
        data["schedules"] = _schedules(offer)
        data["languages"] = [_compact({
            "id": _child(offer.uuid, f"language/{code}"), "service_id": service_id,
            "name": str(dict(Language.choices).get(code, code)), "code": code,
        }) for code in offer.language_codes]
        data["cost_options"] = [_cost_option(offer)]
        data["required_documents"] = [
            {"id": _child(offer.uuid, f"document/{name}"), "service_id": service_id,
             "document": text}
            for name, text in (("bring", offer.what_to_bring), ("proof", offer.proof_needed))
            if text]
        data["service_at_locations"] = [{
            "id": _child(offer.uuid, f"at/{place.id}"), "service_id": service_id,
            "location_id": str(place.id), "location": location_data(place),
        } for place in offer_places(offer, request)]
    return data


def _schedules(offer: Offer) -> list[dict]:
    """The offer's schedule as an RRULE (freq, byday, hours), described in
    words by its "when"; only the words when it has no structured one."""
    if not (offer.schedule_freq or offer.schedule):
        return []
    data = {"id": _child(offer.uuid, "schedule"), "service_id": str(offer.uuid),
            "description": offer.schedule or _rrule_words(offer),
            "valid_from": _iso(offer.valid_from), "valid_to": _iso(offer.valid_until)}
    if offer.schedule_freq:
        data.update({
            "freq": offer.schedule_freq, "interval": offer.schedule_interval, "wkst": "MO",
            "byday": offer.rrule_byday,
            "opens_at": offer.opens_at.strftime("%H:%M") if offer.opens_at else None,
            "closes_at": offer.closes_at.strftime("%H:%M") if offer.closes_at else None,
            # The limits of the rule: a season, a course's first lesson and
            # number of lessons (outreach.schedules reads the same fields).
            "dtstart": _iso(offer.schedule_starts), "count": offer.schedule_count,
            "until": _iso(offer.schedule_ends) if not offer.schedule_count else None,
        })
        data["valid_from"] = _iso(_later(offer.schedule_starts, offer.valid_from))
        data["valid_to"] = _iso(_earlier(offer.schedule_ends, offer.valid_until))
    return [_compact(data)]


def _rrule_words(offer: Offer) -> str:
    return offer.schedule_in_words or str(ScheduleFreq(offer.schedule_freq).label)


def _later(*days):
    known = [day for day in days if day]
    return max(known) if known else None


def _earlier(*days):
    known = [day for day in days if day]
    return min(known) if known else None


def _cost_option(offer: Offer) -> dict:
    """The offer's one price (outreach.prices) as an HSDS cost option."""
    price = offer.price
    if price.is_social_tariff:
        option = _("Social tariff for: %(conditions)s") % {"conditions": price.conditions}
    else:
        option = str(offer.get_price_kind_display())
    return _compact({
        "id": _child(offer.uuid, "cost"), "service_id": str(offer.uuid), "option": option,
        "currency": "EUR", "amount": 0.0 if price.amount is None else float(price.amount),
        "amount_description": _fees(offer),
    })


def published_offers():
    """Offers the API shows one by one: published ones, current or not."""
    return Offer.objects.filter(is_published=True).select_related(
        "provider", "point").prefetch_related("target_groups")


# --- pages ---


def page_data(items: list | object, number: int, per_page: int, build) -> dict:
    """One page of ``items`` (a list or a queryset) in HSDS's envelope, each
    item turned into data by ``build``."""
    paginator = Paginator(items, per_page)
    total = paginator.count
    pages = paginator.num_pages if total else 0
    start = (number - 1) * per_page
    contents = [build(item) for item in items[start:start + per_page]] if number >= 1 else []
    return {
        "total_items": total, "total_pages": pages, "page_number": number,
        "size": len(contents), "first_page": number == 1,
        "last_page": number >= pages, "empty": not contents, "contents": contents,
    }
