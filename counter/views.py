"""The counter and the coach queue: the host registers visitors and serves
the queue, the coach takes over handed-off visits. The views call the visit
services of points/; the offer panel comes from counter.panels."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counter.forms import (
    CancelVisitForm,
    CorrectVisitForm,
    FinishVisitForm,
    GivenOffersForm,
    HandOverForm,
    ResidentSearchForm,
    VisitForm,
    is_submit_key,
)
from counter.panels import offer_panel_context
from digibank.access import role_required
from digibank.models import AuditAction, Resident
from digibank.services import record_audit
from outreach.services import record_offers_given
from points.models import Point, QuestionTopic, Visit, VisitOutcome, VisitStatus, cancellation_of
from points.services import (
    VisitError,
    cancel_visit,
    correct_visit,
    finish_visit,
    hand_over_to_coach,
    mark_visit_left,
    register_visit,
    take_back_from_coach,
    take_over_visit,
    take_visit,
    undo_left,
)
from points.views import get_visit_for_user
from points.workspace import current_point

COUNTER_ROLES = ("host", "coach", "coordinator")
COACH_ROLES = ("coach", "coordinator")
COACH_FINISHED_SHOWN = 20
CLOSED_IN_SIGHT = 3


# Finished visits shown at a time: the queue's cost must not grow with the day.
FINISHED_PER_PAGE = 10

# The addresses of a visit's actions, reversed once per page with a stand-in
# id that each visit's own replaces (``_with_urls``): reverse() for every
# button of every row was the largest part of rendering a busy day's queue.
_STAND_IN = "2147483647"
_VISIT_URLS = {
    "take": "counter:visit-take", "hand_over": "counter:visit-hand-over",
    "left": "counter:visit-left", "finish": "counter:visit-finish",
    "correct": "counter:visit-correct", "undo_left": "counter:visit-undo-left",
    "slip": "counter:visit-slip", "take_over": "counter:visit-take-over",
    "take_back": "counter:visit-take-back", "resident": "residents:detail",
}


def _with_urls(*groups) -> None:
    """Give every visit in ``groups`` its addresses as ``visit.urls``
    (``take``, ``finish``, ``slip``, ``resident`` … as in ``_VISIT_URLS``),
    from one reverse() per address for the whole page."""
    patterns = {key: reverse(name, args=[_STAND_IN]) for key, name in _VISIT_URLS.items()}
    for visits in groups:
        for visit in visits:
            pk = str(visit.pk)
            visit.urls = {key: url.replace(_STAND_IN, pk) for key, url in patterns.items()}
            visit.urls["resident"] = patterns["resident"].replace(
                _STAND_IN, str(visit.resident_id)) if visit.resident_id else ""


def _followup_urls(back: str) -> dict:
    """The follow-up screens a finished visit opens, and the queue to come
    back to, once per page."""
    return {"enrol": reverse("counter:quick-enrol"), "hand_out": reverse("devices:hand-out"),
            "refer": reverse("outreach:referral-create"), "back": reverse(back)}


def _queue_context(point: Point, finished_page=1) -> dict:
    """Today's visits at ``point``, grouped for the counter screen: every
    open visit, and one page of the finished ones, newest first."""
    today = Visit.objects.filter(point=point).on_day()
    visits = list(today.open().with_relations().order_by("arrived_at"))
    closed = Paginator(today.closed().with_relations().order_by("-arrived_at", "-pk"),
                       FINISHED_PER_PAGE).get_page(finished_page)
    _with_urls(visits, closed)
    return {
        "point": point,
        "version": today.version(),
        "waiting": [v for v in visits if v.status == VisitStatus.WAITING],
        "with_host": [v for v in visits if v.status == VisitStatus.WITH_HOST],
        "for_coach": [v for v in visits if v.status in (VisitStatus.WAITING_FOR_COACH,
                                                         VisitStatus.WITH_COACH)],
        "closed": closed,
        # The newest few of the first page stay in sight; the rest folds away.
        "closed_recent": list(closed)[:CLOSED_IN_SIGHT] if closed.number == 1 else [],
        "closed_folded": list(closed)[CLOSED_IN_SIGHT:] if closed.number == 1 else list(closed),
        "outcomes": VisitOutcome.choices,
        "back": "counter:counter",
        "followup_urls": _followup_urls("counter:counter"),
    }


def _queue_poll(request, point: Point):
    """The queue's 15-second poll (htmx): 204 No Content, which htmx leaves
    alone, when nothing changed at the point since the version the page
    shows and no message waits; the queue otherwise."""
    shown = request.GET.get("versie", "")
    if (shown and not len(messages.get_messages(request))
            and shown == Visit.objects.filter(point=point).on_day().version()):
        return HttpResponse(status=204)
    return render(request, "counter/counter.html#queue",
                  _queue_context(point, request.GET.get("afgerond", 1)))


def _search_residents(query: str) -> list[Resident]:
    if not query:
        return []
    return list(Resident.objects.search(query).select_related("district")[:10])


def _chosen_visitor(value) -> Resident | None:
    """The returning visitor the host chose (``?bezoeker=`` in the address, or
    the form's ``resident``), if they still exist and are not anonymised."""
    value = str(value or "")
    if not value.isdigit():
        return None
    return Resident.objects.active().select_related("district").filter(pk=int(value)).first()


@role_required(*COUNTER_ROLES)
def counter(request):
    point = current_point(request)
    if point is None:
        messages.info(request, _("Choose the point where you work now."))
        return redirect("workspace")
    if request.htmx and request.method == "GET":
        return _queue_poll(request, point)
    search = ResidentSearchForm(request.GET)
    # Posted back with errors, or opened again (Back, reload: the choices are
    # in the address): the visitor, topics and ticked offers are as they were.
    if request.method == "POST":
        # The form always carries its one-time key: a post without one (or
        # with a made-up one) is no counter form and could register twice.
        if not is_submit_key(request.POST.get("submit_key")):
            raise BadRequest("The counter form's submit key is missing or malformed.")
        form = VisitForm(request.POST)
        chosen = _chosen_visitor(request.POST.get("resident"))
        panel = offer_panel_context(request, request.POST)
    else:
        chosen = _chosen_visitor(request.GET.get("bezoeker"))
        panel = offer_panel_context(request, request.GET)
        form = VisitForm(initial={"resident": chosen, "topics": panel["topics"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = register_visit(
                point=point, actor=request.user, topics=data["topics"], channel=data["channel"],
                resident=data["resident"], new_resident=form.new_resident(),
                someone_else=data["someone_else"], note=data["note"],
                next_step=data["next_step"], outcome=data["outcome"],
                visitor_word=data["visitor_word"], submit_key=data["submit_key"])
        except VisitError as exc:
            form.add_error(None, str(exc))
        else:
            _record_offers_given(request, visit)
            if visit.status == VisitStatus.DONE:
                messages.success(request, _("Visit registered and finished: %(name)s.") % {
                    "name": visit.visitor_name})
            else:
                messages.success(request, _("Visit registered: %(name)s (%(status)s).") % {
                    "name": visit.visitor_name, "status": visit.get_status_display()})
            return redirect("counter:counter")
    context = _queue_context(point, request.GET.get("afgerond", 1))
    # Possible duplicates of a new resident are offered as visitors to choose.
    residents = form.duplicates or _search_residents(search.query())
    context.update(form=form, search=search, residents=residents,
                   query=search.query(), chosen=chosen, **panel)
    return render(request, "counter/counter.html", context)


def _record_offers_given(request, visit: Visit) -> None:
    """The offers ticked in the digikaart panel (outreach) go on the visit."""
    record_offers_given(visit=visit, actor=request.user,
                        **GivenOffersForm(request.POST).given())


@role_required(*COUNTER_ROLES)
def counter_resident_search(request):
    search = ResidentSearchForm(request.GET)
    query = search.query()
    if not request.htmx:
        return redirect(f"{reverse('counter:counter')}?{request.GET.urlencode()}")
    chosen = _chosen_visitor(request.GET.get("resident") or request.GET.get("bezoeker"))
    return render(request, "counter/counter.html#residents",
                  {"residents": _search_residents(query), "query": query, "chosen": chosen,
                   "search": search})


def _after_step(request, visit: Visit, back: str):
    """Answer a counter action: the refreshed queue for htmx, else a redirect."""
    if request.htmx:
        if back == "counter:coach-queue":
            return render(request, "counter/coach_queue.html#handovers",
                          _coach_context(request.user))
        return render(request, "counter/counter.html#queue",
                      _queue_context(visit.point))
    return redirect(back)


def _run_step(request, pk: int, step, back: str = "counter:counter", done: str = "",
              **kwargs):
    """Run one step on a visit; ``done`` is the message that names the
    visitor when it worked (the focus lands on it when the visit folds away)."""
    visit = get_visit_for_user(request.user, pk)
    try:
        visit = step(visit=visit, actor=request.user, **kwargs)
    except VisitError as exc:
        messages.error(request, str(exc))
    else:
        if done:
            messages.success(request, done % {"name": visit.visitor_name})
    return _after_step(request, visit, _safe_back(request.POST.get("back") or back))


@require_POST
@role_required(*COUNTER_ROLES)
def visit_take(request, pk: int):
    return _run_step(request, pk, take_visit)


@require_POST
@role_required(*COUNTER_ROLES)
def visit_take_back(request, pk: int):
    return _run_step(request, pk, take_back_from_coach)


@require_POST
@role_required(*COUNTER_ROLES)
def visit_hand_over(request, pk: int):
    form = HandOverForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run_step(request, pk, hand_over_to_coach, note=note)


@require_POST
@role_required(*COUNTER_ROLES)
def visit_finish(request, pk: int):
    form = FinishVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the visit ended."))
        return _after_step(request, get_visit_for_user(request.user, pk),
                           _safe_back(request.POST.get("back")))
    return _run_step(request, pk, finish_visit, back=_safe_back(request.POST.get("back")),
                     done=_("Visit of %(name)s finished."),
                     outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])


def _safe_back(back: str | None) -> str:
    """Only our own two queues are valid places to go back to."""
    return back if back in ("counter:counter", "counter:coach-queue") else "counter:counter"


@require_POST
@role_required(*COUNTER_ROLES)
def visit_left(request, pk: int):
    return _run_step(request, pk, mark_visit_left, back=_safe_back(request.POST.get("back")),
                     done=_("Visit of %(name)s: left without help."))


@require_POST
@role_required(*COUNTER_ROLES)
def visit_undo_left(request, pk: int):
    return _run_step(request, pk, undo_left, back=_safe_back(request.POST.get("back")))


@require_POST
@role_required(*COUNTER_ROLES)
def visit_cancel(request, pk: int):
    try:
        visit = get_visit_for_user(request.user, pk)
    except Http404:
        return _cancelled_meanwhile(request, pk)
    form = CancelVisitForm(request.POST)
    if form.is_valid():
        try:
            cancel_visit(visit=visit, actor=request.user, reason=form.cleaned_data["reason"])
        except VisitError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("The visit of %(time)s was cancelled.") % {
                "time": f"{timezone.localtime(visit.arrived_at):%H:%M}"})
            return redirect("counter:counter")
    return _render_correct(request, visit,
                           CorrectVisitForm(initial=_correct_initial(visit), visit=visit),
                           cancel_form=form)


def _cancelled_meanwhile(request, pk: int):
    """The visit is gone because someone cancelled it (in another tab, or a
    colleague): say who, when and why, and keep what was typed in sight so
    nothing is lost; a plain 404 for a visit that never was the user's."""
    event = cancellation_of(pk, request.user)
    if event is None:
        raise Http404
    topic_ids = [value for value in request.POST.getlist("topics") if value.isdigit()]
    return render(request, "counter/visit_cancelled.html", {
        "event": event, "reason": event.detail.get("reason", ""),
        "who": (event.actor.get_full_name() or event.actor.username) if event.actor else "",
        "typed_topics": QuestionTopic.objects.filter(pk__in=topic_ids).order_by("name"),
        "typed_note": request.POST.get("note", ""),
        "typed_reason": request.POST.get("reason", ""),
    }, status=409)


def _correct_initial(visit: Visit) -> dict:
    return {"topics": list(visit.topics.all()), "channel": visit.channel,
            "outcome": visit.outcome, "note": visit.note}


def _render_correct(request, visit: Visit, form, *, cancel_form=None, status: int = 200):
    events = visit.events.select_related("actor")
    return render(request, "counter/visit_correct.html",
                  {"visit": visit, "form": form, "events": events,
                   "cancel_form": cancel_form or CancelVisitForm()}, status=status)


@role_required(*COUNTER_ROLES)
def visit_correct(request, pk: int):
    try:
        visit = get_visit_for_user(request.user, pk)
    except Http404:
        return _cancelled_meanwhile(request, pk)
    form = CorrectVisitForm(request.POST or None, initial=_correct_initial(visit), visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            correct_visit(visit=visit, actor=request.user, resident=visit.resident,
                          **form.cleaned_data)
        except VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Visit corrected."))
            return redirect("counter:counter")
    if request.method == "GET" and visit.resident_id:
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=visit.resident,
                     target=visit, summary=_("Visit %(pk)s viewed") % {"pk": visit.pk})
    return _render_correct(request, visit, form)


def _coach_context(user) -> dict:
    today = Visit.objects.for_staff(user).on_day().with_relations()
    handovers = list(today.filter(status=VisitStatus.WAITING_FOR_COACH)
                     .order_by("handed_over_at"))
    mine = list(today.filter(status=VisitStatus.WITH_COACH, coach=user)
                .order_by("coach_started_at"))
    # For their follow-ups (enrolment, hand-out, referral), newest first.
    finished = list(today.filter(status=VisitStatus.DONE, coach=user)
                    .order_by("-finished_at")[:COACH_FINISHED_SHOWN])
    _with_urls(handovers, mine, finished)
    return {
        "handovers": handovers, "mine": mine, "finished": finished,
        "outcomes": VisitOutcome.choices,
        "back": "counter:coach-queue",
        "followup_urls": _followup_urls("counter:coach-queue"),
    }


@role_required(*COACH_ROLES)
def coach_queue(request):
    context = _coach_context(request.user)
    template = "counter/coach_queue.html#handovers" if request.htmx else "counter/coach_queue.html"
    return render(request, template, context)


@require_POST
@role_required(*COACH_ROLES)
def visit_take_over(request, pk: int):
    return _run_step(request, pk, take_over_visit, back="counter:coach-queue")
