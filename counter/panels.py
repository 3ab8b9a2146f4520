"""The panels the counter opens for its visits: the digital offer guide's
(digikaart) offers that fit the ticked topics, the "where to go" slip, and
the quick enrolment in a training. They compose the domain apps: offers and
the slip's sending from outreach/, sessions and enrolments from trainings/."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counter.forms import CounterOffersForm, EnrolForm, GivenOffersForm, InterestForm
from digibank.access import role_required
from digibank.models import Resident
from outreach.forms import OfferSearchForm
from outreach.models import Offer
from outreach.search import attach_matching_words, offers_for
from outreach.services import OfferError, send_offer_slip
from points.models import Point, Visit
from points.views import get_visit_for_user
from points.workspace import current_point
from trainings import services as training_services
from trainings.forms import ResidentPickForm
from trainings.models import (
    Course,
    EnrolmentChannel,
    EnrolmentStatus,
    InterestEntry,
    Nearness,
    RunEnrolment,
    RunEnrolmentStatus,
    Session,
    SessionStatus,
    may_handle_participants,
)
from trainings.services import TrainingError

COUNTER_ROLES = ("host", "coach", "coordinator")
PANEL_SIZE = 6
OTHERS_SIZE = 20


# --- the digikaart panel and the slip ---


def _first(offers, show_all: bool) -> tuple[list, int]:
    """The panel's offers: the first PANEL_SIZE (or all, up to 200, when
    the host asked for all) and how many there are in all."""
    shown = list(offers[:200 if show_all else PANEL_SIZE])
    total = len(shown) if len(shown) < PANEL_SIZE or show_all else offers.count()
    return shown, total


def _matching(topics, point, given: dict | None = None, text: str = "",
              show_all: bool = False) -> dict:
    """The digibank's own upcoming trainings with free places for ``topics``
    (soonest first), then partners' and other offers (nearest, soonest), or,
    when the host searched the guide (``text``), the offers that best match
    the visitor's words, with the words they matched (outreach.search, the
    public guide's search).

    ``given`` (the host's ticks, from ``GivenOffersForm.given()``) stay in
    the panel, ticked and first, whatever the topics: a choice the host made
    is never dropped because a topic was unticked or a session filled up.
    The panel says how many offers there are when it shows only the first
    ones ("6 of 14 · show all"); ``show_all`` lists them all."""
    given = given or {"sessions": [], "offers": []}
    ticked_sessions = list(Session.objects.filter(pk__in=[s.pk for s in given["sessions"]])
                           .with_counts().with_place().order_by("starts_at"))
    ticked_offers = list(Offer.objects.filter(pk__in=[o.pk for o in given["offers"]])
                         .select_related("provider", "point").order_by("title"))
    sessions, offers, total = [], [], 0
    if topics:
        courses = Course.objects.filter(topics__in=topics, provider__isnull=True,
                                        is_active=True)
        sessions = (Session.objects.planned().upcoming().filter(course__in=courses)
                    .exclude(pk__in=[s.pk for s in ticked_sessions])
                    .with_counts().filter(seats_taken__lt=F("capacity")).with_place()
                    .order_by("starts_at")[:PANEL_SIZE])
        offers, total = _first(
            Offer.objects.current()
            .filter(pk__in=Offer.objects.filter(topics__in=topics).values("pk"))
            .exclude(pk__in=[o.pk for o in ticked_offers])
            .nearest_first(point.district if point else None)
            .select_related("provider", "point"), show_all)
    search = None
    if text:
        found, search = offers_for(
            Offer.objects.current().exclude(pk__in=[o.pk for o in ticked_offers]), text)
        offers, total = _first(found.select_related("provider", "point"), show_all)
        offers = attach_matching_words(offers, search)
    return {"sessions": [*ticked_sessions, *sessions], "offers": [*ticked_offers, *offers],
            "topics": topics, "ticked_sessions": {s.pk for s in ticked_sessions},
            "ticked_offers": {o.pk for o in ticked_offers},
            # "offer_": the counter's page has a resident search of its own.
            "offer_search": search, "offer_query": text,
            "offers_shown": len(offers), "offers_total": total}


def offer_panel_context(request, data) -> dict:
    """The counter's offer panel for the topics and ticks in ``data`` (the
    query of a panel refresh, or the visit form posted back with errors)."""
    form = CounterOffersForm(data)
    topics = list(form.cleaned_data["topics"]) if form.is_valid() else []
    return _matching(topics, current_point(request), GivenOffersForm(data).given(),
                     OfferSearchForm(data).text(), show_all=data.get("alle") == "1")


@role_required(*COUNTER_ROLES)
def counter_offers(request):
    context = offer_panel_context(request, request.GET)
    template = "counter/_offer_panel.html#panel" if request.htmx else (
        "counter/counter_offers.html")
    return render(request, template, context)


def _slip_template(request) -> str:
    """The slip alone for the counter's slip dialog (htmx), else the page."""
    return "counter/slip.html#slip" if request.htmx else "counter/slip.html"


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
        return render(request, "counter/slip.html#slip", _visit_slip_context(visit))
    return redirect("counter:visit-slip", pk=visit.pk)


# --- the quick enrolment in a training ---


def _visit_for_user(user, pk: str) -> Visit | None:
    if not pk.isdigit():
        return None
    return (Visit.objects.filter(point__in=Point.objects.for_staff(user))
            .select_related("point__district").prefetch_related("topics")
            .filter(pk=int(pk)).first())


def _safe_back(request) -> str:
    back = request.GET.get("terug", "")
    return back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else ""


def _grouped(sessions: list, point: Point | None) -> list[tuple]:
    """``(Nearness, sessions)`` for each group that has sessions, in the
    order the counter offers them: here, nearby, online, farther."""
    groups: dict[Nearness, list] = {}
    for session in sessions:
        groups.setdefault(session.nearness_to(point), []).append(session)
    return [(nearness, groups[nearness]) for nearness in Nearness if nearness in groups]


def _quick_enrol_sessions(resident: Resident | None, topics, chosen: str, point: Point | None,
                          everywhere: bool = False):
    """Upcoming sessions (a series once, by its next date): the ones for the
    visit's topics (or the chosen session) first, then the others; each
    list at this point first, then nearby, then online (``Nearness``),
    those with free places before full ones, soonest first. Farther ones
    only when the host asks (``everywhere``), or the one chosen."""
    keep = int(chosen) if chosen.isdigit() else None
    upcoming = list(Session.objects.planned().upcoming().first_of_each_run(keep=keep)
                    .with_place().select_related("point__district").with_counts()
                    .with_run_free_places().with_run_position()
                    .prefetch_related("course__topics").order_by("starts_at", "pk")[:200])

    def order(session):
        return (session.nearness_to(point), not session.places_left, session.starts_at,
                session.pk)

    def shown(session):
        return (everywhere or str(session.pk) == chosen
                or session.nearness_to(point) < Nearness.FARTHER)

    topic_ids = {topic.pk for topic in topics}
    suggested = sorted((s for s in upcoming if shown(s) and (
        str(s.pk) == chosen or topic_ids & {t.pk for t in s.course.topics.all()})), key=order)
    others = sorted((s for s in upcoming if s not in suggested and shown(s)), key=order)
    return suggested, others[:OTHERS_SIZE]


@role_required(*COUNTER_ROLES)
def quick_enrol(request):
    pick = ResidentPickForm(request.GET)
    pick.is_valid()
    resident = pick.cleaned_data.get("inwoner") if not pick.errors else None
    visit = _visit_for_user(request.user, request.GET.get("bezoek", ""))
    if resident is None and visit is not None and visit.resident_id:
        resident = visit.resident
    query = (pick.cleaned_data.get("q") or "").strip()
    found = Resident.objects.search(query)[:10] if resident is None and len(query) >= 2 else []
    if request.method == "POST" and resident is not None:
        return _quick_enrol_post(request, resident)
    topics = list(visit.topics.all()) if visit else []
    chosen = request.GET.get("sessie", "")
    everywhere = request.GET.get("alle") == "1"
    # "This point" is the visit's point (a host working at several points
    # may have another one chosen as current).
    point = visit.point if visit is not None else current_point(request)
    suggested, others = _quick_enrol_sessions(resident, topics, chosen, point, everywhere)
    # A session chosen from its page that is no longer open: say why it is not offered.
    closed = None
    if chosen.isdigit() and not any(str(s.pk) == chosen for s in suggested):
        closed = Session.objects.select_related("course").filter(pk=int(chosen)).first()
    current, series = [], []
    if resident is not None:
        current = list(resident.enrolments.active().filter(
            session__starts_at__gte=timezone.now(), session__status=SessionStatus.PLANNED,
            run_enrolment__isnull=True,
        ).select_related("session__course", "session__point", "session__venue", "point")
            .order_by("session__starts_at"))
        series = _current_series(resident)
    template = "counter/quick_enrol.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, {
        "pick": pick, "resident": resident, "visit": visit, "topics": topics, "query": query,
        "found": found, "suggested": suggested, "others": others, "current": current,
        "suggested_groups": _grouped(suggested, point), "other_groups": _grouped(others, point),
        "closed": closed, "everywhere": everywhere,
        # Point to the walk-in control only when the session page shows it.
        "closed_walk_ins": closed is not None and closed.walk_ins_open()
        and closed.can_take_attendance(request.user),
        "series": series,
        "taken": {enrolment.session_id for enrolment in current},
        "taken_runs": {run_enrolment.run_id for run_enrolment, _first in series},
        "cancellable": {e.pk for e in current if e.can_be_cancelled_by(request.user)},
        "cancellable_series": {run_enrolment.pk for run_enrolment, first in series
                               if may_handle_participants(request.user, first, cancelling=True,
                                                          enrolment=run_enrolment)},
        "interest_form": InterestForm(initial={"point": current_point(request)}),
        # Its own heading only where the panel sits in another page (the
        # counter's follow-up slot), not when it refreshes itself in place.
        "embedded": bool(request.htmx) and urlsplit(request.htmx.current_url or "").path
        != reverse("counter:quick-enrol"),
        "back": _safe_back(request), "keep": request.GET.urlencode(),
    })


def _current_series(resident: Resident) -> list[tuple]:
    """The resident's series enrolments (or waiting-list places) with a
    session still to come, each with its next session."""
    run_enrolments = list(resident.run_enrolments.active().select_related("run__course", "point")
                          .order_by("pk"))
    upcoming = {}
    for session in (Session.objects.planned().upcoming()
                    .filter(run__in=[e.run_id for e in run_enrolments])
                    .with_place().order_by("-starts_at")):
        upcoming[session.run_id] = session  # the earliest wins
    return sorted(((e, upcoming[e.run_id]) for e in run_enrolments if e.run_id in upcoming),
                  key=lambda pair: pair[1].starts_at)


def _quick_enrol_post(request, resident: Resident):
    here = f"{reverse('counter:quick-enrol')}?{request.GET.urlencode()}"
    if request.POST.get("action") == "interest":
        form = InterestForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a training or a topic."))
            return redirect(here)
        action = lambda: training_services.register_interest(  # noqa: E731
            actor=request.user, resident=resident, **form.cleaned_data)
    else:
        form = EnrolForm({"resident": resident.pk, "session": request.POST.get("session"),
                          "alone": request.POST.get("alone")})
        if not form.is_valid():
            messages.error(request, _("Choose a session."))
            return redirect(here)
        action = lambda: training_services.enrol_in_session_or_run(  # noqa: E731
            actor=request.user, session=form.cleaned_data["session"], resident=resident,
            alone=form.cleaned_data["alone"], channel=_channel_for(request.user),
            point=current_point(request))
    try:
        result = action()
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _quick_enrol_message(resident, result))
    return redirect(here)


def _channel_for(user) -> str:
    # Hosts enrol at the counter; a coach (who is not also a host) enrols
    # their own participants.
    if user.has_role("coach") and not user.has_role("host"):
        return EnrolmentChannel.COACH
    return EnrolmentChannel.COUNTER


def _quick_enrol_message(resident: Resident, result) -> str:
    if isinstance(result, InterestEntry):
        return _("%(name)s is on the interest list for %(course)s.") % {
            "name": resident, "course": result.course or result.topic}
    if isinstance(result, RunEnrolment):
        if result.status == RunEnrolmentStatus.WAITING:
            return _("The series is full: %(name)s is on the waiting list of %(run)s.") % {
                "name": resident, "run": result.run}
        return _("%(name)s is enrolled in every session of %(run)s.") % {
            "name": resident, "run": result.run}
    if result.status == EnrolmentStatus.WAITING:
        return _("The session is full: %(name)s is on the waiting list of %(session)s.") % {
            "name": resident, "session": result.session}
    return _("%(name)s is enrolled in %(session)s.") % {
        "name": resident, "session": result.session}


def quick_enrol_url(*, resident: Resident | None = None, visit: Visit | None = None,
                    back: str = "") -> str:
    """The URL the counter links to for its "training proposed" outcome."""
    params = {}
    if resident is not None:
        params["inwoner"] = resident.pk
    if visit is not None:
        params["bezoek"] = visit.pk
    if back:
        params["terug"] = back
    return f"{reverse('counter:quick-enrol')}?{urlencode(params)}"
