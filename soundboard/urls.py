from django.urls import path

from soundboard import views

app_name = "soundboard"

urlpatterns = [
    path("klankbordgroepen/", views.board_list, name="board-list"),
    path("klankbordgroepen/opvolging/", views.overview, name="overview"),
    path("klankbordgroepen/groep/<slug:slug>/", views.board_detail, name="board-detail"),
    path("klankbordgroepen/groep/<slug:slug>/leden/nieuw/", views.member_add, name="member-add"),
    path("klankbordgroepen/groep/<slug:slug>/vergaderingen/nieuw/", views.meeting_create,
         name="meeting-create"),
    path("klankbordgroepen/groep/<slug:slug>/vergaderingen/volgende/", views.meeting_plan_next,
         name="meeting-plan-next"),
    path("klankbordgroepen/groep/<slug:slug>/stappen/nieuw/", views.step_create,
         name="step-create"),
    path("klankbordgroepen/leden/<int:pk>/wijzigen/", views.member_edit, name="member-edit"),
    path("klankbordgroepen/leden/<int:pk>/vertrokken/", views.member_leave, name="member-leave"),
    path("klankbordgroepen/vergaderingen/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("klankbordgroepen/vergaderingen/<int:pk>/wijzigen/", views.meeting_edit,
         name="meeting-edit"),
    path("klankbordgroepen/vergaderingen/<int:pk>/notities/", views.meeting_notes,
         name="meeting-notes"),
    path("klankbordgroepen/vergaderingen/<int:pk>/aanwezig/<int:member_pk>/",
         views.attendance_toggle, name="attendance-toggle"),
    path("klankbordgroepen/vergaderingen/<int:pk>/feedback/", views.feedback_create,
         name="feedback-create"),
    path("klankbordgroepen/vergaderingen/<int:pk>/teruggekoppeld/", views.told_back,
         name="told-back"),
    path("klankbordgroepen/vergaderingen/<int:pk>/terugkoppeling/", views.digest_build,
         name="digest-build"),
    path("klankbordgroepen/feedback/<int:pk>/", views.item_detail, name="item-detail"),
    path("klankbordgroepen/feedback/<int:pk>/antwoord/", views.item_answer, name="item-answer"),
    path("klankbordgroepen/terugkoppeling/<int:pk>/", views.digest_detail, name="digest-detail"),
    path("klankbordgroepen/terugkoppeling/<int:pk>/afdrukken/", views.digest_sheet,
         name="digest-sheet"),
]
