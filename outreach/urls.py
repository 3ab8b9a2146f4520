from django.urls import path

from outreach import guide, views

app_name = "outreach"

urlpatterns = [
    path("doorverwijzingen/", views.referral_list, name="referral-list"),
    path("doorverwijzingen/contactaanvraag/", views.contact_request, name="contact-request"),
    path("doorverwijzingen/nieuw/", views.referral_create, name="referral-create"),
    path("doorverwijzingen/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("doorverwijzingen/<int:pk>/status/", views.referral_status, name="referral-status"),
    path("doorverwijzingen/<int:pk>/toestemming-intrekken/", views.consent_withdraw,
         name="consent-withdraw"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
    path("campagne/", views.campaign, name="campaign"),
    path("campagne/affiche/<slug:point_slug>/<slug:channel_slug>/", views.poster,
         name="poster"),
    path("campagne/flyer/<slug:point_slug>/<slug:channel_slug>/", views.flyer, name="flyer"),
    path("campagne/roadshows/", views.roadshow_list, name="roadshow-list"),
    path("campagne/roadshows/nieuw/", views.roadshow_edit, name="roadshow-create"),
    path("campagne/roadshows/<int:pk>/", views.roadshow_edit, name="roadshow-edit"),
    path("campagne/schermberichten/", views.screen_message_list, name="screen-message-list"),
    path("campagne/schermberichten/nieuw/", views.screen_message_edit,
         name="screen-message-create"),
    path("campagne/schermberichten/<int:pk>/", views.screen_message_edit,
         name="screen-message-edit"),
    path("campagne/kanalen/", views.channel_list, name="channel-list"),
    path("campagne/kanalen/nieuw/", views.channel_edit, name="channel-create"),
    path("campagne/kanalen/<int:pk>/", views.channel_edit, name="channel-edit"),
    path("q/<slug:code>/", views.qr_redirect, name="qr"),
    # The digital offer guide (digikaart)
    path("aanbod/", guide.offer_list, name="offer-list"),
    path("aanbod/<int:pk>/", guide.offer_detail, name="offer-detail"),
    path("open-data/aanbod.json", guide.open_data, name="offer-open-data"),
    # The offer guide in Open Referral's HSDS 3.0 (outreach.hsds)
    path("open-data/hsds/", guide.hsds_root, name="hsds-root"),
    path("open-data/hsds/services", guide.hsds_services, name="hsds-services"),
    path("open-data/hsds/services/<str:id>", guide.hsds_service, name="hsds-service"),
    path("open-data/hsds/organizations", guide.hsds_organizations, name="hsds-organizations"),
    path("open-data/hsds/organizations/<str:id>", guide.hsds_organization,
         name="hsds-organization"),
    path("open-data/hsds/locations", guide.hsds_locations, name="hsds-locations"),
    path("open-data/hsds/locations/<str:id>", guide.hsds_location, name="hsds-location"),
    path("aanbod-beheer/", guide.manage_list, name="offer-manage"),
    path("aanbod-beheer/nieuw/", guide.offer_edit, name="offer-create"),
    path("aanbod-beheer/<int:pk>/", guide.offer_edit, name="offer-edit"),
    path("aanbod-beheer/<int:pk>/gecontroleerd/", guide.offer_check, name="offer-check"),
]
