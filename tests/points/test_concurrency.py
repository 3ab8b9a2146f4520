"""Rules under concurrency on PostgreSQL: threads, each closing its own
connection; exactly one attempt wins, the others get the domain error."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from points.models import MobileDeployment, VisitEvent, VisitStatus
from points.services import (
    DeploymentChanged,
    ScheduleError,
    VisitError,
    plan_deployment,
    take_over_visit,
    take_visit,
)
from tests.concurrency import race
from tests.factories import make_point, make_user
from tests.points.factories import brussels, make_mobile_point, make_visit

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _roles(postgres):
    # A transactional database is emptied after each test, role groups included.
    from digibank.roles import sync_role_permissions

    sync_role_permissions()


def test_only_one_of_twenty_hosts_takes_the_same_waiting_visitor(postgres):
    point = make_point()
    hosts = [make_user("host", points=[point]) for _ in range(20)]
    visit = make_visit(point)
    results = race([lambda h=h: take_visit(visit=visit, actor=h) for h in hosts], (VisitError,))
    assert results.tally == (1, 19, [])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_HOST
    assert VisitEvent.objects.filter(visit=visit, to_status=VisitStatus.WITH_HOST).count() == 1


def test_only_one_of_ten_coaches_takes_over_the_same_handover(postgres):
    point = make_point()
    coaches = [make_user("coach", points=[point]) for _ in range(10)]
    visit = make_visit(point, status=VisitStatus.WAITING_FOR_COACH, host=make_user("host"))
    results = race([lambda c=c: take_over_visit(visit=visit, actor=c) for c in coaches],
                   (VisitError,))
    assert results.tally == (1, 9, [])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_COACH


def test_only_one_of_ten_overlapping_deployments_is_planned(postgres):
    mobile = make_mobile_point()
    day = timezone.localdate() + timedelta(days=30)  # the calendar refuses a past one

    def attempt(hour: int):
        return plan_deployment(deployment=MobileDeployment(
            point=mobile, place=f"Plaats {hour}", street="Markt 1", postcode="2800",
            district=mobile.district,
            starts_at=brussels(day.year, day.month, day.day, 9),
            ends_at=brussels(day.year, day.month, day.day, 12 + hour % 3)))

    results = race([lambda n=n: attempt(n) for n in range(10)], (ScheduleError,))
    assert results.tally == (1, 9, [])
    assert MobileDeployment.objects.filter(point=mobile).count() == 1


def test_of_two_tabs_saving_the_same_deployment_only_the_first_goes_through(postgres):
    mobile = make_mobile_point()
    day = timezone.localdate() + timedelta(days=30)
    deployment = MobileDeployment.objects.create(
        point=mobile, place="Markt", street="Markt 1", postcode="2800",
        district=mobile.district, starts_at=brussels(day.year, day.month, day.day, 9),
        ends_at=brussels(day.year, day.month, day.day, 12))

    def save_as(place: str):
        tab = MobileDeployment.objects.get(pk=deployment.pk)  # the form each tab showed
        tab.place = place
        return plan_deployment(deployment=tab, seen_version=1)

    results = race([lambda p=p: save_as(p) for p in ("School", "Bibliotheek")],
                   (DeploymentChanged,))
    assert results.tally == (1, 1, [])
    deployment.refresh_from_db()
    assert deployment.version == 2 and deployment.place == results.ok[0].place


def test_the_database_refuses_overlapping_closures_of_one_point(postgres):
    from django.db import IntegrityError, transaction

    from points.models import Closure

    point = make_point()
    Closure.objects.create(point=point, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26),
                           reason="Kerstmis")
    Closure.objects.create(point=None, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 25),
                           reason="Kerstmis")
    Closure.objects.create(point=make_point(), starts_on=date(2026, 12, 25),
                           ends_on=date(2026, 12, 25), reason="Kerstmis")
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(point=point, starts_on=date(2026, 12, 26),
                               ends_on=date(2026, 12, 27), reason="Dubbel met Kerstmis")
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(point=None, starts_on=date(2026, 12, 24),
                               ends_on=date(2026, 12, 25), reason="Dubbel met Kerstmis")
