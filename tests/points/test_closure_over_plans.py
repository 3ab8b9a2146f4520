"""A closure added over plans still to come: the coordinator sees the
clashes first; once confirmed, the trainings are cancelled and everyone in
them is told (notify_resident), deployments without a stop left go."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from digibank.models import CallTask, Notification
from points.models import Closure, MobileDeployment
from points.services import ClosureClash, add_closure
from tests.factories import make_resident, make_user
from tests.points.factories import brussels, make_deployment, make_mobile_point
from tests.trainings.factories import (
    make_enrolment,
    make_open_point,
    make_run,
    make_run_enrolment,
    make_session,
)
from trainings.models import EnrolmentStatus, SessionStatus

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


@pytest.fixture
def planned():
    """A training on 14/12 at a point with one person enrolled by e-mail and
    one waiting without e-mail."""
    point = make_open_point("Bibliotheek")
    session = make_session(point=point, starts_at=brussels(2026, 12, 14, 14))
    enrolled = make_enrolment(session, make_resident(email="maria@example.org"))
    waiting = make_enrolment(session, make_resident(phone="0470123456"),
                             status=EnrolmentStatus.WAITING)
    return point, session, enrolled, waiting


def _closure_form(start: str, end: str, reason: str = "Inventaris", confirm: str = "") -> dict:
    return {"starts_on": start, "ends_on": end, "reason": reason, "confirm": confirm}


def test_closure_over_a_training_lists_it_and_adds_nothing_yet(client, coordinator, planned):
    point, session, _enrolled, _waiting = planned
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-14", "2026-12-16"), follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert str(session.course) in body and "2 mensen ingeschreven of wachtend" in body
    assert not Closure.objects.exists()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_confirmed_closure_cancels_the_training_and_tells_everyone_in_it(
        client, coordinator, planned, django_capture_on_commit_callbacks, mailoutbox):
    point, session, enrolled, waiting = planned
    first = client.post(reverse("points:manage-closures", args=[point.pk]),
                        _closure_form("2026-12-14", "2026-12-16"), follow=True)
    token = first.context["clashes"].token
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("points:manage-closures", args=[point.pk]),
                               _closure_form("2026-12-14", "2026-12-16", confirm=token))
    assert response.status_code == 302
    assert Closure.objects.get(point=point).reason == "Inventaris"
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and "Inventaris" in session.cancel_reason
    assert [mail.to for mail in mailoutbox] == [["maria@example.org"]]
    assert CallTask.objects.filter(resident=waiting.resident, kind="session_cancelled").exists()
    assert Notification.objects.filter(kind="session_cancelled").count() == 2


def test_a_confirmation_for_other_clashes_is_asked_again(client, coordinator, planned):
    point, session, _enrolled, _waiting = planned
    stale = f"sessions:{session.pk + 1000}"
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-14", "2026-12-16", confirm=stale), follow=True)
    assert response.context["clashes"]
    assert not Closure.objects.exists()


def test_closure_of_another_point_does_not_touch_the_training(client, coordinator, planned):
    _point, session, _enrolled, _waiting = planned
    other = make_open_point("Elders")
    response = client.post(reverse("points:manage-closures", args=[other.pk]),
                           _closure_form("2026-12-14", "2026-12-16"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_city_wide_holiday_lists_trainings_and_deployments_of_every_point(
        client, coordinator, planned):
    _point, session, _enrolled, _waiting = planned
    bus = make_mobile_point("Digibus")
    deployment = make_deployment(bus, brussels(2026, 12, 14, 9), brussels(2026, 12, 14, 12))
    response = client.post(reverse("points:manage-holidays"),
                           _closure_form("2026-12-14", "2026-12-14", "Stadsfeest"), follow=True)
    clashes = response.context["clashes"]
    assert [item.key for item in clashes.items] == [f"sessions:{session.pk}"]
    assert clashes.deployments == [deployment]


def test_confirmed_holiday_removes_a_deployment_without_a_stop_left():
    bus = make_mobile_point("Digibus")
    one_day = make_deployment(bus, brussels(2026, 12, 14, 9), brussels(2026, 12, 14, 12))
    two_days = make_deployment(bus, brussels(2026, 12, 15, 9), brussels(2026, 12, 16, 12))
    with pytest.raises(ClosureClash) as refused:
        add_closure(actor=None, point=None, starts_on=date(2026, 12, 14),
                    ends_on=date(2026, 12, 15), reason="Stadsfeest")
    result = add_closure(actor=None, point=None, starts_on=date(2026, 12, 14),
                         ends_on=date(2026, 12, 15), reason="Stadsfeest",
                         confirm=refused.value.clashes.token)
    assert result.removed == 1
    assert list(MobileDeployment.objects.all()) == [two_days]
    assert not MobileDeployment.objects.filter(pk=one_day.pk).exists()


def test_a_closure_without_clashes_is_added_at_once(client, coordinator):
    point = make_open_point()
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-14", "2026-12-16"))
    assert response.status_code == 302
    assert Closure.objects.filter(point=point).count() == 1


def test_admin_refuses_a_closure_over_plans_and_points_to_the_closures_page(client, planned):
    point, _session, _enrolled, _waiting = planned
    client.force_login(make_user("coordinator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:points_closure_add"), {
        "point": point.pk, "starts_on": "14/12/2026", "ends_on": "14/12/2026",
        "reason": "Inventaris"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_on"]
    assert not Closure.objects.exists()


def test_the_same_closure_confirmed_in_two_tabs_is_added_once(client, coordinator, planned):
    point, _session, _enrolled, _waiting = planned
    url = reverse("points:manage-closures", args=[point.pk])
    token = client.post(url, _closure_form("2026-12-14", "2026-12-16"),
                        follow=True).context["clashes"].token
    assert client.post(url, _closure_form("2026-12-14", "2026-12-16", confirm=token)
                       ).status_code == 302
    second = client.post(url, _closure_form("2026-12-14", "2026-12-16", confirm=token))
    assert second.status_code == 200
    errors = str(second.context["form"].errors["starts_on"])
    assert "Deze dagen zijn al gesloten: Inventaris" in errors
    assert Closure.objects.filter(point=point).count() == 1


def test_a_holiday_overlapping_another_holiday_is_refused_next_to_the_field(client, coordinator):
    Closure.objects.create(point=None, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26),
                           reason="Kerstmis")
    response = client.post(reverse("points:manage-holidays"),
                           _closure_form("2026-12-26", "2026-12-27", reason="Dubbel met Kerstmis"))
    assert "Kerstmis (25/12/2026 – 26/12/2026)" in str(response.context["form"].errors["starts_on"])
    assert Closure.objects.count() == 1


def test_a_point_closure_on_days_the_city_already_closes_is_refused(client, coordinator):
    point = make_open_point()
    Closure.objects.create(point=None, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26),
                           reason="Kerstmis")
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-25", "2026-12-25", reason="Kerst"))
    assert response.context["form"].errors["starts_on"]
    assert not Closure.objects.filter(point=point).exists()


def test_a_point_closure_next_to_another_is_accepted(client, coordinator):
    point = make_open_point()
    Closure.objects.create(point=point, starts_on=date(2026, 12, 14), ends_on=date(2026, 12, 15),
                           reason="Inventaris")
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-16", "2026-12-16", reason="Teamdag"))
    assert response.status_code == 302
    assert Closure.objects.filter(point=point).count() == 2


@pytest.fixture
def series():
    """A series of four Mondays from 14/12 with the same two people in it."""
    point = make_open_point("Bibliotheek")
    run = make_run(point=point, starts_at=brussels(2026, 12, 14, 14))
    people = [make_resident(first_name="Maria", email="maria@example.org"),
              make_resident(first_name="Jan", phone="0470123456")]
    for person in people:
        make_run_enrolment(run, person)
    return point, run, people


def test_closure_over_part_of_a_series_says_what_the_series_keeps(client, coordinator, series):
    point, _run, _people = series
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-14", "2026-12-30"), follow=True)
    assert len(response.context["clashes"].items) == 3
    assert "De reeks houdt alleen: sessie 4 van 4." in response.content.decode()


def test_closure_over_a_series_counts_each_person_told_once(client, coordinator, series):
    point, _run, _people = series
    url = reverse("points:manage-closures", args=[point.pk])
    token = client.post(url, _closure_form("2026-12-14", "2026-12-30"),
                        follow=True).context["clashes"].token
    response = client.post(url, _closure_form("2026-12-14", "2026-12-30", confirm=token),
                           follow=True)
    assert "3 geplande opleidingen geannuleerd (2 mensen verwittigd)" in (
        response.content.decode())


def test_staff_page_of_a_cancelled_session_lists_who_was_in_it_and_told(
        client, coordinator, series):
    point, run, people = series
    url = reverse("points:manage-closures", args=[point.pk])
    token = client.post(url, _closure_form("2026-12-14", "2026-12-14"),
                        follow=True).context["clashes"].token
    client.post(url, _closure_form("2026-12-14", "2026-12-14", confirm=token))
    first = run.sessions.order_by("starts_at").first()
    assert first.status == SessionStatus.CANCELLED
    body = client.get(reverse("trainings:session-detail", args=[first.pk])).content.decode()
    assert "Nog niemand ingeschreven" not in body
    assert all(person.first_name in body for person in people)


def test_closure_over_one_training_says_it_in_the_singular(client, coordinator, planned):
    point, _session, _enrolled, _waiting = planned
    url = reverse("points:manage-closures", args=[point.pk])
    token = client.post(url, _closure_form("2026-12-14", "2026-12-14"),
                        follow=True).context["clashes"].token
    response = client.post(url, _closure_form("2026-12-14", "2026-12-14", confirm=token),
                           follow=True)
    assert "Sluiting toegevoegd: 1 geplande opleiding geannuleerd (2 mensen verwittigd)." in (
        response.content.decode())


def test_closure_over_nothing_says_nothing_fell_on_those_days(client, coordinator, planned):
    point, _session, _enrolled, _waiting = planned
    response = client.post(reverse("points:manage-closures", args=[point.pk]),
                           _closure_form("2026-12-20", "2026-12-20"), follow=True)
    body = response.content.decode()
    assert "Sluiting toegevoegd. Er vielen geen opleidingen of inzetten op die dagen." in body
    assert "0 " not in " ".join(m.message for m in response.context["messages"])


def test_closure_over_plans_shows_its_clashes_on_a_get_page_to_come_back_to(
        client, coordinator, planned):
    point, session, _enrolled, _waiting = planned
    url = reverse("points:manage-closures", args=[point.pk])
    response = client.post(url, _closure_form("2026-12-14", "2026-12-16"))
    assert response.status_code == 302
    clash_page = response["Location"]
    assert clash_page.startswith(f"{url}?") and "starts_on=2026-12-14" in clash_page
    shown = client.get(clash_page)
    assert str(session.course) in shown.content.decode()
    client.post(url, _closure_form("2026-12-14", "2026-12-16",
                                   confirm=shown.context["clashes"].token))
    back = client.get(clash_page)  # the browser's Back, after confirming
    assert back.status_code == 200 and back.context["clashes"] is None
