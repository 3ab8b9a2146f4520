"""The counter's addresses. The paths are those of the screens before they
moved here (under /balie/), so bookmarks keep working."""

from django.urls import path

from counter import panels, views

app_name = "counter"

urlpatterns = [
    path("balie/", views.counter, name="counter"),
    path("balie/inwoners/", views.counter_resident_search, name="resident-search"),
    path("balie/coach/", views.coach_queue, name="coach-queue"),
    path("balie/bezoek/<int:pk>/nemen/", views.visit_take, name="visit-take"),
    path("balie/bezoek/<int:pk>/naar-coach/", views.visit_hand_over, name="visit-hand-over"),
    path("balie/bezoek/<int:pk>/terugnemen/", views.visit_take_back, name="visit-take-back"),
    path("balie/bezoek/<int:pk>/overnemen/", views.visit_take_over, name="visit-take-over"),
    path("balie/bezoek/<int:pk>/afronden/", views.visit_finish, name="visit-finish"),
    path("balie/bezoek/<int:pk>/vertrokken/", views.visit_left, name="visit-left"),
    path("balie/bezoek/<int:pk>/corrigeren/", views.visit_correct, name="visit-correct"),
    path("balie/bezoek/<int:pk>/annuleren/", views.visit_cancel, name="visit-cancel"),
    path("balie/bezoek/<int:pk>/toch-niet-vertrokken/", views.visit_undo_left,
         name="visit-undo-left"),
    # Its panels: the digikaart's offers for the ticked topics, the slip, the
    # quick enrolment in a training.
    path("balie/aanbod/", panels.counter_offers, name="offers"),
    path("balie/aanbod/briefje/", panels.offer_slip, name="offer-slip"),
    path("balie/bezoek/<int:pk>/wegwijzer/", panels.visit_slip, name="visit-slip"),
    path("balie/bezoek/<int:pk>/wegwijzer/sturen/", panels.visit_slip_send,
         name="visit-slip-send"),
    path("opleidingen/inschrijven/", panels.quick_enrol, name="quick-enrol"),
]
