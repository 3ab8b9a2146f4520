from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_with_the_right_password_opens_the_workspace(client):
    make_user("host", username="hanne")
    response = _login(client, "hanne", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace")


def test_login_with_a_wrong_password_shows_a_dutch_message(client):
    make_user("host", username="hanne")
    response = _login(client, "hanne", "wrong")
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_too_many_wrong_passwords_lock_that_username_from_that_address(client):
    make_user("host", username="hanne")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "hanne", "wrong")
    response = _login(client, "hanne", PASSWORD)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()


def test_a_locked_username_does_not_lock_colleagues_on_the_same_address(client):
    make_user("host", username="hanne")
    make_user("host", username="karim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "hanne", "wrong")
    assert _login(client, "karim", PASSWORD).status_code == 302


def test_a_locked_username_can_still_log_in_from_another_address(client):
    make_user("host", username="hanne")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "hanne", "wrong", ip="10.0.0.1")
    assert _login(client, "hanne", PASSWORD, ip="10.0.0.2").status_code == 302


def test_session_ends_after_thirty_idle_minutes(client):
    client.force_login(make_user("host"))
    assert client.get(reverse("workspace")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(reverse("workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client):
    client.force_login(make_user("host"))
    start = timezone.now()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(reverse("workspace")).status_code == 200


def _session_writes(queries):
    return [
        q["sql"] for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def touch_once_a_minute(settings):
    settings.SESSION_TOUCH_SECONDS = 60


@pytest.mark.usefixtures("touch_once_a_minute")
def test_a_request_soon_after_the_last_writes_no_session_row(client):
    client.force_login(make_user("host"))
    client.get(reverse("workspace"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("workspace"))
    assert _session_writes(queries.captured_queries) == []


@pytest.mark.usefixtures("touch_once_a_minute")
def test_a_request_a_minute_after_the_last_moves_the_session_expiry(client):
    client.force_login(make_user("host"))
    client.get(reverse("workspace"))
    later = timezone.now() + timedelta(seconds=61)
    with time_machine.travel(later), CaptureQueriesContext(connection) as queries:
        client.get(reverse("workspace"))
    assert _session_writes(queries.captured_queries) != []


@pytest.mark.usefixtures("touch_once_a_minute")
def test_a_session_used_often_ends_thirty_minutes_after_its_last_touch(client):
    client.force_login(make_user("host"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("workspace"))
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(reverse("workspace"))
    with time_machine.travel(start + timedelta(minutes=30, seconds=1), tick=False):
        response = client.get(reverse("workspace"))
    assert response.status_code == 302


def test_session_cookie_ends_with_the_browser(client):
    make_user("host", username="hanne")
    response = _login(client, "hanne", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_logging_out_needs_a_post_and_ends_the_session(client):
    client.force_login(make_user("host"))
    client.post(reverse("logout"))
    assert client.get(reverse("workspace")).status_code == 302


def test_password_reset_mail_is_in_dutch(client, mailoutbox, django_capture_on_commit_callbacks):
    make_user("host", username="hanne", email="hanne@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "hanne@example.org"})
    assert mailoutbox[0].subject == "Digibank: kies een nieuw wachtwoord"
    assert "Dag hanne" in mailoutbox[0].body


def test_admin_refuses_a_host(client):
    client.force_login(make_user("host"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]


def test_coordinator_with_synced_permissions_manages_residents_in_the_admin(client):
    from digibank.roles import sync_role_permissions

    sync_role_permissions()
    client.force_login(make_user("coordinator"))
    assert client.get(reverse("admin:digibank_resident_changelist")).status_code == 200
    assert client.get(reverse("admin:digibank_resident_add")).status_code == 403


def test_unknown_page_shows_the_dutch_not_found_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_forbidden_page_is_in_dutch(client):
    client.force_login(make_user("atelier"))
    response = client.get(reverse("residents:list"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
