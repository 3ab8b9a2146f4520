"""The coordinator dashboard and its CSV exports. Hosts and coaches see the
same figures for the points they work at only."""

import csv
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.access import role_required
from digibank.charts import bar_chart
from digibank.figures import Scope, dashboard_tables, scope_for
from digibank.forms import DashboardForm
from digibank.models import AuditAction
from digibank.services import record_audit
from points.models import Point

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
    table = next((t for t in dashboard_tables(scope) if t.slug == slug), None)
    if table is None:
        raise Http404
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
