"""Repairs: the counter's intake with a swap on the spot, the ticket's way
to the atelier and back to the borrower's point, outcomes and stale flags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.models import JobReason, JobStatus, RepairTicket, TicketStatus
from atelier.services import (
    AtelierError,
    flag_stale_tickets,
    move_ticket,
    open_ticket_for_report,
    resolve_ticket,
    take_in_for_repair,
)
from devices.models import DeviceKind, DeviceStatus, Loan, LoanStatus, ReservationStatus
from devices.services import receive_at_point, report_defect, return_to_atelier
from digibank.models import Resident
from tests.atelier.factories import make_ticket
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Huis")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


@pytest.fixture
def worker():
    return make_user("atelier")


@pytest.fixture
def lent_tablet():
    resident = make_resident("Olena", "Kovalenko", email="olena@example.org")
    device = make_device(DeviceKind.TABLET, status=DeviceStatus.READY)
    return make_loan(device, make_subscription(resident))


def test_intake_moves_a_lent_device_to_repair_and_opens_a_ticket(host, point, lent_tablet):
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Scherm blijft zwart")
    lent_tablet.refresh_from_db()
    ticket.device.refresh_from_db()
    assert lent_tablet.status == LoanStatus.RETURNED
    assert ticket.device.status == DeviceStatus.IN_REPAIR and ticket.device.point == point
    assert ticket.defect_report.problem == "Scherm blijft zwart"
    assert ticket.loan == lent_tablet and ticket.return_point == point
    assert not ticket.swap_issued


def test_host_swaps_a_broken_tablet_on_the_spot(host, point, lent_tablet):
    spare = make_device(DeviceKind.TABLET, point=point)
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Laadt niet op", replacement=spare)
    lent_tablet.refresh_from_db()
    assert ticket.swap_issued
    assert lent_tablet.replaced_by.device == spare
    assert lent_tablet.replaced_by.status == LoanStatus.ISSUED


def test_failed_swap_takes_nothing_in(host, point, lent_tablet):
    laptop = make_device(DeviceKind.LAPTOP, point=make_point())
    with pytest.raises(Exception):  # noqa: B017 (LoanError: not at this point)
        take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                           problem="Kapot", replacement=laptop)
    lent_tablet.refresh_from_db()
    assert lent_tablet.status == LoanStatus.ISSUED
    assert not RepairTicket.objects.exists()


def test_fixed_device_goes_back_reserved_to_the_borrowers_point(
        host, worker, point, lent_tablet, mailoutbox, django_capture_on_commit_callbacks):
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Scherm blijft zwart")
    return_to_atelier(actor=worker, device=ticket.device)
    move_ticket(actor=worker, ticket=ticket, status=TicketStatus.REPAIRING, fault="screen")
    resolve_ticket(actor=worker, ticket=ticket, outcome="fixed", fault="screen",
                   parts_used="Scherm", minutes_spent=45)
    device = ticket.device
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_TRANSIT and device.point == point
    reservation = device.loans.get(status=LoanStatus.RESERVED).reservation
    assert reservation.resident == lent_tablet.resident
    with django_capture_on_commit_callbacks(execute=True):
        receive_at_point(actor=host, device=device, point=point)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.READY and reservation.waiting_since
    assert mailoutbox[0].to == ["olena@example.org"]


def test_fixed_device_after_a_swap_is_refurbished_before_the_next_loan(
        host, worker, point, lent_tablet):
    spare = make_device(DeviceKind.TABLET, point=point)
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Laadt niet op", replacement=spare)
    return_to_atelier(actor=worker, device=ticket.device)
    resolve_ticket(actor=worker, ticket=ticket, outcome="fixed", fault="charger")
    job = ticket.device.refurbish_jobs.get()
    assert job.reason == JobReason.REPAIR and job.status == JobStatus.OPEN
    ticket.device.refresh_from_db()
    assert ticket.device.status == DeviceStatus.REFURBISHING


def test_end_of_life_needs_a_barrier(worker):
    ticket = make_ticket()
    with pytest.raises(AtelierError):
        resolve_ticket(actor=worker, ticket=ticket, outcome="end_of_life", fault="power")
    ticket.refresh_from_db()
    assert ticket.is_open


def test_end_of_life_retires_the_device_and_tells_the_borrower(
        host, worker, point, lent_tablet, mailoutbox, django_capture_on_commit_callbacks):
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Valt uit")
    return_to_atelier(actor=worker, device=ticket.device)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_ticket(actor=worker, ticket=ticket, outcome="end_of_life", fault="power",
                       barrier="parts_unavailable")
    ticket.device.refresh_from_db()
    assert ticket.device.status == DeviceStatus.RETIRED
    assert len(mailoutbox) == 1


def test_ticket_cannot_be_resolved_while_the_device_is_still_at_the_point(
        host, worker, point, lent_tablet):
    ticket = take_in_for_repair(actor=host, device=lent_tablet.device, point=point,
                                problem="Valt uit")
    with pytest.raises(AtelierError):
        resolve_ticket(actor=worker, ticket=ticket, outcome="fixed", fault="power")


def test_atelier_opens_a_ticket_for_a_defect_report_from_the_counter(host, worker, point):
    device = make_device(point=point)
    report = report_defect(actor=host, device=device, point=point, problem="Toetsen plakken")
    ticket = open_ticket_for_report(actor=worker, report=report)
    assert ticket.problem == "Toetsen plakken" and ticket.reported_at_point == point
    with pytest.raises(AtelierError):
        open_ticket_for_report(actor=worker, report=report)


def test_a_device_has_one_open_ticket_at_a_time(worker):
    ticket = make_ticket()
    with pytest.raises(Exception):  # noqa: B017 (the database refuses)
        RepairTicket.objects.create(device=ticket.device, problem="Nog eens")


def test_ticket_status_follows_the_transition_table(worker):
    ticket = make_ticket()
    move_ticket(actor=worker, ticket=ticket, status=TicketStatus.WAITING_PARTS)
    with pytest.raises(AtelierError):
        move_ticket(actor=worker, ticket=ticket, status=TicketStatus.WAITING_PARTS)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_PARTS
    assert ticket.device.events.filter(note__contains=f"#{ticket.pk}:").exists()


def test_stale_tickets_are_flagged_once(worker):
    old = make_ticket(status_changed_at=timezone.now() - timedelta(days=20))
    make_ticket()
    assert flag_stale_tickets() == 1
    assert flag_stale_tickets() == 0
    old.refresh_from_db()
    assert old.flagged_stale_at is not None


def test_moving_a_ticket_clears_its_stale_flag(worker):
    ticket = make_ticket(status_changed_at=timezone.now() - timedelta(days=20))
    flag_stale_tickets()
    move_ticket(actor=worker, ticket=ticket, status=TicketStatus.REPAIRING)
    ticket.refresh_from_db()
    assert ticket.flagged_stale_at is None


def test_retention_keeps_a_resident_whose_device_is_in_repair(host, point, lent_tablet):
    from atelier.apps import _residents_with_open_repairs

    take_in_for_repair(actor=host, device=lent_tablet.device, point=point, problem="Kapot")
    assert list(_residents_with_open_repairs(Resident.objects.all())) == [
        lent_tablet.resident]


def test_loan_records_are_untouched_by_a_ticket_without_a_loan(worker):
    ticket = make_ticket()
    assert ticket.loan is None and not Loan.objects.exists()


def test_stale_ticket_task_is_idempotent():
    from atelier.tasks import flag_stale_tickets as task

    make_ticket(status_changed_at=timezone.now() - timedelta(days=15))
    assert task.delay().get() == 1
    assert task.delay().get() == 0


def test_beat_runs_the_stale_ticket_flag_daily(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "atelier.tasks.flag_stale_tickets" in entries
