"""Workers and their hours on the atelier's own screens: adding and
changing volunteers and social-economy workers, the month's report with
Dutch words and numbers, its Excel export, full names in the trail."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from atelier.models import Worker, WorkerKind, WorkLog
from atelier.views import hours_number
from digibank.models import AuditAction, AuditEvent
from tests.atelier.factories import make_job, make_worker
from tests.factories import make_partner, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier_client(client):
    client.force_login(make_user("atelier", first_name="Arno", last_name="Peeters"))
    return client


def _log(worker, day, hours):
    return WorkLog.objects.create(worker=worker, day=day, hours=Decimal(hours), tasks="Wissen")


def test_atelier_adds_a_volunteer_and_the_audit_trail_says_who(atelier_client):
    response = atelier_client.post(reverse("atelier:workers"), {
        "name": "  Greta   Claes ", "kind": "volunteer", "is_active": "on"})
    assert response.status_code == 302
    worker = Worker.objects.get()
    assert (worker.name, worker.kind, worker.is_active) == ("Greta Claes", "volunteer", True)
    event = AuditEvent.objects.get(action=AuditAction.CREATE, target_id=str(worker.pk))
    assert event.actor.get_full_name() == "Arno Peeters"


def test_a_social_economy_worker_needs_the_organisation_they_work_through(atelier_client):
    response = atelier_client.post(reverse("atelier:workers"), {
        "name": "Kevin Mertens", "kind": "social", "is_active": "on"})
    assert response.status_code == 400
    assert "organisatie" in response.content.decode()
    assert not Worker.objects.exists()
    partner = make_partner("Maatwerkbedrijf De Ateljee")
    atelier_client.post(reverse("atelier:workers"), {
        "name": "Kevin Mertens", "kind": "social", "organisation": partner.pk,
        "is_active": "on"})
    assert Worker.objects.get().organisation == partner


def test_the_atelier_screens_add_no_employees(atelier_client):
    response = atelier_client.post(reverse("atelier:workers"), {
        "name": "Ahmed Benali", "kind": "employee", "is_active": "on"})
    assert response.status_code == 400 and not Worker.objects.exists()


def test_atelier_changes_a_volunteer_and_can_make_them_inactive(atelier_client):
    worker = make_worker("Greta Claes")
    response = atelier_client.post(reverse("atelier:worker-edit", args=[worker.pk]), {
        "name": "Greta Claes-Peeters", "kind": "volunteer"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.name, worker.is_active) == ("Greta Claes-Peeters", False)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, target_id=str(worker.pk))
    assert "Greta Claes-Peeters" in event.summary


def test_an_employee_cannot_be_changed_on_the_atelier_screens(atelier_client):
    worker = make_worker("Ahmed Benali", kind=WorkerKind.EMPLOYEE)
    response = atelier_client.post(reverse("atelier:worker-edit", args=[worker.pk]), {
        "name": "Iemand anders", "kind": "volunteer", "is_active": "on"})
    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.name == "Ahmed Benali"


@pytest.mark.parametrize("role", ["host", "coach", "partner"])
def test_other_roles_cannot_add_or_change_workers(client, role):
    worker = make_worker("Greta Claes")
    client.force_login(make_user(role))
    added = client.post(reverse("atelier:workers"), {"name": "Inbreker", "kind": "volunteer"})
    changed = client.post(reverse("atelier:worker-edit", args=[worker.pk]),
                          {"name": "Inbreker", "kind": "volunteer"})
    exported = client.get(reverse("atelier:hours-export"))
    assert (added.status_code, changed.status_code, exported.status_code) == (403, 403, 403)
    assert list(Worker.objects.values_list("name", flat=True)) == ["Greta Claes"]


def test_hours_report_shows_kinds_in_dutch_and_hours_as_dutch_numbers(atelier_client):
    greta = make_worker("Greta Claes", kind=WorkerKind.VOLUNTEER)
    kevin = make_worker("Kevin Mertens", kind=WorkerKind.SOCIAL_ECONOMY)
    for hours in ("7.6", "7.6"):
        _log(greta, date(2026, 3, 2), hours)
    _log(kevin, date(2026, 3, 3), "4")
    body = atelier_client.get(reverse("atelier:hours-report"), {"month": "2026-03"}
                              ).content.decode()
    assert "Vrijwilliger" in body and "Medewerker sociale economie" in body
    assert "15,2<" in body and ">4<" in body and "19,2<" in body
    assert "volunteer" not in body and "15,20000" not in body


def test_hours_numbers_have_at_most_two_decimals_and_no_trailing_zeros():
    assert [str(hours_number(v)) for v in (Decimal("15.2000000000000"), Decimal("4.00"),
                                           Decimal("1.25"), None)] == ["15.2", "4", "1.25",
                                                                        "0"]


def test_hours_export_is_a_workbook_with_the_months_hours(atelier_client):
    greta = make_worker("Greta Claes", kind=WorkerKind.VOLUNTEER)
    _log(greta, date(2026, 3, 2), "7.5")
    _log(greta, date(2026, 3, 9), "2.25")
    _log(greta, date(2026, 4, 1), "3")  # another month
    response = atelier_client.get(reverse("atelier:hours-export"), {"month": "2026-03"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1] == ["Medewerker", "Soort", "Tewerkgesteld via", "Dagen", "Uren"]
    assert rows[2] == ["Greta Claes", "Vrijwilliger", None, 2, 9.75]
    assert rows[3][0] == "Totaal" and rows[3][4] == 9.75
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_wipe_records_and_the_device_story_name_people_in_full(atelier_client):
    from atelier import services

    worker = make_user("atelier", username="mvdb", first_name="Mieke",
                       last_name="Van den Broeck")
    job = make_job()
    services.record_wipe(actor=worker, job=job, medium_serial="SSD-1", method="purge",
                         result="passed")
    services.sign_off_step(actor=worker, job=job, step="wipe")
    for address in (reverse("atelier:job-detail", args=[job.pk]),
                    reverse("atelier:device-story", args=[job.device.asset_tag])):
        body = atelier_client.get(address).content.decode()
        assert "Mieke Van den Broeck" in body and "mvdb" not in body, address


@pytest.mark.parametrize("rows", [3, 30])
def test_workers_page_query_count_is_flat(atelier_client, django_assert_max_num_queries, rows):
    partner = make_partner("Maatwerkbedrijf")
    for _n in range(rows):
        make_worker(kind=WorkerKind.SOCIAL_ECONOMY, organisation=partner)
    with django_assert_max_num_queries(12):
        assert atelier_client.get(reverse("atelier:workers")).status_code == 200


def test_hours_report_and_export_default_to_this_month(atelier_client):
    _log(make_worker("Greta Claes"), timezone.localdate(), "1.5")
    assert "1,5<" in atelier_client.get(reverse("atelier:hours-report")).content.decode()
    assert atelier_client.get(reverse("atelier:hours-export")).status_code == 200


def test_too_many_hours_on_a_day_are_named_as_a_dutch_number(atelier_client):
    greta = make_worker("Greta Claes")
    _log(greta, date(2026, 3, 2), "8")
    response = atelier_client.post(reverse("atelier:hours"), {
        "worker": greta.pk, "day": "02/03/2026", "hours": "4,5", "tasks": "Wissen"})
    body = response.content.decode()
    assert "Meer dan 12 uur op één dag: 12,5." in body
    assert "12.5" not in body and "12.50" not in body


def test_the_hours_field_limits_speak_dutch_numbers(atelier_client):
    greta = make_worker("Greta Claes")
    body = atelier_client.post(reverse("atelier:hours"), {
        "worker": greta.pk, "day": "02/03/2026", "hours": "0,1", "tasks": "Wissen"}
    ).content.decode()
    assert "0,25" in body and "0.25" not in body
