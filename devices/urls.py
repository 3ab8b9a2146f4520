from django.urls import path

from devices import views

app_name = "devices"

urlpatterns = [
    path("toestellen/", views.device_list, name="device-list"),
    path("toestellen/jaarlijkse-controle/", views.checks_due, name="checks-due"),
    path("toestellen/labels/", views.device_labels, name="device-labels"),
    path("toestellen/<slug:tag>/", views.device_detail, name="device-detail"),
    path("toestellen/<slug:tag>/label/", views.device_label, name="device-label"),
    path("toestellen/<slug:tag>/versturen/", views.device_send, name="device-send"),
    path("toestellen/<slug:tag>/status/", views.device_status, name="device-status"),
    path("toestellen/<slug:tag>/ontvangen/", views.device_receive, name="device-receive"),
    path("toestellen/<slug:tag>/naar-atelier/", views.device_to_atelier,
         name="device-to-atelier"),
    path("balie/uitlenen/", views.hand_out, name="hand-out"),
    path("balie/terugbrengen/", views.take_back, name="return"),
    path("reservaties/", views.reservations, name="reservations"),
    path("reservaties/<int:pk>/toestel/", views.reservation_assign, name="reservation-assign"),
    path("reservaties/<int:pk>/annuleren/", views.reservation_cancel,
         name="reservation-cancel"),
    path("inwoners/<int:pk>/toestellen/", views.resident_devices, name="resident-devices"),
    path("inwoners/<int:pk>/abonnement/", views.subscription_create,
         name="subscription-create"),
    path("inwoners/<int:pk>/reservatie/", views.reservation_create, name="reservation-create"),
    path("abonnementen/<int:pk>/", views.subscription_change, name="subscription-change"),
    path("uitleningen/<int:pk>/overeenkomst/", views.loan_agreement, name="loan-agreement"),
]
