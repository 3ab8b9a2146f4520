from django.urls import path

from points import views

app_name = "points"

urlpatterns = [
    path("punt-kiezen/", views.choose_point, name="choose-point"),
]
