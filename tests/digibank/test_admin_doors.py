"""The admin is no door around the services: every registered ModelAdmin of
a model whose state changes are services refuses deleting it (no button, no
"delete selected") and changing the fields the services own, and links the
staff page. A new admin (or a new model with a history) fails here until it
is declared."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from devices.models import Device, Loan, Reservation, Subscription
from digibank.admin import ServiceOwnedAdmin
from digibank.models import AuditEvent, HistoryEvent, Notification, Resident
from outreach.models import Offer, Referral
from points.models import Point, Visit
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_visit
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import Enrolment, EnrolmentStatus, Guidance, Session

pytestmark = pytest.mark.django_db

ALL = "__all__"
# Model -> the fields its services own (ALL: the admin only shows it).
SERVICE_OWNED = {
    Session: ALL,
    Enrolment: ALL,
    Visit: ALL,
    Referral: ALL,
    Loan: ALL,
    Reservation: ALL,
    Guidance: ("resident", "status", "outcome", "referred_to", "closed_on"),
    Device: ("status", "point", "status_changed_at", "data_state"),
    Subscription: ("status",),
    Resident: ALL,
}
# Models with a history relation whose admin is on purpose no service door.
NOT_SERVICE_OWNED = {
    Point: "DeviceEvent names a point as a place, not the point's history",
    Offer: "the admin is the offer's editing door: it moves the open data feed",
}


@pytest.fixture
def request_as_superuser(rf: RequestFactory):
    request = rf.get("/beheer/")
    request.user = make_user("coordinator", is_staff=True, is_superuser=True)
    return request


def _history_subjects() -> set:
    """Every model that a HistoryEvent subclass keeps the history of."""
    subjects = set()
    for model in apps.get_models():
        if issubclass(model, HistoryEvent) and model is not HistoryEvent:
            subjects |= {field.related_model for field in model._meta.fields
                         if field.is_relation and field.related_model is not None
                         and field.name != "actor"}
    return subjects


def test_every_admin_of_a_model_with_a_history_is_declared():
    registered = set(admin.site._registry)
    undeclared = {model._meta.label for model in _history_subjects() & registered
                  if model not in SERVICE_OWNED and model not in NOT_SERVICE_OWNED}
    assert undeclared == set()


@pytest.mark.parametrize("model", list(SERVICE_OWNED), ids=lambda m: m._meta.label)
def test_the_admin_refuses_deleting_a_service_owned_model(request_as_superuser, model):
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request_as_superuser)
    assert "delete_selected" not in model_admin.get_actions(request_as_superuser)


@pytest.mark.parametrize("model", list(SERVICE_OWNED), ids=lambda m: m._meta.label)
def test_the_admin_refuses_changing_the_fields_the_services_own(request_as_superuser, model):
    model_admin = admin.site._registry[model]
    owned = SERVICE_OWNED[model]
    if owned == ALL:
        assert not model_admin.has_change_permission(request_as_superuser)
        assert not model_admin.has_add_permission(request_as_superuser)
        return
    obj = model()
    readonly = set(model_admin.get_readonly_fields(request_as_superuser, obj))
    assert set(owned) <= readonly


@pytest.mark.parametrize("model", [m for m in SERVICE_OWNED if m is not Resident],
                         ids=lambda m: m._meta.label)
def test_the_admin_of_a_service_owned_model_links_its_staff_page(model):
    assert isinstance(admin.site._registry[model], ServiceOwnedAdmin)


@pytest.fixture
def coordinator_in_admin(client):
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    return client


def test_deleting_a_session_in_the_admin_is_refused_and_nothing_is_lost(coordinator_in_admin):
    session = make_session()
    make_enrolment(session, make_resident())
    url = reverse("admin:trainings_session_delete", args=[session.pk])
    assert coordinator_in_admin.get(url).status_code == 403
    assert coordinator_in_admin.post(url, {"post": "yes"}).status_code == 403
    assert Session.objects.filter(pk=session.pk).exists()
    assert session.enrolments.count() == 1


def test_bulk_deleting_sessions_in_the_admin_is_not_offered(coordinator_in_admin):
    session = make_session()
    response = coordinator_in_admin.post(reverse("admin:trainings_session_changelist"), {
        "action": "delete_selected", "_selected_action": [session.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert Session.objects.filter(pk=session.pk).exists()


def test_changing_a_sessions_date_in_the_admin_is_refused_and_links_the_staff_page(
        coordinator_in_admin):
    session = make_session(capacity=8)
    url = reverse("admin:trainings_session_change", args=[session.pk])
    page = coordinator_in_admin.get(url)
    assert reverse("trainings:session-detail", args=[session.pk]) in page.content.decode()
    later = timezone.localtime(session.starts_at + timedelta(days=1))
    coordinator_in_admin.post(url, {
        "course": session.course_id, "starts_at_0": f"{later:%d/%m/%Y}",
        "starts_at_1": f"{later:%H:%M}", "ends_at_0": f"{later:%d/%m/%Y}",
        "ends_at_1": f"{later + timedelta(hours=2):%H:%M}", "point": session.point_id,
        "capacity": "2"})
    before = session.starts_at
    session.refresh_from_db()
    assert (session.starts_at, session.capacity) == (before, 8)
    assert not Notification.objects.exists()


def test_deleting_an_enrolment_in_the_admin_is_refused(coordinator_in_admin):
    session = make_session(capacity=1)
    seated = make_enrolment(session, make_resident())
    make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    url = reverse("admin:trainings_enrolment_delete", args=[seated.pk])
    assert coordinator_in_admin.post(url, {"post": "yes"}).status_code == 403
    assert Enrolment.objects.filter(pk=seated.pk).exists()


def test_deleting_a_visit_in_the_admin_is_refused(coordinator_in_admin):
    visit = make_visit(make_point())
    audit_rows = AuditEvent.objects.count()
    url = reverse("admin:points_visit_delete", args=[visit.pk])
    assert coordinator_in_admin.post(url, {"post": "yes"}).status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()
    assert AuditEvent.objects.count() == audit_rows
