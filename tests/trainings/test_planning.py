"""Training sessions only where and when the calendar says the place is
open: refused on a closure, outside the point's hours, in the past, or at
a mobile point without a stop that day, with the reason next to the field,
through the form, the service and the admin."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import make_partner, make_point, make_user
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)
from tests.trainings.factories import make_course, make_open_point, make_session
from trainings.models import Session
from trainings.services import TrainingError, plan_session, update_session

pytestmark = pytest.mark.django_db
NOW = brussels(2026, 12, 1, 8)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False), translation.override("nl"):
        yield


@pytest.fixture
def coordinator(client):
    user = make_user("coordinator")
    client.force_login(user)
    return user


def _form(point, day: str, start: str = "10:00", end: str = "12:00", weeks: int = 1) -> dict:
    return {"course": make_course().pk, "day": day, "start_time": start, "end_time": end,
            "point": point.pk, "weeks": str(weeks)}


def _post(client, data):
    return client.post(reverse("trainings:session-create"), data)


def test_session_on_a_holiday_is_refused_next_to_the_day(client, coordinator):
    point = make_open_point()
    make_closure(None, date(2026, 12, 25), date(2026, 12, 26), reason="Kerstmis")
    response = _post(client, _form(point, "2026-12-25"))
    errors = str(response.context["form"].errors["day"])
    assert "gesloten" in errors and "Kerstmis" in errors
    assert not Session.objects.exists()


def test_session_on_the_points_own_closure_is_refused(client, coordinator):
    point = make_open_point()
    make_closure(point, date(2026, 12, 14), date(2026, 12, 16), reason="Inventaris")
    response = _post(client, _form(point, "2026-12-15"))
    assert "Inventaris" in str(response.context["form"].errors["day"])


def test_session_outside_the_points_hours_is_refused_next_to_the_time(client, coordinator):
    point = make_point()
    make_period(point, 3, "09:00", "12:00")
    make_period(point, 3, "13:00", "16:30")
    late = _post(client, _form(point, "2026-12-10", "15:30", "17:30"))  # a Thursday
    assert "09:00–12:00, 13:00–16:30" in str(late.context["form"].errors["end_time"])
    early = _post(client, _form(point, "2026-12-10", "08:00", "10:00"))
    assert early.context["form"].errors["start_time"]
    closed_day = _post(client, _form(point, "2026-12-11"))  # a Friday
    assert "niet open" in str(closed_day.context["form"].errors["day"])
    assert not Session.objects.exists()


def test_session_earlier_today_is_refused(client):
    point = make_open_point()
    with time_machine.travel(brussels(2026, 12, 1, 15), tick=False):
        client.force_login(make_user("coordinator"))
        response = _post(client, _form(point, "2026-12-01", "10:00", "12:00"))
    assert "verleden" in str(response.context["form"].errors["day"])
    assert not Session.objects.exists()


def test_session_at_a_mobile_point_without_a_stop_that_day_is_refused(client, coordinator):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    response = _post(client, _form(bus, "2026-12-11"))
    assert "geen halte" in str(response.context["form"].errors["day"])
    outside = _post(client, _form(bus, "2026-12-10", "11:00", "13:00"))
    assert "Digibus" in str(outside.context["form"].errors["end_time"])
    assert not Session.objects.exists()


def test_session_at_a_mobile_point_during_its_stop_is_planned(client, coordinator):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))
    response = _post(client, _form(bus, "2026-12-10", "09:30", "11:30"))
    assert response.status_code == 302
    assert Session.objects.get().point == bus


def test_series_names_the_week_that_falls_on_a_closure_and_saves_nothing(client, coordinator):
    point = make_open_point()
    make_closure(None, date(2026, 12, 25), reason="Kerstmis")
    response = _post(client, _form(point, "2026-12-11", weeks=4))  # Fridays 11/12 … 1/1
    errors = str(response.context["form"].errors["day"])
    assert "Week 3 (25/12/2026)" in errors and "Kerstmis" in errors
    assert not Session.objects.exists()


def test_session_at_a_partner_venue_is_refused_only_in_the_past():
    venue = make_partner(is_training_partner=True)
    course = make_course()
    fields = {"course": course, "venue": venue, "point": None, "capacity": 8}
    with pytest.raises(TrainingError):
        plan_session(actor=None, starts_at=brussels(2026, 11, 30, 10),
                     ends_at=brussels(2026, 11, 30, 12), **fields)
    assert plan_session(actor=None, starts_at=brussels(2026, 12, 5, 10),
                        ends_at=brussels(2026, 12, 5, 12), **fields)


def test_moving_a_session_onto_a_closure_is_refused():
    point = make_open_point()
    session = make_session(point=point, starts_at=brussels(2026, 12, 24, 10))
    make_closure(point, date(2026, 12, 28), reason="Verhuis")
    with pytest.raises(TrainingError, match="Verhuis"):
        update_session(actor=make_user("coordinator"), session=session,
                       starts_at=brussels(2026, 12, 28, 10), ends_at=brussels(2026, 12, 28, 12))
    session.refresh_from_db()
    assert session.starts_at == brussels(2026, 12, 24, 10)


def test_changing_the_places_of_a_session_does_not_ask_the_calendar():
    point = make_point()  # no hours: a session made before the calendar held
    session = make_session(point=point, starts_at=brussels(2026, 12, 24, 10))
    update_session(actor=make_user("coordinator"), session=session, capacity=12)
    session.refresh_from_db()
    assert session.capacity == 12


def test_admin_refuses_to_plan_a_session_the_staff_page_plans_them(client):
    point = make_point()
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:trainings_session_add"), {
        "course": make_course().pk, "starts_at_0": "10/12/2026", "starts_at_1": "10:00",
        "ends_at_0": "10/12/2026", "ends_at_1": "12:00", "point": point.pk, "venue": "",
        "room": "", "accessibility": "", "trainer": "", "capacity": "8"})
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_planning_form_asks_for_a_partners_venue_not_who_gives_the_training(client, coordinator):
    # "Not at a partner" read as "not given by a partner", while the pages
    # then say the course's partner gives it.
    content = client.get(reverse("trainings:session-create")).content.decode()
    assert "Niet op de locatie van een partner" in content
    assert "Wie de opleiding geeft, staat bij de opleiding zelf." in content


def test_an_online_session_needs_no_open_point_and_is_no_clash_of_a_closure():
    from points.services import closure_clashes

    point = make_point()  # no hours at all: people join from home
    [session] = plan_session(actor=None, course=make_course(), point=point, venue=None,
                             capacity=8, is_online=True, starts_at=brussels(2026, 12, 10, 19),
                             ends_at=brussels(2026, 12, 10, 21))
    assert session.is_online
    assert not closure_clashes(point=point, starts_on=date(2026, 12, 10),
                               ends_on=date(2026, 12, 10))
