from django.urls import path

from trainings import public, views

app_name = "trainings"

urlpatterns = [
    # Public pages for residents.
    path("opleidingen/", public.session_list, name="public-list"),
    path("opleidingen/agenda.ics", public.ical_feed, name="ical"),
    path("opleidingen/punt/<slug:slug>/agenda.ics", public.point_ical_feed, name="point-ical"),
    path("opleidingen/partner/<slug:slug>/agenda.ics", public.venue_ical_feed,
         name="venue-ical"),
    path("opleidingen/<int:pk>/", public.session_detail, name="public-detail"),
    path("opleidingen/<int:pk>/inschrijven/", public.enrol, name="public-enrol"),
    path("opleidingen/<int:pk>/bevestiging/", public.confirmation, name="public-confirmation"),
    # Staff: sessions and enrolments.
    path("opleidingen/sessies/", views.session_list, name="sessions"),
    path("opleidingen/sessies/nieuw/", views.session_create, name="session-create"),
    path("opleidingen/sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("opleidingen/sessies/<int:pk>/wijzigen/", views.session_edit, name="session-edit"),
    path("opleidingen/sessies/<int:pk>/annuleren/", views.session_cancel,
         name="session-cancel"),
    path("opleidingen/sessies/<int:pk>/aanwezigheidslijst/", views.attendance_sheet,
         name="attendance-sheet"),
    path("opleidingen/sessies/<int:pk>/binnenloper/", views.walk_in, name="walk-in"),
    path("opleidingen/inschrijvingen/<int:pk>/aanwezigheid/", views.mark_attendance,
         name="mark-attendance"),
    path("opleidingen/inschrijvingen/<int:pk>/annuleren/", views.enrolment_cancel,
         name="enrolment-cancel"),
    path("opleidingen/reeksen/<int:pk>/", views.run_detail, name="run-detail"),
    path("opleidingen/reeksen/inschrijvingen/<int:pk>/annuleren/", views.run_enrolment_cancel,
         name="run-enrolment-cancel"),
    # Staff: courses, interest lists, figures.
    path("opleidingen/cursussen/", views.course_list, name="courses"),
    path("opleidingen/cursussen/nieuw/", views.course_edit, name="course-create"),
    path("opleidingen/cursussen/<int:pk>/wijzigen/", views.course_edit, name="course-edit"),
    path("opleidingen/interesse/", views.interest_list, name="interest-list"),
    path("opleidingen/interesse/bel/<int:pk>/inschrijven/", views.interest_call_enrol,
         name="interest-call-enrol"),
    path("opleidingen/cijfers/", views.figures, name="figures"),
    # Guidance.
    path("begeleiding/", views.guidance_list, name="guidance-list"),
    path("begeleiding/nieuw/", views.guidance_create, name="guidance-create"),
    path("begeleiding/<int:pk>/", views.guidance_detail, name="guidance-detail"),
    path("begeleiding/<int:pk>/afsluiten/", views.guidance_close, name="guidance-close"),
    path("begeleiding/<int:pk>/heropenen/", views.guidance_reopen, name="guidance-reopen"),
    path("begeleiding/gesprekken/<int:pk>/wijzigen/", views.meeting_edit, name="meeting-edit"),
]
