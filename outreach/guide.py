"""Views of the digital offer guide (digikaart): the public guide at
/aanbod/ and its open data, and the screens where coordinators and partners
keep offers true. (The counter's panel of offers that fit the ticked topics
and the "where to go" slip are in counter/.)"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST, require_safe

from digibank.access import role_required
from outreach import hsds
from outreach.forms import HsdsPageForm, OfferFilterForm, OfferForm, typed_changes
from outreach.glossary import Glossary
from outreach.models import Offer, Partner
from outreach.opendata import MAX_AGE_SECONDS, feed_body, feed_etag
from outreach.search import attach_matching_words, offers_for
from outreach.services import OfferChanged, OfferError, check_offer, create_offer, update_offer

OWNER_ROLES = ("coordinator", "partner")


# --- the public guide ---


@login_not_required
def offer_list(request):
    form = OfferFilterForm(request.GET)
    offers = form.filter(Offer.objects.current()).select_related(
        "provider", "point", "district")
    page = Paginator(offers, 20).get_page(request.GET.get("page"))
    if form.search:
        page.object_list = attach_matching_words(list(page.object_list), form.search)
    template = "outreach/guide_list.html#results" if request.htmx else "outreach/guide_list.html"
    data = form.cleaned_data if form.is_valid() else {}
    filtered = any(value for name, value in data.items() if name != "zoek")
    return render(request, template, {
        "form": form, "page": page, "search": form.search, "filtered": filtered,
        "asked": filtered or bool(data.get("zoek", "").strip()),
        "nothing_to_search": bool(data.get("zoek", "").strip()) and form.search is None})


@login_not_required
def offer_detail(request, pk: int):
    try:
        offer = Offer.objects.current().with_relations().get(pk=pk)
    except Offer.DoesNotExist:
        return _ended_offer(request, pk)
    return render(request, "outreach/guide_detail.html", {
        "offer": offer, "glossary": Glossary.load()})


def _ended_offer(request, pk: int):
    """An offer that ended (a link from a flyer or a search engine): 410
    with what is similar and current, not a bare 404."""
    today = timezone.localdate()
    offer = Offer.objects.filter(pk=pk, is_published=True, valid_until__lt=today).first()
    if offer is None:
        raise Http404
    similar = (Offer.objects.current()
               .filter(Q(topics__in=offer.topics.all()) | Q(kind=offer.kind))
               .distinct().select_related("provider").order_by("title")[:5])
    return render(request, "outreach/guide_ended.html", {
        "offer": offer, "similar": similar}, status=410)


@login_not_required
@cache_control(public=True, max_age=MAX_AGE_SECONDS)
@condition(etag_func=feed_etag)
def open_data(request):
    """All current offers as JSON (see ``outreach.opendata``): served from the
    cache until an offer changes, 304 when the client has this version."""
    response = HttpResponse(feed_body(request), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Open Referral (HSDS 3.0): /open-data/hsds/ ---


# The API's own messages (errors, field reasons) are in English, for the
# machines and developers that read them; the offers' texts stay Dutch.


def _hsds(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    # Public, read-only, no credentials: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _not_found() -> JsonResponse:
    return _hsds({"detail": "Not found."}, status=404)


def _hsds_list(request, items_for, build):
    """A paged HSDS list: ``items_for(form)`` gives the items, ``build`` the
    data of one; 400 with the reasons for a query that is not valid."""
    with translation.override("en"):
        form = HsdsPageForm(request.GET)
        if not form.is_valid():
            return _hsds(form.errors_as_data(), status=400)
    data = form.cleaned_data
    return _hsds(hsds.page_data(items_for(data), data["page"] or 1,
                                data["per_page"] or hsds.PER_PAGE, build))


@login_not_required
@require_safe
def hsds_root(request):
    return _hsds({"version": hsds.HSDS_VERSION, "profile": hsds.PROFILE_URL,
                  "openapi_url": hsds.OPENAPI_URL})


@login_not_required
@require_safe
def hsds_services(request):
    def items(data):
        offers = Offer.objects.current().select_related("provider")
        if data["modified_after"]:
            offers = offers.filter(updated_at__gt=data["modified_after"])
        if data["organization_id"]:
            offers = offers.filter(provider__isnull=True) if (
                data["organization_id"] == hsds.digibank_organization_id()) else offers.filter(
                provider__uuid=data["organization_id"])
        if data["search"].strip():
            found, search = offers_for(offers, data["search"])
            if search:
                return found
        return offers.order_by("title", "pk")

    minimal = request.GET.get("minimal") == "true"
    return _hsds_list(request, items, lambda offer: hsds.service_data(
        offer, request, minimal=minimal))


@login_not_required
@require_safe
def hsds_service(request, id: str):
    id = _uuid(id)
    offer = id and hsds.published_offers().filter(uuid=id).first()
    return _not_found() if offer is None else _hsds(hsds.service_full(offer, request))


@login_not_required
@require_safe
def hsds_organizations(request):
    return _hsds_list(request, lambda data: hsds.organizations(request),
                      lambda partner: hsds.organization_data(partner, request))


@login_not_required
@require_safe
def hsds_organization(request, id: str):
    id = _uuid(id)
    if id is None:
        return _not_found()
    if id == hsds.digibank_organization_id():
        return _hsds(hsds.organization_full(None, request))
    partner = Partner.objects.filter(uuid=id, is_active=True).first()
    return _not_found() if partner is None else _hsds(hsds.organization_full(partner, request))


@login_not_required
@require_safe
def hsds_locations(request):
    return _hsds_list(request, lambda data: hsds.all_places(request), hsds.location_data)


@login_not_required
@require_safe
def hsds_location(request, id: str):
    id = _uuid(id)
    place = id and next((place for place in hsds.all_places(request) if place.id == id), None)
    return _not_found() if place is None else _hsds(hsds.location_data(place))


# --- keeping offers true: coordinators and partners ---


def get_offer_for_owner(user, pk: int) -> Offer:
    """An offer the user may edit; 404 for another organisation's offer."""
    try:
        return Offer.objects.for_owner(user).select_related("provider").get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404 from None


@role_required(*OWNER_ROLES)
def manage_list(request):
    # given_count: how often hosts sent people to it (GivenOffer at visits).
    offers = Offer.objects.for_owner(request.user).select_related(
        "provider", "last_checked_by").annotate(given_count=Count("given")).order_by(
        "title", "pk")
    to_check = request.GET.get("controle") == "1"
    if to_check:
        offers = offers.to_check().order_by("last_checked_on", "title")
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/offer_manage_list.html", {
        "page": page, "to_check": to_check, "today": timezone.localdate()})


@role_required(*OWNER_ROLES)
def offer_edit(request, pk: int | None = None):
    offer = get_offer_for_owner(request.user, pk) if pk else None
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = form.offer_data()
        if not request.user.has_role("coordinator"):
            data["provider"] = request.user.partner
        many = {"topics": form.cleaned_data["topics"],
                "target_groups": form.cleaned_data["target_groups"]}
        try:
            if offer is None:
                offer = create_offer(actor=request.user, data=data, **many)
            else:
                offer = update_offer(offer=offer, actor=request.user, data=data, **many,
                                     read_version=form.cleaned_data["version"])
        except OfferChanged as exc:
            # Show what is saved now, with the reason; the change is not made,
            # and what this user typed is listed so it can be entered again.
            offer = get_offer_for_owner(request.user, pk)
            typed, form = form, OfferForm(instance=offer, user=request.user)
            conflict = typed_changes(typed, form)
            messages.error(request, str(exc))
        except OfferError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Offer saved: %(title)s.") % {"title": offer.title})
            return redirect("outreach:offer-manage")
    events = offer.events.select_related("actor")[:20] if offer else []
    return render(request, "outreach/offer_form.html", {
        "form": form, "offer": offer, "events": events, "conflict": conflict})


@require_POST
@role_required(*OWNER_ROLES)
def offer_check(request, pk: int):
    offer = get_offer_for_owner(request.user, pk)
    try:
        check_offer(offer=offer, actor=request.user)
    except OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as checked today: %(title)s.") % {
            "title": offer.title})
    return redirect(f"{reverse('outreach:offer-manage')}?{request.GET.urlencode()}")
