from django.urls import path

from atelier import views

app_name = "atelier"

urlpatterns = [
    path("atelier/", views.board, name="board"),
    path("atelier/klussen/<int:pk>/", views.job_detail, name="job-detail"),
    path("atelier/klussen/<int:pk>/wissen/", views.job_wipe, name="job-wipe"),
    path("atelier/klussen/<int:pk>/stap/<slug:step>/", views.job_step, name="job-step"),
    path("atelier/klussen/<int:pk>/hertest/", views.job_retest, name="job-retest"),
    path("atelier/klussen/<int:pk>/klaar/", views.job_finish, name="job-finish"),
    path("atelier/klussen/<int:pk>/afvoeren/", views.job_scrap, name="job-scrap"),
    path("atelier/toestellen/<slug:tag>/", views.device_story, name="device-story"),
    path("atelier/toestellen/<slug:tag>/klus/", views.job_start, name="job-start"),
    path("atelier/schenkingen/", views.donation_list, name="donation-list"),
    path("atelier/schenkingen/<int:pk>/", views.donation_detail, name="donation-detail"),
    path("atelier/schenkingen/<int:pk>/ontvangen/", views.donation_received,
         name="donation-received"),
    path("atelier/schenkingen/<int:pk>/certificaat/", views.donation_certificate,
         name="donation-certificate"),
    path("atelier/herstellingen/", views.ticket_list, name="ticket-list"),
    path("atelier/herstellingen/ords.csv", views.ords_export, name="ords-export"),
    path("atelier/herstellingen/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("atelier/herstellingen/<int:pk>/status/", views.ticket_move, name="ticket-move"),
    path("atelier/herstellingen/<int:pk>/afsluiten/", views.ticket_resolve,
         name="ticket-resolve"),
    path("atelier/defecten/<int:pk>/herstelling/", views.report_ticket, name="report-ticket"),
    path("balie/herstelling/", views.intake, name="intake"),
    path("balie/herstelling/<int:pk>/ontvangstbewijs/", views.intake_receipt,
         name="intake-receipt"),
    path("balie/defect/", views.defect_bookmark, name="defect-bookmark"),
    path("atelier/jaarlijkse-controles/", views.checks, name="checks"),
    path("uitleningen/<int:pk>/jaarlijkse-controle/", views.yearly_check, name="yearly-check"),
    path("atelier/uren/", views.hours, name="hours"),
    path("atelier/uren/rapport/", views.hours_report, name="hours-report"),
    path("atelier/uren/rapport.xlsx", views.hours_export, name="hours-export"),
    path("atelier/werkers/", views.worker_list, name="workers"),
    path("atelier/werkers/<int:pk>/", views.worker_edit, name="worker-edit"),
    path("atelier/impact/", views.impact, name="impact"),
]
