"""The counter's cost does not grow with the day: one page of finished
visits, a poll that answers "nothing changed" without rendering, and the
addresses of every visit's actions reversed once per page (the coach queue
too)."""

from datetime import timedelta
from unittest import mock

import django.urls
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import counter.views
from counter.views import FINISHED_PER_PAGE
from points.models import VisitOutcome, VisitStatus
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(client, point):
    user = make_user("host", points=[point])
    client.force_login(user)
    return user


def _finished(point, host, count, start=None):
    start = start or timezone.now() - timedelta(hours=3)
    for n in range(count):
        make_visit(point, status=VisitStatus.DONE, host=host, outcome=VisitOutcome.SOLVED,
                   arrived_at=start + timedelta(seconds=n), finished_at=start)


def _shown_version(client) -> str:
    return client.get(reverse("counter:counter")).context["version"]


def _poll(client, version: str, **params):
    query = {"versie": version, **params}
    return client.get(reverse("counter:counter"), query, **HTMX)


def test_the_poll_answers_no_content_when_nothing_changed(client, point, host):
    make_visit(point, status=VisitStatus.WITH_HOST, host=host)
    response = _poll(client, _shown_version(client))
    assert response.status_code == 204
    assert response.content == b""


def test_the_poll_renders_the_queue_after_a_new_visit(client, point, host):
    version = _shown_version(client)
    make_visit(point, status=VisitStatus.WAITING, resident=make_resident("Josée", "Claes"))
    response = _poll(client, version)
    assert response.status_code == 200
    assert "Josée Claes" in response.content.decode()


def test_the_poll_renders_the_queue_after_a_visit_changed(client, point, host):
    visit = make_visit(point, status=VisitStatus.WITH_HOST, host=host)
    version = _shown_version(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        visit.status = VisitStatus.DONE
        visit.outcome = VisitOutcome.SOLVED
        visit.save()
    assert _poll(client, version).status_code == 200


def test_the_poll_renders_every_minute_while_someone_waits(client, point, host):
    make_visit(point, status=VisitStatus.WAITING)
    version = _shown_version(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert _poll(client, version).status_code == 200


def test_the_poll_renders_the_queue_when_a_message_waits(client, point, host):
    visit = make_visit(point, status=VisitStatus.WITH_HOST, host=host)
    version = _shown_version(client)
    # A step refused with a message, answered without htmx: the message waits.
    client.post(reverse("counter:visit-take", args=[visit.pk]))
    response = _poll(client, version)
    assert response.status_code == 200
    assert "Iemand anders helpt deze bezoeker al." in response.content.decode()


def test_the_poll_without_a_version_renders_the_queue(client, point, host):
    assert client.get(reverse("counter:counter"), **HTMX).status_code == 200


def test_an_unchanged_poll_costs_the_same_at_5_and_300_visits_today(client, point, host,
                                                                    settings):
    settings.SESSION_TOUCH_SECONDS = 60
    _finished(point, host, 5)
    version = _shown_version(client)
    with CaptureQueriesContext(connection) as small:
        assert _poll(client, version).status_code == 204
    _finished(point, host, 295)
    version = _shown_version(client)
    with CaptureQueriesContext(connection) as large:
        assert _poll(client, version).status_code == 204
    assert len(small) == len(large)


def test_the_counter_page_costs_the_same_at_5_and_300_visits_today(
        client, point, host, django_assert_max_num_queries):
    topic = make_topic()
    _finished(point, host, 5)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("counter:counter"))
    _finished(point, host, 295)
    for visit in point.visits.all():
        visit.topics.add(topic)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("counter:counter"))


def test_the_counter_shows_one_page_of_finished_visits_newest_first(client, point, host):
    _finished(point, host, FINISHED_PER_PAGE + 3)
    page = client.get(reverse("counter:counter")).context["closed"]
    assert page.paginator.count == FINISHED_PER_PAGE + 3
    assert len(page.object_list) == FINISHED_PER_PAGE
    arrivals = [visit.arrived_at for visit in page.object_list]
    assert arrivals == sorted(arrivals, reverse=True)


def test_the_next_page_of_finished_visits_shows_the_earlier_ones(client, point, host):
    _finished(point, host, FINISHED_PER_PAGE + 3)
    response = client.get(reverse("counter:counter"), {"afgerond": 2}, **HTMX)
    assert len(response.context["closed"].object_list) == 3
    assert "Pagina 2 van 2" in response.content.decode()


def _day_at_the_counter(point, host, coach, count: int) -> None:
    """``count`` visits today in every state, a third with a resident, some
    finished by the coach with an outcome that has a follow-up."""
    states = [VisitStatus.WAITING, VisitStatus.WITH_HOST, VisitStatus.WAITING_FOR_COACH,
              VisitStatus.WITH_COACH, VisitStatus.DONE, VisitStatus.LEFT]
    outcomes = [VisitOutcome.TRAINING_PROPOSED, VisitOutcome.DEVICE_LOAN, VisitOutcome.REFERRED]
    start = timezone.now() - timedelta(hours=5)
    for n in range(count):
        status = states[n % len(states)]
        make_visit(point, status=status, arrived_at=start + timedelta(seconds=n),
                   host=host if status != VisitStatus.WAITING else None,
                   coach=coach if status in (VisitStatus.WITH_COACH, VisitStatus.DONE) else None,
                   handed_over_at=start if status == VisitStatus.WAITING_FOR_COACH else None,
                   outcome=outcomes[n % 3] if status == VisitStatus.DONE else "",
                   finished_at=start if status == VisitStatus.DONE else None,
                   resident=make_resident() if n % 3 == 0 else None)


@pytest.fixture
def coach(point):
    return make_user("coach", points=[point])


def test_the_coach_queue_costs_the_same_at_5_and_300_visits_today(client, point, host, coach):
    client.force_login(coach)
    _day_at_the_counter(point, host, coach, 5)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("counter:coach-queue"))
    _day_at_the_counter(point, host, coach, 295)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("counter:coach-queue"))
    assert len(response.context["handovers"]) > 40
    assert len(small) == len(large)


def _reverse_calls(client, url: str, **extra) -> int:
    """How often a page calls reverse(), in the view and in {% url %} (which
    imports it from django.urls when it renders)."""
    with (mock.patch.object(django.urls, "reverse", wraps=django.urls.reverse) as in_templates,
          mock.patch.object(counter.views, "reverse", wraps=django.urls.reverse) as in_view):
        client.get(url, **extra)
    return in_templates.call_count + in_view.call_count


@pytest.mark.parametrize(("user", "name", "extra"), [
    ("host", "counter:counter", {}),
    ("host", "counter:counter", HTMX),
    ("coach", "counter:coach-queue", {}),
])
def test_the_queues_reverse_their_addresses_once_per_page_not_per_visit(
        client, point, host, coach, user, name, extra):
    client.force_login(host if user == "host" else coach)
    # More than a page of finished visits both times, so both have a pager.
    _day_at_the_counter(point, host, coach, 36)
    fewer = _reverse_calls(client, reverse(name), **extra)
    _day_at_the_counter(point, host, coach, 84)
    assert _reverse_calls(client, reverse(name), **extra) == fewer


def test_every_action_of_a_visit_in_the_queue_points_at_that_visit(client, point, host):
    waiting = make_visit(point, status=VisitStatus.WAITING, resident=make_resident())
    served = make_visit(point, status=VisitStatus.WITH_HOST, host=host)
    left = make_visit(point, status=VisitStatus.LEFT, finished_at=timezone.now())
    client.force_login(host)
    content = client.get(reverse("counter:counter")).content.decode()
    for name, visit in [("visit-take", waiting), ("visit-hand-over", waiting),
                        ("visit-left", waiting), ("visit-correct", waiting),
                        ("visit-finish", served), ("visit-hand-over", served),
                        ("visit-undo-left", left), ("visit-slip", left)]:
        assert f'action="{reverse(f"counter:{name}", args=[visit.pk])}"' in content or \
            f'href="{reverse(f"counter:{name}", args=[visit.pk])}"' in content, name
    assert f'href="{reverse("residents:detail", args=[waiting.resident_id])}"' in content
