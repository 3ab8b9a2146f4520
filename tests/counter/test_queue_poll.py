"""The counter's cost does not grow with the day: one page of finished
visits, and a poll that answers "nothing changed" without rendering."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
