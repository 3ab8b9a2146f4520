"""The probe's inputs that made server errors, one by one: each is refused
with a 400/415 or a message, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import ACCESS

pytestmark = pytest.mark.django_db


def _client(ctx, role):
    client = Client(raise_request_exception=True)
    if role:
        client.force_login(ctx.users[role])
    return client


def _url(ctx, name):
    rule = ACCESS[name]
    return reverse(name, kwargs=rule.kwargs(ctx) if rule.kwargs else {})


@pytest.mark.parametrize(("name", "params"), [
    ("audit-log", {"actie": "view\x00"}),
    ("outreach:referral-create", {"q": "Ma\x00ria"}),
])
def test_a_nul_byte_in_a_query_parameter_is_refused(matrix_context, name, params):
    response = _client(matrix_context, "coordinator").get(_url(matrix_context, name), params)
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["van", "tot"])
def test_the_year_9999_in_the_audit_filter_is_a_field_error(matrix_context, field):
    response = _client(matrix_context, "coordinator").get(_url(matrix_context, "audit-log"),
                                                   {field: "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "31/12/2199" in response.content.decode()


def test_a_device_number_that_is_not_a_number_is_refused_with_a_message(matrix_context):
    rule = ACCESS["devices:reservation-assign"]
    url = _url(matrix_context, "devices:reservation-assign")
    field = next(iter(rule.data(matrix_context)))
    response = _client(matrix_context, "coordinator").post(url, {field: "abc"}, follow=True)
    assert response.status_code == 200
    assert "Kies een toestel" in response.content.decode()


def test_a_next_address_that_is_no_path_goes_back_to_the_session(matrix_context):
    rule = ACCESS["trainings:enrolment-cancel"]
    url = _url(matrix_context, "trainings:enrolment-cancel")
    data = {**(rule.data(matrix_context) if rule.data else {}), "next": "999999999"}
    response = _client(matrix_context, "coordinator").post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/opleidingen/sessies/")


def test_a_next_address_on_another_site_is_not_followed(matrix_context):
    url = _url(matrix_context, "trainings:enrolment-cancel")
    response = _client(matrix_context, "coordinator").post(url, {"next": "https://example.com/"})
    assert "example.com" not in response["Location"]


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_body_that_is_not_a_form_is_refused(matrix_context, content_type):
    url = _url(matrix_context, "trainings:public-enrol")
    response = _client(matrix_context, None).post(url, '{"first_name": "An"}',
                                           content_type=content_type)
    assert response.status_code == 415


def test_a_username_too_long_for_any_account_is_a_field_error():
    response = Client().post(reverse("login"), {"username": "x" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert "aanmelden" in response.wsgi_request.path
