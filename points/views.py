import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.models import AuditAction, Resident
from digibank.services import record_audit
from points.forms import (
    ChoosePointForm,
    ClosureForm,
    CorrectVisitForm,
    DeploymentForm,
    FinderForm,
    FinishVisitForm,
    HandOverForm,
    OpeningPeriodFormSet,
    PointForm,
    QuestionTopicForm,
    ResidentSearchForm,
    VisitForm,
)
from points.models import (
    Closure,
    MobileDeployment,
    Point,
    PointKind,
    QuestionTopic,
    Visit,
    VisitOutcome,
    VisitStatus,
    point_states,
    week_schedule,
)
from points.opendata import (
    deployments_calendar,
    point_as_data,
    point_json_ld,
    upcoming_deployments,
)
from points.services import (
    ScheduleError,
    VisitError,
    correct_visit,
    finish_visit,
    hand_over_to_coach,
    mark_visit_left,
    plan_deployment,
    register_visit,
    set_opening_hours,
    take_over_visit,
    take_visit,
)
from points.workspace import current_point, set_current_point

COUNTER_ROLES = ("host", "coach", "coordinator")
COACH_ROLES = ("coach", "coordinator")


@require_POST
@role_required("host", "coach", "atelier", "coordinator")
def choose_point(request):
    form = ChoosePointForm(request.POST, user=request.user)
    target = request.POST.get("next") or "workspace"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "workspace"
    if form.is_valid():
        set_current_point(request, form.cleaned_data["point"])
        messages.success(request, _("You now work at %(point)s.") % {
            "point": form.cleaned_data["point"]})
    else:
        messages.error(request, _("You do not work at that point."))
    return redirect(target)


def get_visit_for_user(user, pk: int) -> Visit:
    """A visit at one of the points ``user`` works at; 404 otherwise."""
    return get_object_or_404(Visit.objects.for_staff(user).select_related("point"), pk=pk)


def _queue_context(point: Point) -> dict:
    """Today's visits at ``point``, grouped for the counter screen."""
    visits = list(Visit.objects.filter(point=point).on_day().with_relations()
                  .order_by("arrived_at"))
    return {
        "point": point,
        "waiting": [v for v in visits if v.status == VisitStatus.WAITING],
        "with_host": [v for v in visits if v.status == VisitStatus.WITH_HOST],
        "for_coach": [v for v in visits if v.status in (VisitStatus.WAITING_FOR_COACH,
                                                         VisitStatus.WITH_COACH)],
        "closed": [v for v in visits if not v.is_open][::-1],
        "outcomes": VisitOutcome.choices,
    }


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


def _offer_panel(request, data) -> dict:
    """The digikaart panel (outreach) for the topics and ticks in ``data``.
    Imported here: points must not import outreach at module level."""
    from outreach.guide import offer_panel_context

    return offer_panel_context(request, data)


@role_required(*COUNTER_ROLES)
def counter(request):
    point = current_point(request)
    if point is None:
        messages.info(request, _("Choose the point where you work now."))
        return redirect("workspace")
    if request.htmx and request.method == "GET":
        return render(request, "points/counter.html#queue", _queue_context(point))
    search = ResidentSearchForm(request.GET)
    # Posted back with errors, or opened again (Back, reload: the choices are
    # in the address): the visitor, topics and ticked offers are as they were.
    if request.method == "POST":
        form = VisitForm(request.POST)
        chosen = _chosen_visitor(request.POST.get("resident"))
        panel = _offer_panel(request, request.POST)
    else:
        chosen = _chosen_visitor(request.GET.get("bezoeker"))
        panel = _offer_panel(request, request.GET)
        form = VisitForm(initial={"resident": chosen, "topics": panel["topics"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = register_visit(
                point=point, actor=request.user, topics=data["topics"], channel=data["channel"],
                resident=data["resident"], new_resident=form.new_resident(), note=data["note"],
                next_step=data["next_step"], outcome=data["outcome"],
                visitor_word=data["visitor_word"])
        except VisitError as exc:
            form.add_error(None, str(exc))
        else:
            _record_offers_given(request, visit)
            messages.success(request, _("Visit registered: %(status)s.") % {
                "status": visit.get_status_display()})
            return redirect("points:counter")
    context = _queue_context(point)
    context.update(form=form, search=search, residents=_search_residents(search.query()),
                   query=search.query(), chosen=chosen, **panel)
    return render(request, "points/counter.html", context)


def _record_offers_given(request, visit: Visit) -> None:
    """The offers ticked in the digikaart panel (outreach) go on the visit.
    Imported here: points must not import outreach at module level."""
    from outreach.forms import GivenOffersForm
    from outreach.services import record_offers_given

    record_offers_given(visit=visit, actor=request.user,
                        **GivenOffersForm(request.POST).given())


@role_required(*COUNTER_ROLES)
def counter_resident_search(request):
    search = ResidentSearchForm(request.GET)
    query = search.query()
    if not request.htmx:
        return redirect(f"{reverse('points:counter')}?{request.GET.urlencode()}")
    chosen = _chosen_visitor(request.GET.get("resident") or request.GET.get("bezoeker"))
    return render(request, "points/counter.html#residents",
                  {"residents": _search_residents(query), "query": query, "chosen": chosen})


def _after_step(request, visit: Visit, back: str):
    """Answer a counter action: the refreshed queue for htmx, else a redirect."""
    if request.htmx:
        if back == "points:coach-queue":
            return render(request, "points/coach_queue.html#handovers",
                          _coach_context(request.user))
        return render(request, "points/counter.html#queue",
                      _queue_context(visit.point))
    return redirect(back)


def _run_step(request, pk: int, step, back: str = "points:counter", **kwargs):
    visit = get_visit_for_user(request.user, pk)
    try:
        visit = step(visit=visit, actor=request.user, **kwargs)
    except VisitError as exc:
        messages.error(request, str(exc))
    return _after_step(request, visit, _safe_back(request.POST.get("back") or back))


@require_POST
@role_required(*COUNTER_ROLES)
def visit_take(request, pk: int):
    return _run_step(request, pk, take_visit)


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
                     outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])


def _safe_back(back: str | None) -> str:
    """Only our own two queues are valid places to go back to."""
    return back if back in ("points:counter", "points:coach-queue") else "points:counter"


@require_POST
@role_required(*COUNTER_ROLES)
def visit_left(request, pk: int):
    return _run_step(request, pk, mark_visit_left, back=_safe_back(request.POST.get("back")))


@role_required(*COUNTER_ROLES)
def visit_correct(request, pk: int):
    visit = get_visit_for_user(request.user, pk)
    initial = {"topics": list(visit.topics.all()), "channel": visit.channel,
               "outcome": visit.outcome, "note": visit.note}
    form = CorrectVisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correct_visit(visit=visit, actor=request.user, resident=visit.resident,
                          **form.cleaned_data)
        except VisitError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Visit corrected."))
            return redirect("points:counter")
    if request.method == "GET" and visit.resident_id:
        record_audit(actor=request.user, action=AuditAction.VIEW, resident=visit.resident,
                     target=visit, summary=_("Visit %(pk)s viewed") % {"pk": visit.pk})
    events = visit.events.select_related("actor")
    return render(request, "points/visit_correct.html",
                  {"visit": visit, "form": form, "events": events})


def _coach_context(user) -> dict:
    today = Visit.objects.for_staff(user).on_day().with_relations()
    return {
        "handovers": list(today.filter(status=VisitStatus.WAITING_FOR_COACH)
                          .order_by("handed_over_at")),
        "mine": list(today.filter(status=VisitStatus.WITH_COACH, coach=user)
                     .order_by("coach_started_at")),
        "outcomes": VisitOutcome.choices,
    }


@role_required(*COACH_ROLES)
def coach_queue(request):
    context = _coach_context(request.user)
    template = "points/coach_queue.html#handovers" if request.htmx else "points/coach_queue.html"
    return render(request, template, context)


@require_POST
@role_required(*COACH_ROLES)
def visit_take_over(request, pk: int):
    return _run_step(request, pk, take_over_visit, back="points:coach-queue")


# --- coordinator screens ---


@role_required("coordinator")
def manage_points(request):
    points = Point.objects.select_related("district").annotate(
        period_count=Count("opening_periods", distinct=True))
    return render(request, "points/manage/points.html", {"points": points})


@role_required("coordinator")
def manage_point(request, pk: int | None = None):
    point = get_object_or_404(Point, pk=pk) if pk else None
    form = PointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        point = form.save()
        messages.success(request, _("Point %(point)s saved.") % {"point": point})
        return redirect("points:manage-points")
    return render(request, "points/manage/point_form.html", {"form": form, "point": point})


@role_required("coordinator")
def manage_hours(request, pk: int):
    point = get_object_or_404(Point, pk=pk)
    formset = OpeningPeriodFormSet(request.POST or None, instance=point)
    if request.method == "POST" and formset.is_valid():
        try:
            set_opening_hours(point=point, periods=formset.period_data())
        except ScheduleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Opening hours of %(point)s saved.") % {"point": point})
            return redirect("points:manage-hours", pk=point.pk)
    return render(request, "points/manage/hours.html", {"formset": formset, "point": point})


@role_required("coordinator")
def manage_closures(request, pk: int | None = None):
    """Closures of one point, or (without pk) the city-wide holidays."""
    point = get_object_or_404(Point, pk=pk) if pk else None
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closure = form.save(commit=False)
        closure.point = point
        closure.save()
        messages.success(request, _("Closure added."))
        return redirect(request.path)
    closures = Closure.objects.ahead().filter(point=point)  # point=None: the holidays
    return render(request, "points/manage/closures.html",
                  {"form": form, "point": point, "closures": closures})


@require_POST
@role_required("coordinator")
def delete_closure(request, pk: int):
    closure = get_object_or_404(Closure, pk=pk)
    closure.delete()
    messages.success(request, _("Closure removed."))
    if closure.point_id:
        return redirect("points:manage-closures", pk=closure.point_id)
    return redirect("points:manage-holidays")


@role_required("coordinator")
def manage_deployments(request, pk: int):
    point = get_object_or_404(Point, pk=pk, kind=PointKind.MOBILE)
    form = DeploymentForm(request.POST or None, instance=MobileDeployment(point=point))
    if request.method == "POST" and form.is_valid():
        try:
            plan_deployment(deployment=form.save(commit=False))
        except ScheduleError as exc:
            form.add_error("starts_at", str(exc))
        else:
            messages.success(request, _("Deployment planned."))
            return redirect("points:manage-deployments", pk=point.pk)
    deployments = point.deployments.upcoming().select_related("district", "topic", "partner")
    return render(request, "points/manage/deployments.html",
                  {"form": form, "point": point, "deployments": deployments})


@role_required("coordinator")
def edit_deployment(request, pk: int):
    deployment = get_object_or_404(MobileDeployment.objects.select_related("point"), pk=pk)
    form = DeploymentForm(request.POST or None, instance=deployment)
    if request.method == "POST" and form.is_valid():
        try:
            plan_deployment(deployment=form.save(commit=False))
        except ScheduleError as exc:
            form.add_error("starts_at", str(exc))
        else:
            messages.success(request, _("Deployment saved."))
            return redirect("points:manage-deployments", pk=deployment.point_id)
    return render(request, "points/manage/deployment_form.html",
                  {"form": form, "deployment": deployment, "point": deployment.point})


@require_POST
@role_required("coordinator")
def delete_deployment(request, pk: int):
    deployment = get_object_or_404(MobileDeployment, pk=pk)
    deployment.delete()
    messages.success(request, _("Deployment removed."))
    return redirect("points:manage-deployments", pk=deployment.point_id)


@role_required("coordinator")
def manage_topics(request, pk: int | None = None):
    topic = get_object_or_404(QuestionTopic, pk=pk) if pk else None
    form = QuestionTopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Topic saved."))
        return redirect("points:manage-topics")
    topics = QuestionTopic.objects.annotate(visit_count=Count("visits"))
    return render(request, "points/manage/topics.html",
                  {"form": form, "topic": topic, "topics": topics})


# --- public pages (no login) ---


def _public_points():
    return Point.objects.public().with_details().with_schedule()


@login_not_required
def finder(request):
    form = FinderForm(request.GET or None)
    points = _public_points()
    if form.is_valid():
        if form.cleaned_data["district"]:
            points = points.filter(district=form.cleaned_data["district"])
        if form.cleaned_data["service"]:
            points = points.filter(services=form.cleaned_data["service"])
    states = point_states(points)
    return render(request, "points/finder.html", {
        "form": form, "open_states": [s for s in states if s.is_open],
        "closed_states": [s for s in states if not s.is_open]})


@login_not_required
def point_detail(request, slug: str):
    point = get_object_or_404(_public_points(), slug=slug)
    closures = list(Closure.objects.affecting(point).ahead()[:10])
    json_ld = point_json_ld(point, request.build_absolute_uri(), closures)
    return render(request, "points/point_detail.html", {
        "point": point, "state": point_states([point])[0], "schedule": week_schedule(point),
        "closures": closures, "deployments": point.deployments.upcoming()[:10],
        "json_ld": mark_safe(json.dumps(json_ld, ensure_ascii=False).translate(_JSON_ESCAPES)),
    })


# Escapes so the JSON-LD block cannot close its <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@login_not_required
def info_screen(request):
    points = _public_points()
    district, slug = request.GET.get("district", ""), request.GET.get("punt", "")
    if district:
        points = points.filter(district__slug=district)
    if slug:
        points = points.filter(slug=slug)
    states = point_states(points)
    template = "points/screen.html#board" if request.htmx else "points/screen.html"
    return render(request, template, {
        "open_states": [s for s in states if s.is_open],
        "next_states": [s for s in states if not s.is_open and s.next_opening][:8],
        # The screen's own point (?punt=), for messages meant for one screen only.
        "screen_point": states[0].point if slug and states else None,
        "query": request.GET.urlencode(), "now": timezone.now()})


@login_not_required
def open_data_points(request):
    points = Point.objects.public().select_related("district").prefetch_related(
        "services", "opening_periods",
        Prefetch("deployments", queryset=MobileDeployment.objects.upcoming()),
        Prefetch("closures", queryset=Closure.objects.ahead()))
    holidays = list(Closure.objects.ahead().filter(point__isnull=True))
    return JsonResponse(
        {"generated_at": timezone.now().isoformat(), "license": "CC0-1.0",
         "points": [point_as_data(point, request, holidays=holidays) for point in points]},
        json_dumps_params={"ensure_ascii": False, "indent": 1})


@login_not_required
def deployments_ics(request):
    return HttpResponse(deployments_calendar(upcoming_deployments(), request),
                        content_type="text/calendar; charset=utf-8")
