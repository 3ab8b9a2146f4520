"""The coordinator dashboard and its CSV exports. Hosts and coaches see the
same figures for the points they work at only."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.access import role_required
from digibank.charts import bar_chart
from digibank.demand import (
    deployment_from_suggestion,
    district_demand,
    recurring_peaks,
    suggest_deployments,
    unanswered_demand,
    weekly_heat,
)
from digibank.figures import TABLES, Scope, dashboard_tables, scope_for
from digibank.forms import DashboardForm, DemandForm, PlanSuggestionForm
from digibank.models import AuditAction
from digibank.services import record_audit
from points.models import Point, PointKind
from points.services import ScheduleError, plan_deployment

DASHBOARD_ROLES = ("host", "coach", "coordinator")


def _scope(request) -> tuple[DashboardForm, Scope | None]:
    """Parse the period and place; a host or coach is kept to their points."""
    user = request.user
    coordinator = user.has_role("coordinator")
    points = Point.objects.for_staff(user).order_by("name")
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else {
        "start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
    form = DashboardForm(data, points=points, may_choose_district=coordinator)
    if not form.is_valid():
        return form, None
    allowed = None if coordinator else points
    scope = scope_for(start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                      point=form.cleaned_data["point"],
                      district=form.cleaned_data.get("district"), allowed=allowed)
    return form, scope


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    form, scope = _scope(request)
    tables = dashboard_tables(scope) if scope else []
    charts = {table.slug: bar_chart(table.rows) for table in tables if table.chart}
    return render(request, "digibank/dashboard.html", {
        "form": form, "scope": scope, "tables": tables, "charts": charts,
        "query": request.GET.urlencode(),
    })


@role_required(*DASHBOARD_ROLES)
def dashboard_export(request, slug: str):
    form, scope = _scope(request)
    if scope is None:
        raise Http404
    if slug not in TABLES:
        raise Http404
    table = dashboard_tables(scope, only=(slug,))[0]
    record_audit(actor=request.user, action=AuditAction.EXPORT,
                 summary=_("Dashboard table exported: %(title)s") % {"title": table.title},
                 detail={"table": slug, "start": scope.start.isoformat(),
                         "end": scope.end.isoformat(), "points": scope.points})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="digibank-{slug}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"')
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(table.headers)
    writer.writerows([["" if cell is None else cell for cell in row] for row in table.rows])
    return response


@role_required("coordinator")
def demand(request):
    """Demand per district (per inhabitant) and week, recurring peaks,
    unanswered demand, and suggested mobile deployments."""
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else {
        "start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    form = DemandForm(data)
    rows, heat, unanswered = [], None, None
    if form.is_valid():
        scope = Scope(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        rows = district_demand(scope, form.cleaned_data["topic"])
        heat = weekly_heat(scope, form.cleaned_data["topic"])
        unanswered = unanswered_demand(scope, form.cleaned_data["topic"])
    mobile = Point.objects.filter(kind=PointKind.MOBILE, is_active=True).order_by("name")
    peaks, first_mobile = recurring_peaks(today), mobile.first()
    suggestions = [
        (suggestion, PlanSuggestionForm(initial={
            "district": suggestion.district, "topic": suggestion.topic,
            "day": suggestion.week_start, "point": first_mobile}, auto_id=f"s{n}_%s"))
        for n, suggestion in enumerate(suggest_deployments(today, peaks=peaks))
    ]
    return render(request, "digibank/demand.html", {
        "form": form, "rows": rows, "heat": heat, "unanswered": unanswered, "peaks": peaks,
        "suggestions": suggestions, "mobile": mobile})


@role_required("coordinator")
@require_POST
def plan_suggestion(request):
    form = PlanSuggestionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("demand")
    data = form.cleaned_data
    deployment = deployment_from_suggestion(district=data["district"], topic=data["topic"],
                                            day=data["day"], point=data["point"])
    try:
        plan_deployment(deployment=deployment)
    except ScheduleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Mobile deployment planned: %(what)s.") % {
            "what": deployment})
    return redirect("demand")


FUNDER_TABLES = ("bereik", "doelgroepen", "uitleningen", "opleidingen", "doorverwijzingen")


@role_required("coordinator")
def funder_report(request):
    """The period report for the funder: printable, the same figures as the dashboard."""
    form, scope = _scope(request)
    tables = dashboard_tables(scope, only=FUNDER_TABLES) if scope else []
    return render(request, "digibank/funder_report.html",
                  {"form": form, "scope": scope, "tables": tables})
