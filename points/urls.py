from django.urls import path

from points import views

app_name = "points"

urlpatterns = [
    path("punt-kiezen/", views.choose_point, name="choose-point"),
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
    path("punten/<slug:slug>/inzetten.ics", views.point_deployments_ics,
         name="point-deployments-ics"),
]
