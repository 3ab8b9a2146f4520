"""The coordinator's workspace. Included by ``digibank.urls`` without a
namespace: the names (``dashboard``, ``demand`` …) and addresses are those
from before the move out of ``digibank``. The reach report keeps its address
``/bereik/``; its names lost the ``outreach:`` namespace when it moved here
(``reach-report``, ``reach-report-export``), since outreach cannot name a
view of the dashboard."""

from django.urls import path

from dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export/<slug:slug>.csv", views.dashboard_export, name="dashboard-export"),
    path("dashboard/export/<slug:slug>.xlsx", views.dashboard_export,
         {"file_format": "xlsx"}, name="dashboard-export-xlsx"),
    path("dashboard/tabellen.xlsx", views.dashboard_workbook, name="dashboard-workbook"),
    path("dashboard/subsidieverslag/", views.funder_report, name="funder-report"),
    path("dashboard/subsidieverslag.pdf", views.funder_report_pdf, name="funder-report-pdf"),
    path("dashboard/vraag/", views.demand, name="demand"),
    path("dashboard/vraag/plannen/", views.plan_suggestion, name="plan-suggestion"),
    # The reach report, at its address from before it read the roll-up.
    path("bereik/", views.reach_report, name="reach-report"),
    path("bereik/<slug:table>.csv", views.reach_report_export, name="reach-report-export"),
]
