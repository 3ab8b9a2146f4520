"""Counter services: every state change checks the rule and writes history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from digibank.models import AuditEvent, Resident
from points.models import Visit, VisitEvent, VisitOutcome, VisitStatus
from points.services import (
    NextStep,
    VisitError,
    correct_visit,
    finish_visit,
    hand_over_to_coach,
    mark_visit_left,
    register_visit,
    take_over_visit,
    take_visit,
)
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_channel, make_topic, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(point):
    return make_user("host", points=[point])


@pytest.fixture
def coach(point):
    return make_user("coach", points=[point])


def _statuses(visit):
    return list(VisitEvent.objects.filter(visit=visit).values_list("to_status", flat=True))


def test_anonymous_quick_question_is_registered_solved_with_history(point, host):
    topic = make_topic("itsme")
    visit = register_visit(point=point, actor=host, topics=[topic], next_step=NextStep.SOLVED)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.outcome == VisitOutcome.SOLVED
    assert visit.resident is None and visit.host == host
    assert list(visit.topics.all()) == [topic]
    assert _statuses(visit) == ["waiting", "with_host", "done"]


def test_visit_handed_to_coach_at_registration_waits_for_coach(point, host):
    visit = register_visit(point=point, actor=host, next_step=NextStep.COACH)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING_FOR_COACH
    assert visit.handed_over_at is not None
    assert _statuses(visit) == ["waiting", "with_host", "waiting_coach"]


def test_registering_with_a_new_resident_creates_and_audits_the_resident(point, host):
    visit = register_visit(point=point, actor=host, channel=make_channel(),
                           new_resident={"first_name": "Rita", "last_name": "Claes",
                                         "phone": "0470 11 22 33"})
    resident = Resident.objects.get(last_name="Claes")
    assert visit.resident == resident and resident.phone == "0470112233"
    assert AuditEvent.objects.filter(resident=resident).count() == 2


def test_host_cannot_register_visit_at_other_point(host):
    other = make_point("Elders")
    with pytest.raises(VisitError):
        register_visit(point=other, actor=host)
    assert not Visit.objects.exists()


def test_second_host_cannot_take_a_visitor_already_taken(point, host):
    visit = make_visit(point)
    take_visit(visit=visit, actor=host)
    with pytest.raises(VisitError):
        take_visit(visit=visit, actor=make_user("host", points=[point]))
    visit.refresh_from_db()
    assert visit.host == host and visit.status == VisitStatus.WITH_HOST


def test_waiting_visitor_is_handed_to_the_coach_in_one_step(point, host):
    visit = make_visit(point)
    hand_over_to_coach(visit=visit, actor=host, note="Belastingbrief")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING_FOR_COACH and visit.note == "Belastingbrief"
    assert _statuses(visit)[-2:] == ["with_host", "waiting_coach"]


def test_coach_takes_over_and_closes_with_an_outcome(point, host, coach):
    visit = register_visit(point=point, actor=host, next_step=NextStep.COACH)
    take_over_visit(visit=visit, actor=coach)
    finish_visit(visit=visit, actor=coach, outcome=VisitOutcome.TRAINING_PROPOSED)
    visit.refresh_from_db()
    assert visit.coach == coach and visit.status == VisitStatus.DONE
    assert visit.outcome == VisitOutcome.TRAINING_PROPOSED
    assert visit.service_minutes is not None and visit.waiting_minutes == 0


def test_coach_of_another_point_cannot_take_over(point, host):
    visit = register_visit(point=point, actor=host, next_step=NextStep.COACH)
    with pytest.raises(VisitError):
        take_over_visit(visit=visit, actor=make_user("coach", points=[make_point()]))


def test_finish_needs_a_known_outcome(point, host):
    visit = make_visit(point)
    with pytest.raises(VisitError):
        finish_visit(visit=visit, actor=host, outcome="")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING


def test_a_finished_visit_cannot_be_left(point, host):
    visit = register_visit(point=point, actor=host, next_step=NextStep.SOLVED)
    with pytest.raises(VisitError):
        mark_visit_left(visit=visit, actor=host)


def test_left_without_help_is_recorded(point, host):
    visit = make_visit(point)
    mark_visit_left(visit=visit, actor=host)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.LEFT and visit.finished_at is not None


def test_correction_on_the_same_day_changes_fields_and_writes_an_event(point, host):
    visit = register_visit(point=point, actor=host, next_step=NextStep.SOLVED)
    topic = make_topic()
    correct_visit(visit=visit, actor=host, topics=[topic], channel=None, resident=None,
                  outcome=VisitOutcome.REFERRED, note="Naar OCMW")
    visit.refresh_from_db()
    assert visit.outcome == VisitOutcome.REFERRED and list(visit.topics.all()) == [topic]
    correction = VisitEvent.objects.filter(visit=visit).last()
    assert correction.from_status == correction.to_status == VisitStatus.DONE
    assert "resultaat" in correction.note  # the field as the screen names it


def test_correction_on_a_later_day_is_refused(point, host):
    visit = register_visit(point=point, actor=host, next_step=NextStep.SOLVED)
    with time_machine.travel(visit.arrived_at + timedelta(days=1)), pytest.raises(VisitError):
        correct_visit(visit=visit, actor=host, topics=[], channel=None, resident=None,
                      outcome=VisitOutcome.SOLVED, note="later")


def test_database_refuses_a_done_visit_without_outcome(point):
    with pytest.raises(IntegrityError):
        make_visit(point, status=VisitStatus.DONE)


def test_returning_resident_visit_touches_the_resident(point, host):
    resident = make_resident(last_activity=date(2020, 1, 1))
    register_visit(point=point, actor=host, resident=resident)
    resident.refresh_from_db()
    assert resident.last_activity.year > 2020


def test_visit_hands_resident_and_visit_on_to_a_follow_up_screen(point, host):
    resident = make_resident()
    visit = register_visit(point=point, actor=host, resident=resident)
    assert visit.followup_query == f"inwoner={resident.pk}&bezoek={visit.pk}"


def test_resident_with_an_open_visit_is_not_anonymised(point, host):
    from digibank.services import residents_due_for_anonymisation

    old = date(2015, 1, 1)
    waiting = make_resident(last_activity=old)
    gone = make_resident(last_activity=old)
    make_visit(point, resident=waiting)
    due = residents_due_for_anonymisation()
    assert gone in due and waiting not in due


def test_correction_cannot_give_an_open_visit_an_outcome(point, host):
    visit = make_visit(point)
    with pytest.raises(VisitError):
        correct_visit(visit=visit, actor=host, topics=[], channel=None, resident=None,
                      outcome=VisitOutcome.SOLVED, note="")


def test_visits_left_open_from_yesterday_are_closed_once_at_night(point, host):
    from points.tasks import close_stale_visits

    yesterday = make_visit(point, arrived_at=timezone.now() - timedelta(days=1))
    today = make_visit(point)
    assert close_stale_visits.delay().get() == 1
    assert close_stale_visits.delay().get() == 0
    yesterday.refresh_from_db()
    today.refresh_from_db()
    assert yesterday.status == VisitStatus.LEFT and today.status == VisitStatus.WAITING
    assert VisitEvent.objects.filter(visit=yesterday, to_status=VisitStatus.LEFT,
                                     actor__isnull=True).count() == 1
