import json
from math import ceil
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from digibank.access import role_required, safe_next
from points.calendar import (
    holidays_between,
    open_on_day,
    point_states,
    seasonal_hours,
    states_in_district,
    week_schedule,
)
from points.forms import (
    ChoosePointForm,
    ClosureForm,
    DeploymentForm,
    FinderForm,
    OpeningPeriodFormSet,
    PointForm,
    QuestionTopicForm,
    ScreenForm,
    add_schedule_errors,
    deployment_prefill,
)
from points.models import (
    Closure,
    MobileDeployment,
    Point,
    PointKind,
    QuestionTopic,
    Visit,
)
from points.opendata import (
    deployments_calendar,
    point_as_data,
    point_json_ld,
    upcoming_stops,
)
from points.services import (
    ClosureClash,
    DeploymentChanged,
    DeploymentGone,
    ScheduleError,
    add_closure,
    closure_clashes,
    plan_deployment,
    remove_closure,
    remove_deployment,
    set_opening_hours,
)
from points.workspace import set_current_point


@require_POST
@role_required("host", "coach", "atelier", "coordinator")
def choose_point(request):
    form = ChoosePointForm(request.POST, user=request.user)
    target = safe_next(request, reverse("workspace"))
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
    """Closures of one point, or (without pk) the city-wide holidays. A
    closure over plans still to come lists them first; confirming cancels
    them and tells the people in them."""
    point = get_object_or_404(Point, pk=pk) if pk else None
    # POST/redirect/GET: the clashes to confirm are a GET page of their own
    # (?starts_on=…&ends_on=…&reason=…), so Back after confirming does not
    # ask to resubmit a form.
    asked = request.method == "GET" and "starts_on" in request.GET
    form = ClosureForm(request.POST if request.method == "POST" else
                       request.GET if asked else None)
    clashes = None
    if asked and form.is_valid():
        clashes = closure_clashes(point=point, starts_on=form.cleaned_data["starts_on"],
                                  ends_on=form.cleaned_data["ends_on"]) or None
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = add_closure(actor=request.user, point=point, starts_on=data["starts_on"],
                                 ends_on=data["ends_on"], reason=data["reason"],
                                 confirm=data["confirm"])
        except ClosureClash:
            return redirect(f"{request.path}?" + urlencode({
                "starts_on": data["starts_on"].isoformat(),
                "ends_on": data["ends_on"].isoformat(), "reason": data["reason"]}))
        except ScheduleError as exc:
            form.add_error(_CLOSURE_FIELDS.get(exc.field), str(exc))
        else:
            messages.success(request, _closure_added_message(result))
            return redirect(request.path)
    closures = Closure.objects.ahead().filter(point=point)  # point=None: the holidays
    return render(request, "points/manage/closures.html", {
        "form": form, "point": point, "closures": closures, "clashes": clashes})


_CLOSURE_FIELDS = {"day": "starts_on", "start": "starts_on", "end": "ends_on"}


def _closure_added_message(result) -> str:
    """"Closure added." and what it cancelled, each count in its own
    singular or plural; a plain sentence when it fell on nothing."""
    if not (result.cancelled or result.removed):
        return _("Closure added. There were no trainings or deployments on those days.")
    done = []
    if result.cancelled:
        told = ngettext("%(count)s person told", "%(count)s people told",
                        result.told) % {"count": result.told}
        done.append(ngettext("%(count)s planned training cancelled (%(told)s)",
                             "%(count)s planned trainings cancelled (%(told)s)",
                             result.cancelled) % {"count": result.cancelled, "told": told})
    if result.removed:
        done.append(ngettext("%(count)s deployment removed", "%(count)s deployments removed",
                             result.removed) % {"count": result.removed})
    return _("Closure added: %(done)s.") % {"done": ", ".join(done)}


@require_POST
@role_required("coordinator")
def delete_closure(request, pk: int):
    closure = get_object_or_404(Closure, pk=pk)
    remove_closure(actor=request.user, closure=closure)
    messages.success(request, _("Closure removed."))
    if closure.point_id:
        return redirect("points:manage-closures", pk=closure.point_id)
    return redirect("points:manage-holidays")


@role_required("coordinator")
def manage_deployments(request, pk: int):
    point = get_object_or_404(Point, pk=pk, kind=PointKind.MOBILE)
    form = DeploymentForm(request.POST or None, instance=MobileDeployment(point=point),
                          initial=deployment_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            plan_deployment(deployment=form.save(commit=False))
        except ScheduleError as exc:
            add_schedule_errors(form, exc)
        else:
            messages.success(request, _("Deployment planned."))
            return redirect("points:manage-deployments", pk=point.pk)
    deployments = list(point.deployments.upcoming().select_related("district", "topic",
                                                                   "partner"))
    return render(request, "points/manage/deployments.html", {
        "form": form, "point": point, "deployments": deployments,
        "night_stops": sum(d.is_outside_service_hours for d in deployments)})


def _deployment_gone(request):
    """A deployment removed in another tab (or by someone else): say so in
    Dutch on the point's list of deployments, not a bare 404."""
    messages.error(request, DeploymentGone().args[0])
    raw = request.POST.get("point", "")
    point = Point.objects.filter(pk=raw, kind=PointKind.MOBILE).first() if raw.isdigit() else None
    if point is None:
        return redirect("points:manage-points")
    return redirect("points:manage-deployments", pk=point.pk)


@role_required("coordinator")
def edit_deployment(request, pk: int):
    deployment = MobileDeployment.objects.select_related("point").filter(pk=pk).first()
    if deployment is None:
        return _deployment_gone(request)
    form = DeploymentForm(request.POST or None, instance=deployment)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            plan_deployment(deployment=form.save(commit=False),
                            seen_version=form.cleaned_data["version"])
        except DeploymentGone:
            return _deployment_gone(request)
        except DeploymentChanged as exc:
            # Show what is saved now, so nobody's change is put back unseen.
            conflict, deployment = str(exc), exc.current
            form = DeploymentForm(instance=deployment)
        except ScheduleError as exc:
            add_schedule_errors(form, exc)
        else:
            messages.success(request, _("Deployment saved."))
            return redirect("points:manage-deployments", pk=deployment.point_id)
    return render(request, "points/manage/deployment_form.html",
                  {"form": form, "deployment": deployment, "point": deployment.point,
                   "conflict": conflict})


@require_POST
@role_required("coordinator")
def delete_deployment(request, pk: int):
    deployment = MobileDeployment.objects.filter(pk=pk).first()
    if deployment is None:
        return _deployment_gone(request)
    point_id = deployment.point_id
    try:
        remove_deployment(deployment=deployment)
    except DeploymentGone:
        return _deployment_gone(request)
    except ScheduleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Deployment removed."))
    return redirect("points:manage-deployments", pk=point_id)


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


# How far ahead the finder looks for a mobile point's stops in a district.
FINDER_DAYS = 28


@login_not_required
def finder(request):
    """Where a resident can go: what is open now, or (``?dag=``) on one of
    the coming days, in a district and for a service."""
    form = FinderForm(request.GET or None, today=timezone.localdate())
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    district, day = data.get("district"), data.get("dag")
    points = _public_points()
    if data.get("service"):
        points = points.filter(services=data["service"])
    context = {"form": form, "district": district, "finder_weeks": FINDER_DAYS // 7,
               "day": day, "part": data.get("dagdeel", ""),
               "day_links": _day_links(request, form, day)}
    if day is not None:
        context["is_today"] = day == timezone.localdate()
        context["day_entries"] = open_on_day(points, day, district=district,
                                             part=context["part"])
        return render(request, "points/finder.html", context)
    states = point_states(points)
    if district is not None:
        states = states_in_district(states, district, days=FINDER_DAYS)
    context.update(open_states=[s for s in states if s.is_open],
                   closed_states=[s for s in states if not s.is_open])
    return render(request, "points/finder.html", context)


def _day_links(request, form: FinderForm, chosen) -> list[dict]:
    """The finder's days as plain links (now, today, tomorrow, …), keeping
    the other filters."""
    links = []
    for value, label in form.fields["dag"].choices:
        query = request.GET.copy()
        query.pop("dag", None)
        if value:
            query["dag"] = value
        else:
            query.pop("dagdeel", None)
        links.append({"label": label, "url": f"?{query.urlencode()}",
                      "current": value == (chosen.isoformat() if chosen else "")})
    return links


# A mobile point's page lists its next stops; ``?haltes=alle`` lists every
# stop the calendar feeds hold (both read ``upcoming_stops``).
STOPS_SHOWN = 10


@login_not_required
def point_detail(request, slug: str):
    point = get_object_or_404(_public_points(), slug=slug)
    closures = list(Closure.objects.affecting(point).ahead()[:10])
    stops = upcoming_stops(point, Closure.objects.ahead().filter(point__isnull=True)
                           ) if point.is_mobile else []
    shown = stops if request.GET.get("haltes") == "alle" else stops[:STOPS_SHOWN]
    json_ld = point_json_ld(point, request.build_absolute_uri(), closures, stops[:30])
    return render(request, "points/point_detail.html", {
        "point": point, "state": point_states([point])[0], "schedule": week_schedule(point),
        "seasons": seasonal_hours(point, this_week=True),
        "other_seasons": seasonal_hours(point, this_week=False),
        "closures": closures, "stops": shown, "stops_total": len(stops),
        "stops_more": len(stops) - len(shown),
        "json_ld": mark_safe(json.dumps(json_ld, ensure_ascii=False).translate(_JSON_ESCAPES)),
    })


# Escapes so the JSON-LD block cannot close its <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# The info screen shows at most this many points per list on one page, so
# a 1080p TV and a portrait pillar hold everything without scrolling; more
# points rotate over pages, one page each refresh.
SCREEN_PAGE_SIZE = 4
SCREEN_REFRESH_SECONDS = 15


def _screen_page(states: list, page: int) -> list:
    """The slice of ``states`` for screen page ``page``. A list shorter than
    the others starts again from its beginning, so no page says "no point is
    open" while another page lists open points."""
    if not states:
        return []
    own_pages = ceil(len(states) / SCREEN_PAGE_SIZE)
    start = (page % own_pages) * SCREEN_PAGE_SIZE
    return states[start:start + SCREEN_PAGE_SIZE]


@login_not_required
def info_screen(request):
    """What is open now and what opens next, for a TV or an info pillar:
    ``?district=`` (a wijk counts under its deelgemeente, mobile points that
    stop there count too), ``?punt=`` for one point's own screen."""
    form = ScreenForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    points = _public_points()
    if data.get("punt"):
        points = points.filter(slug=data["punt"])
    states = point_states(points)
    if data.get("district"):
        states = states_in_district(states, data["district"], days=FINDER_DAYS)
    open_states = [s for s in states if s.is_open]
    later = [s for s in states if not s.is_open and (s.next_opening or s.closure)]
    pages = max(1, ceil(len(open_states) / SCREEN_PAGE_SIZE),
                ceil(len(later) / SCREEN_PAGE_SIZE))
    page = (data.get("pagina") or 0) % pages
    today = timezone.localdate()
    holiday = next(iter(holidays_between(today, today)), None)
    query = request.GET.copy()
    query["pagina"] = str((page + 1) % pages)
    home = request.build_absolute_uri(reverse("home"))
    template = "points/screen.html#board" if request.htmx else "points/screen.html"
    return render(request, template, {
        "open_states": _screen_page(open_states, page),
        "next_states": _screen_page(later, page),
        "page": page + 1, "pages": pages, "holiday": holiday,
        # The screen's own point (?punt=), for messages meant for one screen only.
        "screen_point": states[0].point if data.get("punt") and states else None,
        "next_query": query.urlencode(), "refresh_seconds": SCREEN_REFRESH_SECONDS,
        "now": timezone.now(), "short_address": request.get_host(),
        "qr_svg": segno.make(home, error="m").svg_data_uri(scale=8, border=2, dark="#000")})


@login_not_required
def open_data_points(request):
    points = Point.objects.public().select_related("district").prefetch_related(
        "services").with_schedule()
    holidays = list(Closure.objects.ahead().filter(point__isnull=True))
    return JsonResponse(
        {"generated_at": timezone.now().isoformat(), "license": "CC0-1.0",
         "points": [point_as_data(point, request, holidays=holidays) for point in points]},
        json_dumps_params={"ensure_ascii": False, "indent": 1})


def _mobile_points():
    return Point.objects.public().filter(kind=PointKind.MOBILE).with_schedule()


@login_not_required
def deployments_ics(request):
    """Where every mobile point stands, as a calendar."""
    return HttpResponse(deployments_calendar(_mobile_points(), request),
                        content_type="text/calendar; charset=utf-8")


@login_not_required
def point_deployments_ics(request, slug: str):
    """Where one mobile point stands, as a calendar (linked from its page)."""
    point = get_object_or_404(_mobile_points(), slug=slug)
    return HttpResponse(
        deployments_calendar([point], request, name=f"Digibank mobiel: {point.name}"),
        content_type="text/calendar; charset=utf-8")
