"""Views of the digital offer guide (digikaart): the public guide at
/aanbod/ and its open data, the panel at the counter that shows what fits
the ticked topics, the "where to go" slip, and the screens where
coordinators and partners keep offers true."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST

from digibank.access import role_required
from outreach.forms import CounterOffersForm, GivenOffersForm, OfferFilterForm, OfferForm
from outreach.models import Offer
from outreach.opendata import MAX_AGE_SECONDS, feed_body, feed_etag
from outreach.services import OfferError, check_offer, create_offer, send_offer_slip, update_offer
from points.views import get_visit_for_user
from points.workspace import current_point
from trainings.models import Course, Session

COUNTER_ROLES = ("host", "coach", "coordinator")
OWNER_ROLES = ("coordinator", "partner")
PANEL_SIZE = 6


# --- the public guide ---


@login_not_required
def offer_list(request):
    form = OfferFilterForm(request.GET)
    offers = form.filter(Offer.objects.current()).select_related(
        "provider", "point", "district")
    page = Paginator(offers, 20).get_page(request.GET.get("page"))
    template = "outreach/guide_list.html#results" if request.htmx else "outreach/guide_list.html"
    return render(request, template, {"form": form, "page": page})


@login_not_required
def offer_detail(request, pk: int):
    try:
        offer = Offer.objects.current().with_relations().get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404 from None
    return render(request, "outreach/guide_detail.html", {"offer": offer})


@login_not_required
@cache_control(public=True, max_age=MAX_AGE_SECONDS)
@condition(etag_func=feed_etag)
def open_data(request):
    """All current offers as JSON (see ``outreach.opendata``): served from the
    cache until an offer changes, 304 when the client has this version."""
    return HttpResponse(feed_body(request), content_type="application/json")


# --- at the counter ---


def _matching(topics, point, given: dict | None = None) -> dict:
    """The digibank's own upcoming trainings with free places for ``topics``
    (soonest first), then partners' and other offers (nearest, soonest).

    ``given`` (the host's ticks, from ``GivenOffersForm.given()``) stay in
    the panel, ticked and first, whatever the topics: a choice the host made
    is never dropped because a topic was unticked or a session filled up."""
    given = given or {"sessions": [], "offers": []}
    ticked_sessions = list(Session.objects.filter(pk__in=[s.pk for s in given["sessions"]])
                           .with_counts().with_place().order_by("starts_at"))
    ticked_offers = list(Offer.objects.filter(pk__in=[o.pk for o in given["offers"]])
                         .select_related("provider", "point").order_by("title"))
    sessions, offers = [], []
    if topics:
        courses = Course.objects.filter(topics__in=topics, provider__isnull=True,
                                        is_active=True)
        sessions = (Session.objects.planned().upcoming().filter(course__in=courses)
                    .exclude(pk__in=[s.pk for s in ticked_sessions])
                    .with_counts().filter(seats_taken__lt=F("capacity")).with_place()
                    .order_by("starts_at")[:PANEL_SIZE])
        offers = (Offer.objects.current()
                  .filter(pk__in=Offer.objects.filter(topics__in=topics).values("pk"))
                  .exclude(pk__in=[o.pk for o in ticked_offers])
                  .nearest_first(point.district if point else None)
                  .select_related("provider", "point")[:PANEL_SIZE])
    return {"sessions": [*ticked_sessions, *sessions], "offers": [*ticked_offers, *offers],
            "topics": topics, "ticked_sessions": {s.pk for s in ticked_sessions},
            "ticked_offers": {o.pk for o in ticked_offers}}


def offer_panel_context(request, data) -> dict:
    """The counter's offer panel for the topics and ticks in ``data`` (the
    query of a panel refresh, or the visit form posted back with errors)."""
    form = CounterOffersForm(data)
    topics = list(form.cleaned_data["topics"]) if form.is_valid() else []
    return _matching(topics, current_point(request), GivenOffersForm(data).given())


@role_required(*COUNTER_ROLES)
def counter_offers(request):
    context = offer_panel_context(request, request.GET)
    template = "outreach/_offer_panel.html#panel" if request.htmx else (
        "outreach/counter_offers.html")
    return render(request, template, context)


def _slip_template(request) -> str:
    """The slip alone for the counter's slip dialog (htmx), else the page."""
    return "outreach/slip.html#slip" if request.htmx else "outreach/slip.html"


@role_required(*COUNTER_ROLES)
def offer_slip(request):
    """The printable "where to go" slip for the ticked offers and sessions
    (GET from a link or the counter's slip dialog, or POST from the
    counter's visit form)."""
    form = GivenOffersForm(request.POST if request.method == "POST" else request.GET)
    given = form.given()
    sessions = Session.objects.filter(pk__in=[s.pk for s in given["sessions"]]).with_place()
    offers = Offer.objects.filter(pk__in=[o.pk for o in given["offers"]]).select_related(
        "provider", "point")
    return render(request, _slip_template(request), {"sessions": sessions, "offers": offers})


def _visit_slip_context(visit) -> dict:
    given = list(visit.given_offers.select_related(
        "offer__provider", "offer__point", "session__course", "session__point",
        "session__venue"))
    return {"visit": visit, "offers": [g.offer for g in given if g.offer_id],
            "sessions": [g.session for g in given if g.session_id]}


@role_required(*COUNTER_ROLES)
def visit_slip(request, pk: int):
    visit = get_visit_for_user(request.user, pk)
    return render(request, _slip_template(request), _visit_slip_context(visit))


@require_POST
@role_required(*COUNTER_ROLES)
def visit_slip_send(request, pk: int):
    visit = get_visit_for_user(request.user, pk)
    try:
        sent = send_offer_slip(visit=visit, actor=request.user)
    except OfferError as exc:
        messages.error(request, str(exc))
    else:
        if sent:
            messages.success(request, _("The slip was sent (or put on the call list)."))
        else:
            messages.info(request, _("This slip was already sent."))
    if request.htmx:
        return render(request, "outreach/slip.html#slip", _visit_slip_context(visit))
    return redirect("outreach:visit-slip", pk=visit.pk)


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
        offers = offers.not_checked_since().order_by("last_checked_on", "title")
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/offer_manage_list.html", {
        "page": page, "to_check": to_check, "today": timezone.localdate()})


@role_required(*OWNER_ROLES)
def offer_edit(request, pk: int | None = None):
    offer = get_offer_for_owner(request.user, pk) if pk else None
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
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
                offer = update_offer(offer=offer, actor=request.user, data=data, **many)
        except OfferError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Offer saved: %(title)s.") % {"title": offer.title})
            return redirect("outreach:offer-manage")
    events = offer.events.select_related("actor")[:20] if offer else []
    return render(request, "outreach/offer_form.html", {
        "form": form, "offer": offer, "events": events})


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
