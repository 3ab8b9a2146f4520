from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from digibank import views
from digibank.accounts import LoginForm, PasswordResetView

# The public home page is the points finder.
from points.views import finder  # noqa: E402

resident_patterns = (
    [
        path("", views.resident_list, name="list"),
        path("nieuw/", views.resident_create, name="create"),
        path("<int:pk>/", views.resident_detail, name="detail"),
        path("<int:pk>/wijzigen/", views.resident_edit, name="edit"),
        path("<int:pk>/inzage/", views.subject_access, name="subject-access"),
        path("<int:pk>/wissen/", views.resident_erase, name="erase"),
    ],
    "residents",
)

auth_patterns = [
    path("aanmelden/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                    authentication_form=LoginForm),
         name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/wijzigen/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("wachtwoord/vergeten/", PasswordResetView.as_view(),
         name="password_reset"),
    path("wachtwoord/vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("wachtwoord/nieuw/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord/nieuw/klaar/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]

urlpatterns = [
    path("", finder, name="home"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("taal/", views.set_language, name="set-language"),
    path("healthz", views.healthz, name="healthz"),
    path("start/", views.workspace, name="workspace"),
    path("inwoners/", include(resident_patterns)),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/bewaartermijnen/", views.retention_periods, name="retention"),
    # The call list: the kernel's call tasks, on a point's screen.
    path("", include("points.call_urls")),
    path("", include(auth_patterns)),
    path("", include("points.urls")),
    # The host's and coach's workspace (under /balie/), above the domain apps.
    path("", include("counter.urls")),
    path("", include("trainings.urls")),
    path("", include("devices.urls")),
    path("", include("atelier.urls")),
    path("", include("soundboard.urls")),
    path("", include("outreach.urls")),
    # The coordinator's workspace (figures, demand, exports), above the domain apps.
    path("", include("dashboard.urls")),
    path("beheer/", admin.site.urls),
]

