"""The dashboard's roll-up: figures from built days, unbuilt days and a mix
equal hand-computed values; corrections show at once and after the nightly
build; the build is idempotent and safe to run twice at once."""

import os
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.admin.sites import AdminSite
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from dashboard.figures import (
    Scope,
    channels,
    resolutions,
    scope_for,
    topics,
    unsolved_by_service,
    visit_summary,
)
from dashboard.models import DemandDayFigures, RollupDay, VisitDayFigures
from dashboard.rollup import (
    build_days,
    build_rollup,
    changed_since_built,
    invalidate_days,
    invalidate_visit,
)
from digibank.admin import ResidentAdmin, UserAdmin
from digibank.models import Resident, User
from digibank.pseudonyms import visitor_key
from digibank.services import update_resident
from points.admin import VisitAdmin
from points.models import Visit, VisitOutcome, VisitStatus
from points.services import close_stale_visits, finish_visit
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import brussels, make_channel, make_topic, make_visit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
PERIOD = Scope(start=date(2026, 3, 1), end=TODAY)
BUILT_PERIOD = Scope(start=date(2026, 3, 1), end=date(2026, 3, 9))


@pytest.fixture(autouse=True)
def _tenth_of_march():
    with time_machine.travel(brussels(2026, 3, 10, 14), tick=False):
        yield


def _visit(point, day: int, hour: int, *, status=VisitStatus.DONE, wait=None, total=None,
           topics=(), **fields):
    arrived = brussels(2026, 3, day, hour)
    if wait is not None:
        fields["served_at"] = arrived + timedelta(minutes=wait)
    if total is not None:
        fields["finished_at"] = arrived + timedelta(minutes=total)
    visit = make_visit(point, status=status, arrived_at=arrived, **fields)
    visit.topics.set(topics)
    return visit


@pytest.fixture
def march():
    """Four visits on 2 and 3 March (built by the nightly job) and two today."""
    bib = make_point("Bib", district=make_district("Centrum"))
    markt = make_point("Markt", district=make_district("Noord"))
    maria = make_resident("Maria", phone="0470000001", district=make_district("Heffen"))
    coach = make_user("coach", points=[bib])
    poster = make_channel("Affiche")
    itsme = make_topic("itsme", external_service="itsme")
    tax = make_topic("Tax-on-web", external_service="Tax-on-web")
    visits = {
        "host": _visit(bib, 2, 10, outcome=VisitOutcome.SOLVED, wait=10, total=30,
                       resident=maria, channel=poster, topics=[itsme, tax]),
        "coached": _visit(bib, 2, 11, outcome=VisitOutcome.SOLVED, wait=20, total=60, coach=coach,
                        handed_over_at=brussels(2026, 3, 2, 11, 25),
                        coach_started_at=brussels(2026, 3, 2, 11, 40),
                        visitor_key=visitor_key("Minou 1950"), topics=[itsme]),
        "unsolved": _visit(markt, 3, 9, outcome=VisitOutcome.NOT_SOLVED, wait=0, total=20,
                           topics=[tax]),
        "left": _visit(bib, 3, 15, status=VisitStatus.LEFT, total=5),
        "today": _visit(bib, 10, 10, outcome=VisitOutcome.REFERRED, wait=5, total=25,
                        resident=maria, channel=poster, topics=[itsme]),
        "waiting": _visit(markt, 10, 13, status=VisitStatus.WAITING),
    }
    return {"bib": bib, "markt": markt, "maria": maria, "coach": coach, "itsme": itsme,
            "tax": tax, **visits}


def _figures(scope: Scope) -> dict:
    return {"summary": visit_summary(scope), "resolutions": dict(resolutions(scope)),
            "channels": channels(scope), "topics": topics(scope),
            "e-services": unsolved_by_service(scope)}


def _resolved(*, host=0, coach=0, training=0, referred=0, device=0, come_back=0,
              not_solved=0, left=0) -> dict:
    return {"Opgelost door de host": host, "Opgelost door een coach": coach,
            str(VisitOutcome.TRAINING_PROPOSED.label): training,
            str(VisitOutcome.REFERRED.label): referred,
            str(VisitOutcome.DEVICE_LOAN.label): device,
            str(VisitOutcome.COME_BACK.label): come_back,
            str(VisitOutcome.NOT_SOLVED.label): not_solved,
            str(VisitStatus.LEFT.label): left}


# By hand: six visits, Maria twice, one visitor key, three without either;
# waits 10, 20, 0, 5 -> 8.75; coach wait 15; done in 30, 60, 20, 25 -> 33.75.
WHOLE_PERIOD = {
    "summary": {"visits": 6, "residents": 1, "keys": 1, "unidentified": 3, "left": 1,
                "wait": 9, "coach_wait": 15, "total": 34},
    "resolutions": _resolved(host=1, coach=1, referred=1, not_solved=1, left=1),
    "channels": [("Niet gevraagd", 4), ("Affiche", 2)],
    "topics": [("itsme", 3), ("Tax-on-web", 2)],
    "e-services": [["Tax-on-web", "03/2026", 1]],
}
# Without today: waits 10, 20, 0 -> 10; done in 30, 60, 20 -> 36.67.
BUILT_DAYS = {
    "summary": {"visits": 4, "residents": 1, "keys": 1, "unidentified": 2, "left": 1,
                "wait": 10, "coach_wait": 15, "total": 37},
    "resolutions": _resolved(host=1, coach=1, not_solved=1, left=1),
    "channels": [("Niet gevraagd", 3), ("Affiche", 1)],
    "topics": [("Tax-on-web", 2), ("itsme", 2)],
    "e-services": [["Tax-on-web", "03/2026", 1]],
}


def test_figures_of_days_not_built_come_from_the_visits(march):
    assert not RollupDay.objects.exists()
    assert _figures(PERIOD) == WHOLE_PERIOD


def test_figures_of_built_days_come_from_the_roll_up(march):
    build_rollup()
    # A change behind the services' back (no invalidation) is not seen:
    # the built days are read from the roll-up, not from the visits.
    Visit.objects.filter(pk=march["unsolved"].pk).update(outcome=VisitOutcome.SOLVED)
    assert _figures(BUILT_PERIOD) == BUILT_DAYS


def test_figures_of_a_period_with_built_days_and_today_add_both(march):
    build_rollup()
    assert RollupDay.objects.filter(day=TODAY).exists() is False
    assert _figures(PERIOD) == WHOLE_PERIOD


def test_figures_of_one_point_mix_built_days_and_today(march):
    build_rollup()
    scope = scope_for(start=PERIOD.start, end=PERIOD.end, point=march["bib"])
    figures = _figures(scope)
    assert figures["summary"] == {"visits": 4, "residents": 1, "keys": 1, "unidentified": 1,
                                  "left": 1, "wait": 12, "coach_wait": 15, "total": 38}
    assert figures["resolutions"] == _resolved(host=1, coach=1, referred=1, left=1)
    assert figures["channels"] == [("Niet gevraagd", 2), ("Affiche", 2)]
    assert figures["topics"] == [("itsme", 3), ("Tax-on-web", 1)]


def test_a_day_marked_not_built_is_read_from_the_visits_again(march):
    build_rollup()
    Visit.objects.filter(pk=march["unsolved"].pk).update(outcome=VisitOutcome.SOLVED)
    invalidate_days([date(2026, 3, 3)])
    assert dict(resolutions(BUILT_PERIOD))["Opgelost door de host"] == 2


def test_the_roll_up_holds_the_district_of_demand_in_all_and_per_topic(march):
    build_rollup()
    rows = DemandDayFigures.objects.filter(day__lte=date(2026, 3, 3))
    heffen = march["maria"].district_id
    in_all = rows.filter(topic__isnull=True)
    assert sorted((row.day.day, row.point.name, row.resident_district_id or 0, row.visits)
                  for row in in_all) == [(2, "Bib", 0, 1), (2, "Bib", heffen, 1),
                                         (3, "Bib", 0, 1), (3, "Markt", 0, 1)]
    tax = rows.filter(topic=march["tax"]).order_by("day")
    assert [(row.day.day, row.resident_district_id, row.visits) for row in tax] == [
        (2, heffen, 1), (3, None, 1)]


def test_an_unsolved_visit_about_two_topics_of_one_e_service_counts_once_when_built(march):
    eid = make_topic("eID", external_service="itsme")
    _visit(march["bib"], 4, 10, outcome=VisitOutcome.NOT_SOLVED, topics=[march["itsme"], eid])
    _visit(march["bib"], 10, 11, outcome=VisitOutcome.NOT_SOLVED, topics=[march["tax"]])
    build_rollup()
    assert unsolved_by_service(PERIOD) == [["Tax-on-web", "03/2026", 2], ["itsme", "03/2026", 1]]


# --- corrections after the build ------------------------------------------


def _correct_later(visit: Visit, *, topics=None, **fields) -> None:
    """A correction as any service makes it: save, and mark the day, in one
    transaction."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.save()
        if topics is not None:
            visit.topics.set(topics)
        invalidate_visit(visit)


def test_an_outcome_finished_after_the_day_was_built_shows_at_once_and_after_the_build():
    point = make_point()
    host = make_user("host", points=[point])
    forgotten = _visit(point, 9, 16, status=VisitStatus.WITH_HOST, host=host, wait=0)
    build_rollup()
    assert dict(resolutions(BUILT_PERIOD))[str(VisitOutcome.TRAINING_PROPOSED.label)] == 0
    finish_visit(visit=forgotten, actor=host, outcome=VisitOutcome.TRAINING_PROPOSED)
    assert dict(resolutions(BUILT_PERIOD))[str(VisitOutcome.TRAINING_PROPOSED.label)] == 1
    assert build_rollup() == 1
    assert dict(resolutions(BUILT_PERIOD))[str(VisitOutcome.TRAINING_PROPOSED.label)] == 1


def test_visits_closed_as_left_the_next_morning_count_at_once_and_after_the_build():
    point = make_point()
    _visit(point, 9, 16, status=VisitStatus.WAITING)
    build_rollup()
    close_stale_visits()
    assert visit_summary(BUILT_PERIOD)["left"] == 1
    build_rollup()
    assert visit_summary(BUILT_PERIOD)["left"] == 1


def test_a_changed_topic_shows_at_once_and_after_the_build(march):
    build_rollup()
    _correct_later(march["unsolved"], topics=[march["itsme"]])
    expected = [("itsme", 3), ("Tax-on-web", 1)]
    assert topics(BUILT_PERIOD) == expected
    build_rollup()
    assert topics(BUILT_PERIOD) == expected


def test_a_visit_moved_to_another_point_shows_at_once_and_after_the_build(march):
    build_rollup()
    bib = scope_for(start=BUILT_PERIOD.start, end=BUILT_PERIOD.end, point=march["bib"])
    _correct_later(march["unsolved"], point=march["bib"])
    assert visit_summary(bib)["visits"] == 4
    build_rollup()
    assert visit_summary(bib)["visits"] == 4
    assert dict(resolutions(bib))[str(VisitOutcome.NOT_SOLVED.label)] == 1


def test_a_resident_linked_later_shows_at_once_and_after_the_build(march):
    build_rollup()
    _correct_later(march["unsolved"], resident=march["maria"])
    assert visit_summary(BUILT_PERIOD)["unidentified"] == 1
    build_rollup()
    assert visit_summary(BUILT_PERIOD)["unidentified"] == 1
    row = DemandDayFigures.objects.get(day=date(2026, 3, 3), topic=march["tax"])
    assert row.resident_district_id == march["maria"].district_id


def test_a_change_made_outside_the_services_is_rebuilt_by_the_nightly_job(march):
    build_rollup()
    with time_machine.travel(brussels(2026, 3, 10, 15), tick=False):
        visit = march["unsolved"]
        visit.outcome = VisitOutcome.SOLVED
        visit.save()  # no invalidation: only updated_at tells
        assert changed_since_built() == [date(2026, 3, 3)]
        assert build_rollup() == 1
    assert dict(resolutions(BUILT_PERIOD))["Opgelost door de host"] == 2
    assert changed_since_built() == []


def test_moving_a_resident_to_another_district_marks_their_visit_days_not_built(march):
    build_rollup()
    update_resident(actor=None, resident=march["maria"], district=make_district("Walem"))
    assert RollupDay.objects.get(day=date(2026, 3, 2)).built_at is None
    assert RollupDay.objects.get(day=date(2026, 3, 3)).built_at is not None


def test_the_admin_offers_no_way_to_delete_a_visit_behind_the_roll_up(march, rf):
    # A visit leaves the figures only through the counter's cancel service,
    # which marks its day not built; the admin has no delete door at all.
    build_rollup()
    request = rf.post("/")
    request.user = march["coach"]
    admin = VisitAdmin(Visit, AdminSite())
    assert not admin.has_delete_permission(request, march["unsolved"])
    assert "delete_selected" not in admin.get_actions(request)
    assert RollupDay.objects.get(day=date(2026, 3, 3)).built_at is not None


def test_deleting_a_coach_in_the_admin_moves_their_visits_to_solved_by_the_host(march, rf):
    build_rollup()
    UserAdmin(User, AdminSite()).delete_model(rf.post("/"), march["coach"])
    assert dict(resolutions(BUILT_PERIOD))["Opgelost door de host"] == 2


def test_deleting_a_resident_in_the_admin_makes_their_visits_unidentified(march, rf):
    build_rollup()
    ResidentAdmin(Resident, AdminSite()).delete_model(rf.post("/"), march["maria"])
    assert visit_summary(BUILT_PERIOD)["unidentified"] == 3


# --- the nightly build ------------------------------------------------------


def test_the_nightly_build_builds_up_to_yesterday_and_not_today(march):
    assert build_rollup() == 8  # 2 to 9 March
    built = RollupDay.objects.filter(built_at__isnull=False)
    assert [row.day for row in built] == [date(2026, 3, day) for day in range(2, 10)]
    assert VisitDayFigures.objects.filter(day=TODAY).exists() is False


def test_the_nightly_build_is_idempotent(march):
    build_rollup()
    rows = VisitDayFigures.objects.count()
    assert build_rollup() == 0
    assert VisitDayFigures.objects.count() == rows


def test_rebuilding_a_day_replaces_its_rows(march):
    build_rollup()
    assert build_days([date(2026, 3, 2)], force=True) == 1
    totals = VisitDayFigures.objects.filter(day=date(2026, 3, 2)).aggregate(n=Sum("visits"))
    assert totals["n"] == 2


def test_today_is_never_built(march):
    assert build_days([TODAY]) == 0
    assert RollupDay.objects.exists() is False


def test_the_celery_task_builds_due_days_or_one_given_day(march):
    from dashboard.tasks import build_rollup as task

    assert task.delay().get() == 8
    assert task.delay("2026-03-02").get() == 1


def test_the_nightly_build_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dashboard.tasks.build_rollup" in tasks


def test_a_build_queued_under_the_name_from_before_the_move_still_runs(march):
    from digibank.celery import app

    task = app.tasks["digibank.tasks.build_rollup"]
    assert task.delay("2026-03-02").get() == 1


def test_build_rollup_command_rebuilds_every_day_with_all(march, capsys):
    build_rollup()
    call_command("build_rollup", "--all")
    assert "Days rolled up: 8" in capsys.readouterr().out


def test_build_rollup_all_forgets_days_before_the_first_visit_left(march):
    build_rollup()
    # Deleted outside the services: nothing marks 2 March not built.
    Visit.objects.filter(arrived_at__lt=brussels(2026, 3, 3)).delete()
    call_command("build_rollup", "--all")
    assert not RollupDay.objects.filter(day=date(2026, 3, 2)).exists()
    assert not VisitDayFigures.objects.filter(day=date(2026, 3, 2)).exists()
    assert visit_summary(BUILT_PERIOD)["visits"] == 2


def test_build_rollup_all_forgets_every_day_when_no_visit_is_left(march):
    build_rollup()
    Visit.objects.all().delete()
    call_command("build_rollup", "--all")
    assert not RollupDay.objects.exists()
    assert not VisitDayFigures.objects.exists()


def test_every_visit_outcome_has_a_roll_up_column():
    columns = {field.name for field in VisitDayFigures._meta.fields}
    assert {value for value in VisitOutcome.values if value != VisitOutcome.SOLVED} <= columns


def test_seed_demo_leaves_the_roll_up_built():
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", force=True, stdout=devnull)
    assert RollupDay.objects.filter(day=TODAY - timedelta(days=1),
                                    built_at__isnull=False).exists()
    assert build_rollup() == 0
