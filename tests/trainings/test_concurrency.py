"""Capacity under concurrency, on PostgreSQL (skips on SQLite locally)."""

from tests.concurrency import Race, race
from tests.factories import make_resident
from tests.trainings.factories import make_course, make_enrolment, make_run, make_session
from trainings.models import EnrolmentStatus, RunEnrolmentStatus
from trainings.services import TrainingError, cancel_enrolment, enrol, enrol_in_run


def _run_in_threads(work, count: int) -> Race:
    return race([lambda i=i: work(i) for i in range(count)], (TrainingError,))


def test_twenty_parallel_enrolments_for_the_last_seat_give_it_to_exactly_one(postgres):
    session = make_session(capacity=3)
    for _ in range(2):
        make_enrolment(session, make_resident())
    residents = [make_resident() for _ in range(20)]
    results = _run_in_threads(
        lambda i: enrol(actor=None, session=session, resident=residents[i],
                        allow_waiting_list=False), 20)
    assert results.tally == (1, 19, [])
    assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 3


def test_parallel_enrolments_fill_the_seats_and_queue_the_rest_in_order(postgres):
    session = make_session(capacity=5)
    residents = [make_resident() for _ in range(20)]
    results = _run_in_threads(
        lambda i: enrol(actor=None, session=session, resident=residents[i]), 20)
    assert results.tally == (20, 0, [])
    assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 5
    assert session.enrolments.filter(status=EnrolmentStatus.WAITING).count() == 15


def test_the_same_resident_enrolled_twenty_times_at_once_gets_one_place(postgres):
    session = make_session(capacity=5)
    resident = make_resident()
    results = _run_in_threads(
        lambda i: enrol(actor=None, session=session, resident=resident), 20)
    assert results.tally == (1, 19, [])
    assert session.enrolments.count() == 1


def test_parallel_cancellations_never_promote_more_people_than_free_seats(postgres):
    session = make_session(capacity=4)
    seated = [make_enrolment(session, make_resident()) for _ in range(4)]
    for _ in range(10):
        make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    results = _run_in_threads(
        lambda i: cancel_enrolment(actor=None, enrolment=seated[i]), 4)
    assert results.tally == (4, 0, [])
    assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 4
    assert session.enrolments.filter(status=EnrolmentStatus.WAITING).count() == 6


def test_twenty_parallel_series_enrolments_fill_the_places_and_queue_the_rest(postgres):
    run = make_run(weeks=4, capacity=6)
    residents = [make_resident() for _ in range(20)]
    results = _run_in_threads(
        lambda i: enrol_in_run(actor=None, run=run, resident=residents[i]), 20)
    assert results.tally == (20, 0, [])
    assert run.enrolments.filter(status=RunEnrolmentStatus.ENROLLED).count() == 6
    assert run.enrolments.filter(status=RunEnrolmentStatus.WAITING).count() == 14
    for session in run.sessions.all():
        assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 6


def test_parallel_single_joins_and_series_enrolments_never_overfill_a_date(postgres):
    run = make_run(make_course(single_sessions_allowed=True), weeks=2, capacity=4)
    first = run.sessions.order_by("starts_at").first()
    residents = [make_resident() for _ in range(20)]

    def work(i):
        if i % 2:
            return enrol(actor=None, session=first, resident=residents[i])
        return enrol_in_run(actor=None, run=run, resident=residents[i])

    results = _run_in_threads(work, 20)
    assert results.crashes == []
    assert first.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 4
