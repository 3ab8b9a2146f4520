"""Two hosts cannot both take the same waiting visitor (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from points.models import VisitEvent, VisitStatus
from points.services import VisitError, take_visit
from tests.factories import make_point, make_user
from tests.points.factories import make_visit


@pytest.mark.postgres
def test_only_one_of_twenty_hosts_takes_the_same_waiting_visitor(postgres):
    point = make_point()
    hosts = [make_user("host", points=[point]) for _ in range(20)]
    visit = make_visit(point)
    results: list[str] = []
    barrier = threading.Barrier(len(hosts))

    def attempt(host):
        try:
            barrier.wait()
            take_visit(visit=visit, actor=host)
            results.append("ok")
        except VisitError:
            results.append("refused")
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(host,)) for host in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok"] + ["refused"] * 19
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_HOST
    assert VisitEvent.objects.filter(visit=visit, to_status=VisitStatus.WITH_HOST).count() == 1
