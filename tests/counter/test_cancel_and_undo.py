"""Undo and cancel at the counter: a visit registered by mistake is
cancelled with a reason (kept in the audit trail), "left without help" is
undone, both on the same day only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import AuditAction, AuditEvent
from points.models import Visit, VisitStatus
from points.services import VisitError, cancel_visit, mark_visit_left, undo_left
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point():
    return make_point("Balie")


@pytest.fixture
def host(point):
    return make_user("host", points=[point], first_name="Hanne", last_name="Host")


def test_a_cancelled_visit_counts_nowhere_and_the_audit_trail_says_why(point, host):
    resident = make_resident("Maria", "Peeters")
    visit = make_visit(point, resident=resident)
    visit.topics.add(make_topic("Bankapp"))
    cancel_visit(visit=visit, actor=host, reason="Twee keer geregistreerd")
    assert not Visit.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, resident=resident)
    assert "Twee keer geregistreerd" in event.summary
    assert event.actor == host
    assert event.detail["topics"] == ["Bankapp"] and event.detail["status"] == "waiting"


def test_a_visit_is_not_cancelled_without_a_reason(point, host):
    visit = make_visit(point)
    with pytest.raises(VisitError):
        cancel_visit(visit=visit, actor=host, reason="  ")
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_visit_of_another_day_cannot_be_cancelled(point, host):
    visit = make_visit(point, arrived_at=timezone.now() - timedelta(days=1))
    with pytest.raises(VisitError):
        cancel_visit(visit=visit, actor=host, reason="Vergissing")
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_host_of_another_point_cannot_cancel(point):
    visit = make_visit(point)
    with pytest.raises(VisitError):
        cancel_visit(visit=visit, actor=make_user("host", points=[make_point()]),
                     reason="Vergissing")


@pytest.mark.parametrize("before", [VisitStatus.WAITING, VisitStatus.WITH_HOST])
def test_left_without_help_is_undone_back_to_where_the_visit_was(point, host, before):
    visit = make_visit(point, status=before, host=host if before != "waiting" else None)
    mark_visit_left(visit=visit, actor=host)
    visit = undo_left(visit=visit, actor=host)
    visit.refresh_from_db()
    assert visit.status == before and visit.finished_at is None
    assert [(e.from_status, e.to_status) for e in visit.events.order_by("at", "pk")][-2:] == [
        (before, VisitStatus.LEFT), (VisitStatus.LEFT, before)]


def test_left_without_help_of_another_day_stays(point, host):
    visit = make_visit(point, status=VisitStatus.LEFT,
                       arrived_at=timezone.now() - timedelta(days=1))
    with pytest.raises(VisitError):
        undo_left(visit=visit, actor=host)


def test_only_a_left_visit_is_undone(point, host):
    with pytest.raises(VisitError):
        undo_left(visit=make_visit(point), actor=host)


def test_the_counter_offers_the_undo_on_a_left_visit(client, point, host):
    client.force_login(host)
    visit = make_visit(point)
    mark_visit_left(visit=visit, actor=host)
    content = client.get(reverse("counter:counter")).content.decode()
    assert f'id="undo-left-{visit.pk}"' in content
    response = client.post(reverse("counter:visit-undo-left", args=[visit.pk]), **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING


def test_the_correct_page_cancels_with_a_reason(client, point, host):
    client.force_login(host)
    visit = make_visit(point)
    assert "Dit bezoek annuleren" in client.get(
        reverse("counter:visit-correct", args=[visit.pk])).content.decode()
    response = client.post(reverse("counter:visit-cancel", args=[visit.pk]),
                           {"reason": "Per vergissing"})
    assert response.status_code == 302
    assert not Visit.objects.exists()


def test_a_cancel_without_reason_is_refused_next_to_the_field(client, point, host):
    client.force_login(host)
    visit = make_visit(point)
    response = client.post(reverse("counter:visit-cancel", args=[visit.pk]), {"reason": ""})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_correction_after_a_cancel_says_who_cancelled_and_keeps_the_typed_note(
        client, point, host):
    visit = make_visit(point)
    cancel_visit(visit=visit, actor=host, reason="Twee keer geregistreerd")
    client.force_login(host)
    response = client.post(reverse("counter:visit-correct", args=[visit.pk]),
                           {"note": "Bankapp opnieuw geïnstalleerd"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Dit bezoek werd intussen geannuleerd door Hanne Host" in page
    assert "Twee keer geregistreerd" in page
    assert "Bankapp opnieuw geïnstalleerd" in page


def test_a_host_of_another_point_gets_no_word_of_a_cancelled_visit(client, point, host):
    visit = make_visit(point)
    cancel_visit(visit=visit, actor=host, reason="Twee keer geregistreerd")
    client.force_login(make_user("host", points=[make_point("Elders")]))
    response = client.post(reverse("counter:visit-correct", args=[visit.pk]), {"note": "x"})
    assert response.status_code == 404


def test_to_the_coach_is_taken_back_while_no_coach_took_it(point, host):
    from points.services import hand_over_to_coach, take_back_from_coach

    visit = hand_over_to_coach(visit=make_visit(point), actor=host)
    served_at = visit.served_at
    take_back_from_coach(visit=visit, actor=host)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_HOST and visit.host == host
    assert visit.served_at == served_at and visit.handed_over_at is None
    assert list(visit.events.values_list("to_status", flat=True).order_by("pk"))[-2:] == [
        VisitStatus.WAITING_FOR_COACH, VisitStatus.WITH_HOST]


def test_a_visit_a_coach_took_is_not_taken_back(point, host):
    from points.services import hand_over_to_coach, take_back_from_coach, take_over_visit

    visit = hand_over_to_coach(visit=make_visit(point), actor=host)
    take_over_visit(visit=visit, actor=make_user("coach", points=[point]))
    with pytest.raises(VisitError):
        take_back_from_coach(visit=visit, actor=host)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_COACH


def test_a_host_of_another_point_cannot_take_back_from_the_coach(client, point, host):
    from points.services import hand_over_to_coach

    visit = hand_over_to_coach(visit=make_visit(point), actor=host)
    client.force_login(make_user("host", points=[make_point("Elders")]))
    response = client.post(reverse("counter:visit-take-back", args=[visit.pk]))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING_FOR_COACH


def test_the_counter_offers_take_back_and_correct_on_a_visit_waiting_for_the_coach(
        client, point, host):
    from points.services import hand_over_to_coach

    visit = hand_over_to_coach(visit=make_visit(point), actor=host)
    client.force_login(host)
    page = client.get(reverse("counter:counter")).content.decode()
    assert reverse("counter:visit-take-back", args=[visit.pk]) in page
    assert f'href="{reverse("counter:visit-correct", args=[visit.pk])}"' in page
    response = client.post(reverse("counter:visit-take-back", args=[visit.pk]), **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITH_HOST
