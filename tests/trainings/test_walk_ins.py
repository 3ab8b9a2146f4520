"""Walk-ins: someone who is there is added as present, during a session
and until two hours after it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.models import Resident
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_enrolment, make_run, make_session
from trainings.models import EnrolmentChannel, EnrolmentStatus, SessionStatus
from trainings.services import SessionFull, TrainingError, add_walk_in

pytestmark = pytest.mark.django_db


def _running(**fields):
    return make_session(starts_at=timezone.now() - timedelta(minutes=20), **fields)


def test_walk_in_is_recorded_as_present_and_as_a_walk_in():
    session = _running()
    enrolment = add_walk_in(actor=None, session=session, resident=make_resident())
    assert enrolment.status == EnrolmentStatus.ATTENDED
    assert enrolment.channel == EnrolmentChannel.WALK_IN
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_walk_in_over_the_places_is_refused_unless_the_coach_says_so():
    session = _running(capacity=1)
    make_enrolment(session, make_resident())
    resident = make_resident()
    with pytest.raises(SessionFull):
        add_walk_in(actor=None, session=session, resident=resident)
    enrolment = add_walk_in(actor=None, session=session, resident=resident, over_capacity=True)
    assert enrolment.status == EnrolmentStatus.ATTENDED
    assert session.enrolments.seated().count() == 2
    assert enrolment.events.first().note == "Binnenloper, boven het aantal plaatsen"


def test_someone_enrolled_who_comes_is_simply_marked_present_without_a_seat_more():
    session = _running(capacity=1)
    enrolment = make_enrolment(session, make_resident())
    add_walk_in(actor=None, session=session, resident=enrolment.resident)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ATTENDED
    assert enrolment.channel == EnrolmentChannel.COUNTER


def test_someone_on_the_waiting_list_who_comes_takes_a_free_seat_as_a_walk_in():
    session = _running(capacity=2)
    waiting = make_enrolment(session, make_resident(), status=EnrolmentStatus.WAITING)
    add_walk_in(actor=None, session=session, resident=waiting.resident)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ATTENDED
    assert waiting.channel == EnrolmentChannel.WALK_IN


def test_walk_ins_close_two_hours_after_the_end():
    session = make_session(starts_at=timezone.now() - timedelta(hours=4, minutes=5))
    with pytest.raises(TrainingError):
        add_walk_in(actor=None, session=session, resident=make_resident())
    later = make_session(starts_at=timezone.now() - timedelta(hours=3, minutes=55))
    assert add_walk_in(actor=None, session=later, resident=make_resident()).status == "attended"


def test_walk_ins_do_not_open_before_the_start():
    session = make_session(starts_at=timezone.now() + timedelta(minutes=5))
    with pytest.raises(TrainingError):
        add_walk_in(actor=None, session=session, resident=make_resident())


def test_a_walk_in_in_a_session_of_a_series_takes_that_date_only():
    run = make_run(weeks=3, starts_at=timezone.now() - timedelta(minutes=5))
    first = run.sessions.order_by("starts_at").first()
    enrolment = add_walk_in(actor=None, session=first, resident=make_resident())
    assert enrolment.run_enrolment is None and not run.enrolments.exists()


def test_a_new_person_is_created_and_added_in_one_step():
    session = _running()
    enrolment = add_walk_in(actor=None, session=session, new_resident={
        "first_name": "Mira", "last_name": "Janssens", "phone": "0470 11 22 33"})
    assert enrolment.resident.phone == "0470112233"


def test_a_new_person_with_a_known_name_and_phone_is_the_known_resident():
    known = make_resident("Mira", "Janssens", phone="0470112233")
    enrolment = add_walk_in(actor=None, session=_running(), new_resident={
        "first_name": "mira", "last_name": "Janssens", "phone": "0470 11 22 33"})
    assert enrolment.resident == known and Resident.objects.count() == 1


def test_a_refused_new_walk_in_leaves_no_resident_behind():
    session = _running(capacity=1)
    make_enrolment(session, make_resident())
    before = Resident.objects.count()
    with pytest.raises(SessionFull):
        add_walk_in(actor=None, session=session, new_resident={
            "first_name": "Mira", "last_name": "Janssens", "phone": ""})
    assert Resident.objects.count() == before


# --- the session page ------------------------------------------------------


def test_coach_finds_and_adds_a_walk_in_in_two_actions(client):
    coach = make_user("coach")
    session = _running(trainer=coach)
    resident = make_resident("Olena", "Kovalenko")
    client.force_login(coach)
    url = reverse("trainings:session-detail", args=[session.pk])
    found = client.get(url, {"binnenloper": "Kovalenko"}, HTTP_HX_REQUEST="true")
    assert "<html" not in found.content.decode()
    assert found.context["walk_in_found"] == [resident]
    response = client.post(reverse("trainings:walk-in", args=[session.pk]),
                           {"resident": resident.pk})
    assert response.status_code == 302
    assert session.enrolments.get().status == EnrolmentStatus.ATTENDED


def test_full_session_asks_the_coach_before_adding_over_the_places(client):
    coach = make_user("coach")
    session = _running(trainer=coach, capacity=1)
    make_enrolment(session, make_resident())
    resident = make_resident("Olena", "Kovalenko")
    client.force_login(coach)
    url = reverse("trainings:walk-in", args=[session.pk])
    refused = client.post(url, {"resident": resident.pk})
    assert refused.status_code == 400
    assert "Olena Kovalenko toevoegen als aanwezig" in refused.content.decode()
    assert not session.enrolments.filter(resident=resident).exists()
    client.post(url, {"resident": resident.pk, "over_capacity": "on"})
    assert session.enrolments.get(resident=resident).status == EnrolmentStatus.ATTENDED


def test_walk_in_search_names_someone_already_present_instead_of_nobody_found(client):
    coach = make_user("coach")
    session = _running(trainer=coach)
    add_walk_in(actor=None, session=session, resident=make_resident("Anna", "Wouters"))
    client.force_login(coach)
    response = client.get(reverse("trainings:session-detail", args=[session.pk]),
                          {"binnenloper": "Anna"})
    content = response.content.decode()
    assert "Anna Wouters is al aanwezig." in content
    assert "Niemand gevonden" not in content
    assert response.context["walk_in_found"] == []


def test_a_found_person_is_added_to_a_full_session_in_one_step_with_the_checkbox(client):
    coach = make_user("coach")
    session = _running(trainer=coach, capacity=1)
    make_enrolment(session, make_resident())
    resident = make_resident("Olena", "Kovalenko")
    client.force_login(coach)
    found = client.get(reverse("trainings:session-detail", args=[session.pk]),
                       {"binnenloper": "Kovalenko"})
    assert f'id="id_walk_in_over_{resident.pk}"' in found.content.decode()
    client.post(reverse("trainings:walk-in", args=[session.pk]),
                {"resident": resident.pk, "over_capacity": "on"})
    assert session.enrolments.get(resident=resident).status == EnrolmentStatus.ATTENDED


def test_the_full_session_error_shows_the_override_checkbox_once(client):
    coach = make_user("coach")
    session = _running(trainer=coach, capacity=1)
    make_enrolment(session, make_resident())
    resident = make_resident("Olena", "Kovalenko")
    client.force_login(coach)
    refused = client.post(reverse("trainings:walk-in", args=[session.pk]),
                          {"resident": resident.pk})
    assert refused.content.decode().count('name="over_capacity"') == 1


def test_new_walk_in_without_a_name_gets_a_message_next_to_the_field(client):
    coach = make_user("coach")
    session = _running(trainer=coach)
    client.force_login(coach)
    response = client.post(reverse("trainings:walk-in", args=[session.pk]),
                           {"first_name": "Mira"})
    assert response.status_code == 400
    assert response.context["walk_in_form"].errors["last_name"]


def test_session_page_offers_walk_ins_only_in_the_window_and_to_who_takes_attendance(client):
    point = make_point()
    running = _running(point=point)
    tomorrow = make_session(point=point)
    client.force_login(make_user("coach", points=[point]))
    assert client.get(reverse("trainings:session-detail", args=[running.pk])).context[
        "walk_ins_open"]
    assert not client.get(reverse("trainings:session-detail", args=[tomorrow.pk])).context[
        "walk_ins_open"]
    client.force_login(make_user("host", points=[point]))
    assert not client.get(reverse("trainings:session-detail", args=[running.pk])).context[
        "walk_ins_open"]


def test_a_started_session_says_why_nobody_can_enrol_any_more(client):
    session = _running()
    client.force_login(make_user("host"))
    content = client.get(reverse("trainings:session-detail", args=[session.pk])
                         ).content.decode()
    assert "Deze sessie is begonnen" in content
    assert "?sessie=" not in content
