"""The coordinator dashboard, its exports (CSV and Excel per table, one
workbook with every table) and the funder report (a page and a PDF). Hosts
and coaches see the same figures for the points they work at only."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dashboard import exports, reach
from dashboard.charts import bar_chart, line_chart
from dashboard.demand import (
    deployment_from_suggestion,
    district_demand,
    past_year,
    recurring_peaks,
    suggest_deployments,
    unanswered_demand,
    weekly_heat,
)
from dashboard.figures import TABLES, Scope, dashboard_tables, scope_for
from dashboard.forms import DashboardForm, DemandForm, PlanSuggestionForm, ReachPeriodForm
from dashboard.glance import glance
from digibank.access import role_required, safe_next
from digibank.models import AuditAction
from digibank.services import record_audit
from digibank.spreadsheets import csv_writer
from outreach import reports
from points.forms import deployment_form_url
from points.models import Point, PointKind
from points.services import ScheduleError, free_deployment_slots, plan_deployment

DASHBOARD_ROLES = ("host", "coach", "coordinator")


def _scope(request) -> tuple[DashboardForm, Scope | None]:
    """Parse the period and place; a host or coach is kept to their points."""
    user = request.user
    coordinator = user.has_role("coordinator")
    points = Point.objects.for_staff(user).order_by("name")
    # A point or district asked for is always checked, never dropped (a
    # wrong one must not show the city), with or without a period.
    form = DashboardForm(request.GET, points=points, may_choose_district=coordinator,
                         today=timezone.localdate())
    if not form.is_valid():
        return form, None
    allowed = None if coordinator else points
    scope = scope_for(start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                      point=form.cleaned_data["point"],
                      district=form.cleaned_data.get("district"), allowed=allowed)
    return form, scope


# Shown in the first screen's own form; still in every file (CSV, Excel, PDF).
GLANCE_TABLES = ("drempels", "weken")


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    """The first screen (the four questions, for today) above the detailed
    tables of the chosen period, each in a section that folds."""
    form, scope = _scope(request)
    today = timezone.localdate()
    tables = dashboard_tables(scope, only=tuple(
        slug for slug in TABLES if slug not in GLANCE_TABLES)) if scope else []
    charts = {table.slug: bar_chart(table.rows) for table in tables if table.chart}
    at_a_glance = glance(today, scope.points) if scope else None
    return render(request, "dashboard/dashboard.html", {
        "form": form, "scope": scope, "previous": scope.previous() if scope else None,
        "tables": tables, "charts": charts, "glance": at_a_glance,
        "trend_charts": _trend_charts(at_a_glance.trend) if at_a_glance else None,
        "plans": _plan_forms(at_a_glance.unanswered) if at_a_glance and
        request.user.has_role("coordinator") else [],
        "query": request.GET.urlencode(), "today": today, "plan_results_here": True,
    })


def _trend_charts(trend) -> dict:
    """The weekly lines (this year, the year before) for visits and people,
    a month name under the first week of each month."""
    labels = [(n, formats.date_format(week.start, "M"))
              for n, week in enumerate(trend.weeks)
              if n == 0 or week.start.month != trend.weeks[n - 1].start.month]
    return {
        name: line_chart([([getattr(w, f"{name}_before") for w in trend.weeks], "line-before"),
                          ([getattr(w, name) for w in trend.weeks], "line-now")], labels)
        for name in ("visits", "people")}


def _plan_forms(rows: list[dict]) -> list[tuple[dict, PlanSuggestionForm]]:
    """A one-click plan form beside each unanswered topic and district,
    both to change: the Monday two weeks ahead and the first mobile point
    free then, else the next free day (each row its own free slot)."""
    mobile = list(Point.objects.filter(kind=PointKind.MOBILE, is_active=True).order_by("name"))
    today = timezone.localdate()
    monday = today + timedelta(days=14 - today.weekday())
    slots = free_deployment_slots(mobile, [monday] * len(rows))
    return [(row, PlanSuggestionForm(initial={
        "district": row["district"], "topic": row["topic"],
        "day": slot[1] if slot else monday, "point": slot[0] if slot else None},
        mobile_points=mobile, auto_id=f"plan{n}_%s"))
        for n, (row, slot) in enumerate(zip(rows, slots, strict=True))]


def _filename(kind: str, scope: Scope, extension: str) -> str:
    """A file's name with its period and place: ``digibank-bereik-20260301-20260331-bib.csv``."""
    return (f"digibank-{kind}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}-"
            f"{slugify(scope.place)[:60]}.{extension}")


def _bad_filter(form: DashboardForm) -> HttpResponse:
    """A file asked for with a period, point or district that does not hold:
    a plain answer saying what is wrong, never a file of the whole city."""
    problems = [f"{form[name].label}: {' '.join(errors)}" if name in form.fields
                else " ".join(errors) for name, errors in form.errors.items()]
    text = "\n".join([_("No file was made: the filter is not right."), *problems])
    return HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")


def _record_export(request, scope: Scope, summary: str, **detail) -> None:
    record_audit(actor=request.user, action=AuditAction.EXPORT, summary=summary,
                 detail={**detail, "start": scope.start.isoformat(),
                         "end": scope.end.isoformat(), "points": scope.points})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*DASHBOARD_ROLES)
def dashboard_export(request, slug: str, file_format: str = "csv"):
    """One dashboard table as CSV or Excel, for the same period and place."""
    form, scope = _scope(request)
    if scope is None:
        return _bad_filter(form)
    # An atelier-wide table is not there for a point's scope: not found either.
    tables = dashboard_tables(scope, only=(slug,)) if slug in TABLES else []
    if not tables:
        raise Http404
    table = tables[0]
    _record_export(request, scope,
                   _("Dashboard table exported: %(title)s") % {"title": table.title},
                   table=slug, format=file_format)
    table_sheet = exports.sheet(table, scope, scope.place)
    filename = _filename(slug, scope, file_format)
    if file_format == "xlsx":
        return _download(exports.workbook([table_sheet], title=table_sheet.title),
                         exports.XLSX_TYPE, filename)
    response = _download(b"", "text/csv; charset=utf-8", filename)
    exports.write_csv(response, table_sheet)
    return response


@role_required(*DASHBOARD_ROLES)
def dashboard_workbook(request):
    """Every table of the dashboard in one Excel workbook, a sheet each."""
    form, scope = _scope(request)
    if scope is None:
        return _bad_filter(form)
    tables = dashboard_tables(scope)
    _record_export(request, scope, _("Dashboard exported: all tables"),
                   table="*", format="xlsx")
    title = _("Dashboard, %(period)s, %(place)s") % {
        "period": exports.period_text(scope), "place": scope.place}
    content = exports.workbook([exports.sheet(table, scope, scope.place) for table in tables],
                               title=title)
    return _download(content, exports.XLSX_TYPE,
                     _filename("dashboard", scope, "xlsx"))


@role_required("coordinator")
def demand(request):
    """Demand per district (per inhabitant) and week, recurring peaks,
    unanswered demand, and suggested mobile deployments."""
    today = timezone.localdate()
    year = past_year(today)
    data = request.GET.copy()
    if "start" not in data:  # the past year; a topic asked for is still checked
        data.update({"start": year.start.isoformat(), "end": year.end.isoformat()})
    form = DemandForm(data)
    rows, heat, unanswered, scope = [], None, None, None
    if form.is_valid():
        scope = Scope(start=form.cleaned_data["start"], end=form.cleaned_data["end"], memo={})
        rows = district_demand(scope, form.cleaned_data["topic"])
        heat = weekly_heat(scope, form.cleaned_data["topic"], form.cleaned_data["measure"])
        unanswered = unanswered_demand(scope, form.cleaned_data["topic"])
    mobile = list(Point.objects.filter(kind=PointKind.MOBILE, is_active=True).order_by("name"))
    peaks = recurring_peaks(today)
    found = suggest_deployments(today, peaks=peaks, page=scope)
    slots = free_deployment_slots(mobile, [suggestion.day for suggestion in found])
    suggestions = [
        (suggestion, PlanSuggestionForm(initial={
            "district": suggestion.district, "topic": suggestion.topic,
            "day": slot[1] if slot else suggestion.day, "point": slot[0] if slot else None},
            mobile_points=mobile, auto_id=f"s{n}_%s"))
        for n, (suggestion, slot) in enumerate(zip(found, slots, strict=True))
    ]
    return render(request, "dashboard/demand.html", {
        "form": form, "rows": rows, "heat": heat, "unanswered": unanswered, "peaks": peaks,
        "suggestions": suggestions, "mobile": mobile, "plan_results_here": True})


@role_required("coordinator")
@require_POST
def plan_suggestion(request):
    form = PlanSuggestionForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors),
                           extra_tags=PLAN_RESULT)
        return _back_to_plans(request)
    data = form.cleaned_data
    deployment = deployment_from_suggestion(district=data["district"], topic=data["topic"],
                                            day=data["day"], point=data["point"])
    if not deployment.street:
        # No stop known in the district yet: the deployment form, filled in
        # but for the place and its address.
        messages.info(request, _("No stop is known in %(district)s yet: fill in the place and "
                                 "its address.") % {"district": data["district"]})
        return redirect(deployment_form_url(deployment))
    try:
        plan_deployment(deployment=deployment)
    except ScheduleError as exc:
        messages.error(request, str(exc), extra_tags=PLAN_RESULT)
    else:
        messages.success(request, _("Mobile deployment planned: %(what)s.") % {
            "what": deployment}, extra_tags=PLAN_RESULT)
    return _back_to_plans(request)


# A plan's result is shown beside the plan forms (``includes/plan_result.html``),
# not at the top of the page, and takes the focus there.
PLAN_RESULT = "plan-result"


def _back_to_plans(request):
    """Back to the page the plan was made on, at its result."""
    return redirect(safe_next(request, reverse("demand")).split("#")[0] + "#plan-result")


FUNDER_TABLES = ("bereik", "drempels", "weken", "doelgroepen", "uitleningen", "opleidingen",
                 "doorverwijzingen", "impact")
FUNDER_METHOD = gettext_lazy(
    "Unique people reached: every resident with a record who visited, attended a training or "
    "borrowed a device in the period, counted once, plus every visitor key chosen by a visitor "
    "without a record, counted once. Visits without either are not counted as people.")


@role_required("coordinator")
def funder_report(request):
    """The period report for the funder: printable, the same figures as the dashboard."""
    form, scope = _scope(request)
    tables = dashboard_tables(scope, only=FUNDER_TABLES) if scope else []
    return render(request, "dashboard/funder_report.html", {
        "form": form, "scope": scope, "tables": tables, "method": FUNDER_METHOD,
        "query": request.GET.urlencode()})


@role_required("coordinator")
def funder_report_pdf(request):
    """The funder report as a PDF, built from the same tables as the page."""
    form, scope = _scope(request)
    if scope is None:
        return _bad_filter(form)
    tables = dashboard_tables(scope, only=FUNDER_TABLES)
    _record_export(request, scope, _("Report for the funder exported as PDF"),
                   table="funder-report", format="pdf")
    content = exports.funder_pdf(
        tables=tables, scope=scope, place=scope.place, name=settings.DIGIBANK_NAME,
        generated_at=timezone.localtime(), method=str(FUNDER_METHOD))
    return _download(content, "application/pdf",
                     _filename("verslag", scope, "pdf"))


def _reach_period(request) -> tuple[ReachPeriodForm, date | None, date | None]:
    """The reach report's period: all time unless a valid one is chosen."""
    form = ReachPeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@role_required("coordinator")
def reach_report(request):
    """What brings people in: referrals per partner and month, visits and
    QR scans per channel (``dashboard.reach``), scans per poster, roadshows."""
    form, start, end = _reach_period(request)
    return render(request, "dashboard/reach_report.html", {
        "form": form,
        "referral_rows": reports.referrals_per_partner_and_month(start, end),
        "channel_rows": reach.reach_per_channel(start, end),
        "poster_rows": reports.scans_per_poster(start, end),
        "roadshows": reports.roadshow_rows(start, end),
    })


REACH_EXPORTS = {
    "doorverwijzingen": (
        lambda start, end: [
            {**row, "month": timezone.localtime(row["month"]).strftime("%Y-%m")}
            for row in reports.referrals_per_partner_and_month(start, end)],
        ["month", "partner__name", "incoming", "incoming_completed", "outgoing",
         "outgoing_completed"],
    ),
    "kanalen": (
        lambda start, end: [
            {"name": c.name, "visits": c.visit_count, "scans": c.scan_count}
            for c in reach.reach_per_channel(start, end)],
        ["name", "visits", "scans"],
    ),
}


@role_required("coordinator")
def reach_report_export(request, table: str):
    """One table of the reach report as CSV (aggregates only, no personal data)."""
    if table not in REACH_EXPORTS:
        raise Http404
    _form, start, end = _reach_period(request)
    rows, columns = REACH_EXPORTS[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bereik-{table}.csv"'
    writer = csv_writer(response, delimiter=";")
    writer.writerow(columns)
    for row in rows(start, end):
        writer.writerow([row[column] for column in columns])
    record_audit(actor=request.user, action=AuditAction.EXPORT,
                 summary=_("Reach report exported: %(table)s") % {"table": table})
    return response
