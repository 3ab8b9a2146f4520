"""Two builds of the same day at once on PostgreSQL: one set of rows."""

from datetime import date

import pytest
from django.db.models import Sum

from dashboard.models import RollupDay, VisitDayFigures
from dashboard.rollup import build_days
from tests.concurrency import run_in_parallel
from tests.factories import make_point
from tests.points.factories import brussels, make_visit

pytestmark = pytest.mark.postgres

DAY = date(2026, 3, 2)


@pytest.fixture
def three_visits(postgres):
    point = make_point()
    for hour in (9, 10, 11):
        make_visit(point, arrived_at=brussels(2026, 3, 2, hour))


def _visits_rolled_up() -> int:
    return VisitDayFigures.objects.filter(day=DAY).aggregate(n=Sum("visits"))["n"]


def test_two_builds_of_the_same_day_at_once_build_it_once(three_visits):
    results = run_in_parallel(2, lambda: build_days([DAY]))
    assert (sorted(results.ok), results.crashes) == ([0, 1], [])
    assert _visits_rolled_up() == 3
    assert RollupDay.objects.filter(day=DAY, built_at__isnull=False).count() == 1


def test_two_forced_rebuilds_of_the_same_day_at_once_leave_one_set_of_rows(three_visits):
    build_days([DAY])
    results = run_in_parallel(4, lambda: build_days([DAY], force=True))
    assert results.tally == (4, 0, [])
    assert results.ok == [1, 1, 1, 1]
    assert _visits_rolled_up() == 3
