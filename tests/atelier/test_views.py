"""Atelier screens: board, jobs, tickets, the counter's repair intake, exports,
hours."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atelier.models import RepairTicket, WipeRecord, WorkLog
from atelier.views import ORDS_COLUMNS
from devices.models import DefectReport, DeviceEvent, DeviceKind, DeviceStatus, Loan, LoanStatus
from digibank.models import AuditAction, AuditEvent
from tests.atelier.factories import make_donation, make_job, make_ticket, make_worker
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def atelier_client(client):
    client.force_login(make_user("atelier"))
    return client


@pytest.fixture
def host_client(client, point):
    client.force_login(make_user("host", points=[point]))
    return client


def _fill(n: int) -> None:
    for _n in range(n):
        make_job()
        make_ticket()
        make_device(status=DeviceStatus.RETURNED)


@pytest.mark.parametrize("rows", [5, 60])
def test_board_query_count_does_not_grow(atelier_client, django_assert_max_num_queries, rows):
    _fill(rows)
    with django_assert_max_num_queries(36):
        response = atelier_client.get(reverse("atelier:board"))
    assert response.status_code == 200


def test_board_refresh_returns_the_fragment_only(atelier_client):
    make_job()
    response = atelier_client.get(reverse("atelier:board"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b'id="board"' in response.content


@pytest.mark.parametrize("rows", [5, 60])
def test_ticket_list_query_count_does_not_grow(atelier_client, django_assert_max_num_queries,
                                               rows):
    for _n in range(rows):
        make_ticket(point=make_point() if _n < 3 else None)
    with django_assert_max_num_queries(12):
        atelier_client.get(reverse("atelier:ticket-list"))


@pytest.mark.parametrize("rows", [5, 60])
def test_impact_page_query_count_does_not_grow(atelier_client, django_assert_max_num_queries,
                                               rows):
    for _n in range(rows):
        make_ticket(status="resolved", outcome="fixed", resolved_at=timezone.now())
    with django_assert_max_num_queries(13):
        response = atelier_client.get(reverse("atelier:impact"))
    assert "Restart" in response.content.decode()


def test_worker_signs_off_the_wipe_after_recording_it(atelier_client):
    job = make_job()
    atelier_client.post(reverse("atelier:job-wipe", args=[job.pk]), {
        "medium_serial": "WD-1", "method": "purge", "result": "passed", "tool": "nwipe"})
    atelier_client.post(reverse("atelier:job-step", args=[job.pk, "wipe"]))
    job.refresh_from_db()
    assert WipeRecord.objects.get().operator is not None and job.wipe_at is not None


def test_wipe_form_without_a_disk_serial_answers_next_to_the_field(atelier_client):
    job = make_job()
    response = atelier_client.post(reverse("atelier:job-wipe", args=[job.pk]),
                                   {"method": "purge", "result": "passed"})
    assert response.status_code == 400
    assert 'id="id_medium_serial_error"' in response.content.decode()
    assert not WipeRecord.objects.exists()


def test_host_takes_in_a_broken_device_with_a_swap(host_client, point):
    loan = make_loan(make_device(DeviceKind.TABLET), make_subscription())
    spare = make_device(DeviceKind.TABLET, point=point)
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": loan.device.asset_tag, "problem": "Scherm gebarsten",
        "replacement": spare.asset_tag})
    assert response.status_code == 302
    ticket = RepairTicket.objects.get()
    assert ticket.swap_issued and ticket.reported_at_point == point
    assert Loan.objects.get(device=spare).status == LoanStatus.ISSUED
    loan.refresh_from_db()
    assert loan.replaced_by.device == spare


def test_host_takes_in_a_broken_tablet_without_a_swap(host_client, point):
    device = make_device(DeviceKind.TABLET)
    make_loan(device, make_subscription())
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": "Scherm gebarsten"})
    assert response.status_code == 302
    report = DefectReport.objects.get()
    ticket = RepairTicket.objects.get()
    device.refresh_from_db()
    assert report.problem == "Scherm gebarsten" and ticket.defect_report == report
    assert not ticket.swap_issued and ticket.return_point == point
    assert device.status == DeviceStatus.IN_REPAIR and device.point == point


def test_intake_writes_the_device_history_and_the_borrowers_audit_row(host_client, point):
    device = make_device(DeviceKind.TABLET)
    loan = make_loan(device, make_subscription())
    host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": "Laadt niet op"})
    event = DeviceEvent.objects.get(device=device, to_status=DeviceStatus.IN_REPAIR)
    assert event.where == point and event.loan == loan and event.actor is not None
    assert AuditEvent.objects.filter(resident=loan.resident, action=AuditAction.CHANGE,
                                     target_id=str(loan.pk)).exists()


def test_atelier_finds_the_ticket_taken_in_at_the_counter_on_its_board(host_client, point):
    device = make_device(DeviceKind.TABLET, asset_tag="TAB-00321")
    make_loan(device, make_subscription())
    host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": "Start niet"})
    atelier = Client()
    atelier.force_login(make_user("atelier"))
    body = atelier.get(reverse("atelier:board")).content.decode()
    ticket = RepairTicket.objects.get()
    assert reverse("atelier:ticket-detail", args=[ticket.pk]) in body and "TAB-00321" in body


def test_intake_without_a_problem_is_answered_next_to_the_field(host_client, point):
    device = make_device(DeviceKind.TABLET)
    loan = make_loan(device, make_subscription())
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": ""})
    assert response.status_code == 200 and 'id="id_problem_error"' in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ISSUED
    assert not DefectReport.objects.exists() and not RepairTicket.objects.exists()


def test_swap_for_a_device_that_is_not_lent_is_answered_next_to_the_device(host_client, point):
    device = make_device(DeviceKind.TABLET, point=point)
    spare = make_device(DeviceKind.TABLET, point=point)
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": "Kapot",
        "replacement": spare.asset_tag})
    assert list(response.context["form"].errors) == ["device"]
    assert "niet uitgeleend" in response.context["form"].errors["device"][0]
    assert not RepairTicket.objects.exists()


def test_a_device_on_the_shelf_at_a_point_cannot_be_taken_in_as_if_handed_in(host_client,
                                                                             point):
    device = make_device(DeviceKind.TABLET, point=point, asset_tag="TAB-SHELF")
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": device.asset_tag, "problem": "Scherm gebarsten"})
    assert response.status_code == 200
    assert response.context["form"].errors["device"] == [
        "TAB-SHELF is niet uitgeleend, dus geen inwoner kan het binnenbrengen. Een toestel "
        "dat kapot in de kast ligt, gaat terug naar het atelier: verwittig het atelier, of "
        "gebruik \"Terug in het atelier\" op de toestelpagina."]
    assert reverse("devices:device-detail", args=["TAB-SHELF"]) in response.content.decode()
    device.refresh_from_db()
    assert device.status == DeviceStatus.AT_POINT
    assert not DefectReport.objects.exists() and not RepairTicket.objects.exists()


def test_replacement_that_is_elsewhere_is_answered_next_to_the_replacement(host_client, point):
    loan = make_loan(make_device(DeviceKind.TABLET), make_subscription())
    spare = make_device(DeviceKind.TABLET, point=make_point("Elders"))
    response = host_client.post(reverse("atelier:intake"), {
        "place": point.pk, "device": loan.device.asset_tag, "problem": "Kapot",
        "replacement": spare.asset_tag})
    errors = response.context["form"].errors
    assert list(errors) == ["replacement"] and "Elders" in errors["replacement"][0]
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ISSUED and not DefectReport.objects.exists()


def test_intake_shows_the_counter_tabs_with_broken_device_current(host_client):
    body = host_client.get(reverse("atelier:intake")).content.decode()
    assert f'<a href="{reverse("atelier:intake")}" aria-current="page">' in body
    assert reverse("devices:return") in body


def test_old_defect_address_redirects_permanently_to_the_intake_with_its_query(host_client):
    response = host_client.get("/balie/defect/?toestel=TAB-00007")
    assert response.status_code == 301
    assert response["Location"] == f"{reverse('atelier:intake')}?toestel=TAB-00007"


def test_host_cannot_take_in_at_a_point_where_they_do_not_work(host_client):
    other = make_point("Elders")
    loan = make_loan(make_device(DeviceKind.TABLET), make_subscription())
    response = host_client.post(reverse("atelier:intake"), {
        "place": other.pk, "device": loan.device.asset_tag, "problem": "Kapot"})
    assert response.status_code == 200 and 'id="id_place_error"' in response.content.decode()
    assert not RepairTicket.objects.exists()


def test_end_of_life_without_barrier_is_answered_next_to_the_field(atelier_client):
    ticket = make_ticket()
    response = atelier_client.post(reverse("atelier:ticket-resolve", args=[ticket.pk]), {
        "outcome": "end_of_life", "fault": "power", "minutes_spent": 10})
    assert response.status_code == 400 and 'id="id_barrier_error"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.is_open


def test_ords_export_has_the_standard_columns_and_values(atelier_client):
    device = make_device(DeviceKind.SMARTPHONE, brand="Samsung", status=DeviceStatus.RETIRED)
    ticket = make_ticket(device, status="resolved", outcome="end_of_life",
                         barrier="parts_unavailable", fault="power",
                         resolved_at=timezone.now())
    make_ticket()  # open: not exported
    response = atelier_client.get(reverse("atelier:ords-export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ORDS_COLUMNS
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == f"digibank_{ticket.pk}" and row["product_category"] == "Mobile"
    assert row["brand"] == "Samsung" and row["repair_status"] == "End of life"
    assert row["repair_barrier_if_end_of_life"] == "Spare parts not available"
    assert row["country"] == "BEL"


def test_donation_page_registers_a_device_with_its_job(atelier_client):
    donation = make_donation()
    atelier_client.post(reverse("atelier:donation-detail", args=[donation.pk]), {
        "kind": "laptop", "brand": "HP", "asset_tag": "db-500", "storage_media": "1"})
    assert donation.jobs.get().device.asset_tag == "DB-500"


def test_hours_are_recorded_and_reported_per_month(atelier_client):
    worker = make_worker("Jan")
    atelier_client.post(reverse("atelier:hours"), {
        "worker": worker.pk, "day": "2026-11-02", "hours": "3.5", "tasks": "Wissen"})
    atelier_client.post(reverse("atelier:hours"), {
        "worker": worker.pk, "day": "2026-11-03", "hours": "4", "tasks": "Testen"})
    response = atelier_client.get(reverse("atelier:hours-report"), {"month": "2026-11"})
    assert response.context["rows"][0]["total"] == Decimal("7.5")
    assert response.context["rows"][0]["days"] == 2


def test_more_than_twelve_hours_on_one_day_is_refused(atelier_client):
    worker = make_worker()
    WorkLog.objects.create(worker=worker, day=date(2026, 11, 2), hours=10, tasks="X")
    response = atelier_client.post(reverse("atelier:hours"), {
        "worker": worker.pk, "day": "2026-11-02", "hours": "3", "tasks": "Y"})
    assert 'id="id_hours_error"' in response.content.decode()
    assert WorkLog.objects.count() == 1


def test_host_records_a_yearly_check(host_client, point):
    loan = make_loan(make_device(), make_subscription(), check_due_on=timezone.localdate())
    response = host_client.post(reverse("atelier:yearly-check", args=[loan.pk]), {
        "place": point.pk, "result": "pass", "due_on": loan.check_due_on.isoformat()})
    assert response.status_code == 302
    assert loan.yearly_checks.count() == 1


def test_second_click_on_a_passed_check_records_nothing(host_client, point):
    loan = make_loan(make_device(), make_subscription(), check_due_on=timezone.localdate())
    data = {"place": point.pk, "result": "pass", "due_on": loan.check_due_on.isoformat()}
    host_client.post(reverse("atelier:yearly-check", args=[loan.pk]), data)
    response = host_client.post(reverse("atelier:yearly-check", args=[loan.pk]), data)
    assert response.status_code == 200 and loan.yearly_checks.count() == 1


@pytest.mark.parametrize("rows", [2, 30])
def test_device_story_shows_wipes_repairs_and_history_in_constant_queries(
        atelier_client, django_assert_max_num_queries, rows):
    device = make_device(status=DeviceStatus.IN_REPAIR)
    for n in range(rows):
        job = make_job(device, status="done", finished_at=timezone.now())
        WipeRecord.objects.create(job=job, device=device, medium_serial=f"S{n}",
                                  method="purge", result="passed", certificate_number=f"C{n}")
    make_ticket(device)
    with django_assert_max_num_queries(14):
        content = atelier_client.get(reverse("atelier:device-story",
                                             args=[device.asset_tag])).content.decode()
    assert "C0" in content and "Start niet op" not in content
    assert f"#{RepairTicket.objects.get().pk}" in content
