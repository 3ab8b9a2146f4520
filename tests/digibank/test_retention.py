from datetime import date, timedelta

import pytest

from digibank.models import AuditAction, AuditEvent, Resident
from digibank.services import anonymise_inactive_residents, residents_due_for_anonymisation
from digibank.tasks import apply_retention as retention_task
from tests.factories import make_call_task, make_resident, make_target_group

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
LONG_AGO = TODAY - timedelta(days=800)  # more than 24 months


def test_resident_inactive_longer_than_the_retention_period_is_anonymised():
    resident = make_resident("Maria", "Peeters", phone="0470123456",
                             email="m@example.org", birth_year=1950, last_activity=LONG_AGO)
    assert anonymise_inactive_residents(TODAY) == 1
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name, resident.phone, resident.email,
            resident.birth_year) == ("", "", "", "", None)
    assert resident.anonymised_at is not None


def test_anonymising_keeps_district_and_target_groups_for_statistics():
    group = make_target_group("Ouderen")
    resident = make_resident(last_activity=LONG_AGO)
    resident.target_groups.add(group)
    anonymise_inactive_residents(TODAY)
    assert list(Resident.objects.get(pk=resident.pk).target_groups.all()) == [group]


def test_recently_active_resident_is_kept():
    make_resident(last_activity=TODAY - timedelta(days=300))
    assert anonymise_inactive_residents(TODAY) == 0


def test_resident_with_something_active_is_kept_however_old_the_last_activity():
    resident = make_resident(last_activity=LONG_AGO)
    make_call_task(resident)
    assert resident not in residents_due_for_anonymisation(TODAY)


def test_retention_period_follows_the_setting(settings):
    settings.RETENTION_MONTHS = 6
    make_resident(last_activity=TODAY - timedelta(days=200))
    assert anonymise_inactive_residents(TODAY) == 1


def test_a_second_run_changes_nothing():
    make_resident(last_activity=LONG_AGO)
    anonymise_inactive_residents(TODAY)
    events = AuditEvent.objects.count()
    assert anonymise_inactive_residents(TODAY) == 0
    assert AuditEvent.objects.count() == events


def test_anonymisation_is_audited_as_done_by_the_system():
    resident = make_resident(last_activity=LONG_AGO)
    anonymise_inactive_residents(TODAY)
    event = AuditEvent.objects.get(resident=resident)
    assert (event.action, event.actor) == (AuditAction.ANONYMISE, None)
    assert "24" in event.summary


def test_nightly_task_runs_the_retention_job():
    make_resident(last_activity=date.today() - timedelta(days=1000))
    assert retention_task.delay().get()["residents"] == 1
