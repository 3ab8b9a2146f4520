"""Data protection through every door: the admin, a restore, the browser's
cache, spreadsheets, the password reset, feeds and the health check."""

import csv
import io
import pathlib
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from digibank.models import OutboxEmail, Resident, User
from digibank.roles import sync_role_permissions
from digibank.spreadsheets import escape_cell
from tests.access import PUBLIC
from tests.factories import make_point, make_resident, make_user
from tests.outreach.factories import make_visit
from tests.points.factories import make_channel
from tests.test_access_matrix import ACCESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    sync_role_permissions()
    user = make_user("coordinator")
    client.force_login(user)
    return user


# --- The admin ----------------------------------------------------------------


def test_a_resident_cannot_be_deleted_in_the_admin(client, coordinator):
    resident = make_resident()
    response = client.post(reverse("admin:digibank_resident_delete", args=[resident.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_not_even_a_superuser_deletes_a_resident_in_the_admin(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    resident = make_resident()
    response = client.post(reverse("admin:digibank_resident_changelist"), {
        "action": "delete_selected", "_selected_action": [resident.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_the_admin_offers_erasure_instead(client, coordinator):
    resident = make_resident()
    response = client.get(reverse("admin:digibank_resident_change", args=[resident.pk]))
    assert reverse("residents:erase", args=[resident.pk]) in response.content.decode()


def _user_form(user, **changes):
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "",
            "is_active": "on", "is_staff": "on", "date_joined_0": "01/01/2026",
            "date_joined_1": "10:00:00", "groups": [g.pk for g in user.groups.all()],
            "initial-date_joined_0": "01/01/2026", "initial-date_joined_1": "10:00:00"}
    data.update(changes)
    return data


def test_a_coordinator_cannot_make_anyone_a_superuser(client, coordinator):
    host = make_user("host")
    client.post(reverse("admin:digibank_user_change", args=[host.pk]),
                _user_form(host, is_superuser="on"))
    client.post(reverse("admin:digibank_user_change", args=[coordinator.pk]),
                _user_form(coordinator, is_superuser="on"))
    assert not User.objects.filter(is_superuser=True).exists()


def test_a_coordinator_cannot_change_a_superusers_account(client, coordinator):
    root = User.objects.create_superuser("root", "root@example.org", "x" * 12)
    response = client.post(reverse("admin:digibank_user_change", args=[root.pk]),
                           _user_form(root, email="mine@example.org"))
    assert response.status_code in (302, 403)
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_a_superuser_may_make_a_superuser(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 12))
    host = make_user("host")
    response = client.post(reverse("admin:digibank_user_change", args=[host.pk]),
                           _user_form(host, is_superuser="on"))
    assert response.status_code == 302
    host.refresh_from_db()
    assert host.is_superuser


# --- A restore -----------------------------------------------------------------


def test_ending_sessions_after_a_restore_logs_everyone_out(client):
    client.force_login(make_user("host"))
    assert Session.objects.exists()
    out = io.StringIO()
    call_command("end_sessions", stdout=out)
    assert not Session.objects.exists()
    assert "Passwords and accounts are now those of the backup" in out.getvalue()
    assert client.get(reverse("workspace")).status_code == 302


def test_make_restore_ends_every_session():
    makefile = (pathlib.Path(settings.BASE_DIR) / "Makefile").read_text()
    restore = makefile.split("\nrestore:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py end_sessions" in restore


# --- The browser's cache and htmx ---------------------------------------------------


def _allowed_role(rule):
    return "coordinator" if "coordinator" in rule.roles else sorted(rule.roles)[0]


STAFF_PAGES = sorted(name for name, rule in ACCESS.items()
                     if not rule.is_public and rule.method == "get")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_every_staff_page_and_export_is_not_stored_by_the_browser(matrix_context, name):
    rule = ACCESS[name]
    client = Client()
    client.force_login(matrix_context.users[_allowed_role(rule)])
    url = reverse(name, kwargs=rule.kwargs(matrix_context) if rule.kwargs else {})
    response = client.get(url, rule.data(matrix_context) if rule.data else {})
    assert "no-store" in response.get("Cache-Control", ""), f"{url}: {response.status_code}"
    assert "public" not in response.get("Cache-Control", "")


def test_a_search_page_varies_on_htmx(client, coordinator):
    response = client.get(reverse("residents:list"), {"q": "Maria"})
    assert "HX-Request" in response.get("Vary", "")


def test_back_after_a_search_gets_the_whole_page(client, coordinator):
    response = client.get(reverse("residents:list"), {"q": "Maria"},
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_public_feeds_keep_their_public_caching(client):
    response = client.get(reverse("trainings:ical"))
    assert "public" in response["Cache-Control"]


# --- Spreadsheets --------------------------------------------------------------------


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+32 470", "'+32 470"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"),
    ("-12", "-12"), ("-1,5", "-1,5"), ("Affiche", "Affiche"), (7, 7),
])
def test_formula_like_cells_are_written_as_text(value, written):
    assert escape_cell(value) == written


def test_a_channel_named_like_a_formula_is_text_in_the_reach_csv(client, coordinator):
    channel = make_channel('=HYPERLINK("http://evil.example","klik")')
    make_visit(make_point(), channel=channel)
    response = client.get(reverse("reach-report-export", args=["kanalen"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'=HYPERLINK(\"http://evil.example\",\"klik\")", "1", "0"] in rows


def test_every_csv_export_writes_through_the_escaping_writer():
    offenders = []
    for app in ("digibank", "points", "trainings", "devices", "atelier", "soundboard",
                "outreach", "counter", "dashboard"):
        for path in (pathlib.Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path.name != "spreadsheets.py" and re.search(r"csv\.(writer|DictWriter)\(",
                                                             path.read_text()):
                offenders.append(str(path))
    assert offenders == []


# --- Password reset ------------------------------------------------------------------


def _reset(client, email, address="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client):
    make_user("host", email="host@example.org")
    known, unknown = _reset(client, "host@example.org"), _reset(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # The link is queued, not sent while the person waits.
    assert mail.outbox == []
    assert OutboxEmail.objects.filter(to="host@example.org").count() == 1


def test_password_reset_is_limited_per_address(client):
    make_user("host", email="host@example.org")
    for number in range(3):
        _reset(client, "host@example.org", address=f"198.51.100.{number}")
    assert OutboxEmail.objects.filter(to="host@example.org").exists()
    OutboxEmail.objects.all().delete()
    for number in range(3, 6):
        response = _reset(client, "host@example.org", address=f"198.51.100.{number}")
        assert response.status_code == 302
    assert not OutboxEmail.objects.exists()


def test_password_reset_is_limited_per_network_address(client):
    for number in range(25):
        make_user("host", email=f"host{number}@example.org")
        _reset(client, f"host{number}@example.org")
    assert OutboxEmail.objects.count() == 20


def test_a_sent_reset_link_is_emptied_from_the_outbox(client, django_capture_on_commit_callbacks):
    make_user("host", email="host@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _reset(client, "host@example.org")
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().body == ""


# --- Feeds and the health check ---------------------------------------------------------


def test_feeds_and_downloads_refuse_a_post(matrix_context):
    """Every URL of the matrix that is a feed or a download, found by its
    address, and the health check."""
    answers = {}
    for name, rule in sorted(ACCESS.items()):
        url = reverse(name, kwargs=rule.kwargs(matrix_context) if rule.kwargs else {})
        if not re.search(r"\.(json|ics|csv|xlsx|pdf)$", url) and name != "healthz":
            continue
        client = Client()
        if rule.roles != PUBLIC:
            client.force_login(matrix_context.users[_allowed_role(rule)])
        answers[url] = client.post(url).status_code
    assert len(answers) >= 10
    assert {url: status for url, status in answers.items() if status != 405} == {}


def test_health_details_are_not_shown_to_the_world(client):
    response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert "checks" not in response.json()
    assert response.status_code in (200, 503)


def test_health_details_are_not_shown_through_a_proxy(client):
    response = client.get(reverse("healthz"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert "checks" not in response.json()


def test_health_details_are_shown_on_the_machine_and_to_staff(client):
    assert "checks" in client.get(reverse("healthz")).json()
    client.force_login(make_user("coordinator", is_staff=True))
    assert "checks" in client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9").json()


@pytest.mark.parametrize("header", [
    {"X-Forwarded-For": "203.0.113.5"},
    {"Forwarded": "for=203.0.113.5"},
    {"X-Real-IP": "203.0.113.5"},
    {"X-Real-IP": "127.0.0.1"},
    {"X-Forwarded-For": "127.0.0.1"},
])
def test_health_details_are_hidden_when_any_proxy_header_is_present(client, header):
    response = client.get(reverse("healthz"), headers=header, REMOTE_ADDR="127.0.0.1")
    assert "checks" not in response.json()


def test_health_details_through_a_trusted_proxy_follow_the_client_it_names(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert "checks" in client.get(
        reverse("healthz"), headers={"X-Real-IP": "127.0.0.1"}, REMOTE_ADDR="10.0.0.2").json()
    assert "checks" not in client.get(
        reverse("healthz"), headers={"X-Real-IP": "203.0.113.5"}, REMOTE_ADDR="10.0.0.2").json()
    assert "checks" not in client.get(
        reverse("healthz"), headers={"X-Real-IP": "127.0.0.1"}, REMOTE_ADDR="127.0.0.1").json()
