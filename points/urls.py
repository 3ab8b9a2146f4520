from django.urls import path

from points import views

app_name = "points"

urlpatterns = [
    path("punt-kiezen/", views.choose_point, name="choose-point"),
    # The counter and the coach queue
    path("balie/", views.counter, name="counter"),
    path("balie/inwoners/", views.counter_resident_search, name="counter-resident-search"),
    path("balie/coach/", views.coach_queue, name="coach-queue"),
    path("balie/bezoek/<int:pk>/nemen/", views.visit_take, name="visit-take"),
    path("balie/bezoek/<int:pk>/naar-coach/", views.visit_hand_over, name="visit-hand-over"),
    path("balie/bezoek/<int:pk>/overnemen/", views.visit_take_over, name="visit-take-over"),
    path("balie/bezoek/<int:pk>/afronden/", views.visit_finish, name="visit-finish"),
    path("balie/bezoek/<int:pk>/vertrokken/", views.visit_left, name="visit-left"),
    path("balie/bezoek/<int:pk>/corrigeren/", views.visit_correct, name="visit-correct"),
    # Coordinator screens
    path("punten-beheer/", views.manage_points, name="manage-points"),
    path("punten-beheer/nieuw/", views.manage_point, name="manage-point-create"),
    path("punten-beheer/<int:pk>/", views.manage_point, name="manage-point"),
    path("punten-beheer/<int:pk>/uren/", views.manage_hours, name="manage-hours"),
    path("punten-beheer/<int:pk>/sluitingen/", views.manage_closures, name="manage-closures"),
    path("punten-beheer/<int:pk>/inzetten/", views.manage_deployments,
         name="manage-deployments"),
    path("sluitingsdagen/", views.manage_closures, name="manage-holidays"),
    path("sluitingen/<int:pk>/verwijderen/", views.delete_closure, name="closure-delete"),
    path("inzetten/<int:pk>/", views.edit_deployment, name="deployment-edit"),
    path("inzetten/<int:pk>/verwijderen/", views.delete_deployment, name="deployment-delete"),
    path("vraagthemas/", views.manage_topics, name="manage-topics"),
    path("vraagthemas/<int:pk>/", views.manage_topics, name="manage-topic"),
    # Public pages
    path("punten/<slug:slug>/", views.point_detail, name="detail"),
    path("scherm/", views.info_screen, name="screen"),
    path("open-data/punten.json", views.open_data_points, name="open-data"),
    path("open-data/inzetten.ics", views.deployments_ics, name="deployments-ics"),
]
