"""The counter's "New resident": the rules of the full resident form, the
duplicate warning with the search's matching, one visit per form sent."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from digibank.models import Resident
from points.models import Visit
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    return make_user("host", points=[make_point("Balie")])


def _post(client, **data):
    data.setdefault("next_step", "queue")
    data.setdefault("submit_key", str(uuid.uuid4()))
    return client.post(reverse("counter:counter"), data)


@pytest.mark.parametrize(("phone", "message"), [
    ("abc", "Geef een volledig telefoonnummer"),
    ("0470", "Geef een volledig telefoonnummer"),
    ("0470 12 34 5", "Geef een volledig telefoonnummer"),
])
def test_a_phone_the_resident_form_refuses_is_refused_next_to_the_field(
        client, host, phone, message):
    client.force_login(host)
    response = _post(client, first_name="Rita", last_name="Claes", phone=phone)
    assert response.status_code == 200
    assert message in response.context["form"].errors["phone"][0]
    assert 'id="id_phone_error"' in response.content.decode()
    assert not Resident.objects.exists() and not Visit.objects.exists()


def test_a_phone_in_international_notation_is_stored_like_the_resident_form_does(client, host):
    client.force_login(host)
    assert _post(client, first_name="Rita", last_name="Claes",
                 phone="+32 470 11 22 33").status_code == 302
    assert Resident.objects.get().phone == "0470112233"


def test_a_new_resident_spelled_like_a_known_one_is_offered_to_choose(client, host):
    josee = make_resident("Josée", "Peeters", phone="0474556677")
    client.force_login(host)
    response = _post(client, first_name="Josee", last_name="Peeters")
    assert "last_name" in response.context["form"].errors
    assert response.context["residents"] == [josee]
    content = response.content.decode()
    assert f'name="resident" value="{josee.pk}"' in content
    assert 'name="someone_else"' in content
    assert Resident.objects.count() == 1 and not Visit.objects.exists()


def test_someone_else_ticked_adds_the_new_resident(client, host):
    make_resident("Josée", "Peeters", phone="0474556677")
    client.force_login(host)
    response = _post(client, first_name="Josee", last_name="Peeters", someone_else="on")
    assert response.status_code == 302
    assert Resident.objects.count() == 2
    assert Visit.objects.get().resident.first_name == "Josee"


def test_the_same_counter_form_sent_twice_registers_one_visit(client, host):
    client.force_login(host)
    topic = make_topic()
    data = {"first_name": "Rita", "last_name": "Claes", "phone": "0470112233",
            "topics": [topic.pk], "submit_key": str(uuid.uuid4())}
    assert _post(client, **data).status_code == 302
    assert _post(client, **data).status_code == 302
    assert Visit.objects.count() == 1 and Resident.objects.count() == 1


def test_each_counter_form_gets_its_own_key(client, host):
    client.force_login(host)
    first = client.get(reverse("counter:counter")).context["form"]["submit_key"].value()
    second = client.get(reverse("counter:counter")).context["form"]["submit_key"].value()
    assert first and second and first != second


def test_an_empty_finish_now_is_refused_with_a_message_at_the_topics(client, host):
    client.force_login(host)
    response = _post(client, next_step="solved", outcome="solved")
    assert response.status_code == 200
    assert response.context["form"].errors["topics"] == [
        "Vink aan waarover de vraag ging (of kies de bezoeker) voor je het bezoek afrondt."]
    assert 'id="id_topics_error"' in response.content.decode()
    assert not Visit.objects.exists()


def test_finish_now_with_only_a_topic_is_a_visit(client, host):
    client.force_login(host)
    assert _post(client, next_step="solved", topics=[make_topic().pk]).status_code == 302
    assert Visit.objects.count() == 1


def test_finish_now_for_a_chosen_visitor_without_a_topic_is_a_visit(client, host):
    client.force_login(host)
    resident = make_resident("Rita", "Claes")
    assert _post(client, next_step="solved", resident=resident.pk).status_code == 302
    assert Visit.objects.get().resident == resident


def test_an_empty_visit_may_still_wait_in_the_queue(client, host):
    client.force_login(host)
    assert _post(client, next_step="queue").status_code == 302
    assert Visit.objects.count() == 1


def test_a_known_phone_is_warned_about_under_the_phone_naming_the_person(client, host):
    make_resident("Maria", "Peeters", phone="0470123456")
    client.force_login(host)
    response = _post(client, first_name="Rita", last_name="Claes", phone="0470 12 34 56")
    errors = response.context["form"].errors
    assert "zelfde telefoonnummer als Maria Peeters" in errors["phone"][0]
    assert "last_name" not in errors
    assert 'id="id_phone_error"' in response.content.decode()
    assert Resident.objects.count() == 1 and not Visit.objects.exists()


def test_a_known_name_is_warned_about_under_the_last_name_naming_the_person(client, host):
    make_resident("Josée", "Peeters", phone="0474556677")
    client.force_login(host)
    response = _post(client, first_name="Josee", last_name="Peeters")
    errors = response.context["form"].errors
    assert "zelfde naam als Josée Peeters" in errors["last_name"][0]
    assert "phone" not in errors


def test_someone_else_ticked_with_the_same_name_and_phone_adds_a_new_resident(client, host):
    maria = make_resident("Maria", "Peeters", phone="0470123456")
    client.force_login(host)
    response = _post(client, first_name="Maria", last_name="Peeters", phone="0470123456",
                     someone_else="on")
    assert response.status_code == 302
    assert Resident.objects.count() == 2
    assert Visit.objects.get().resident != maria


def test_the_one_door_makes_a_new_resident_when_told_it_is_someone_else():
    from digibank.services import find_or_create_resident

    maria = make_resident("Maria", "Peeters", phone="0470123456")
    same, created = find_or_create_resident(actor=None, first_name="Maria", last_name="Peeters",
                                            phone="0470123456")
    assert same == maria and not created
    other, created = find_or_create_resident(actor=None, first_name="Maria",
                                             last_name="Peeters", phone="0470123456",
                                             someone_else=True)
    assert created and other != maria


@pytest.mark.parametrize("key", [None, "", "   ", "not-a-key", "1234", "' OR 1=1 --"])
def test_a_counter_post_without_a_well_formed_key_is_refused(client, host, key):
    client.force_login(host)
    data = {"first_name": "Rita", "last_name": "Claes", "phone": "0470 11 22 33",
            "next_step": "queue"}
    if key is not None:
        data["submit_key"] = key
    response = client.post(reverse("counter:counter"), data)
    assert response.status_code == 400
    assert not Visit.objects.exists() and not Resident.objects.exists()


def test_the_same_known_person_registered_again_within_a_minute_is_one_visit(client, host):
    client.force_login(host)
    rita, topic = make_resident("Rita", "Claes"), make_topic()
    for _ in range(2):
        _post(client, resident=rita.pk, topics=[topic.pk])
    assert Visit.objects.count() == 1


def test_the_same_person_with_another_question_is_a_second_visit(client, host):
    client.force_login(host)
    rita = make_resident("Rita", "Claes")
    _post(client, resident=rita.pk, topics=[make_topic().pk])
    _post(client, resident=rita.pk, topics=[make_topic().pk])
    assert Visit.objects.count() == 2


def test_the_same_person_coming_back_later_is_a_second_visit(client, host):
    client.force_login(host)
    rita, topic = make_resident("Rita", "Claes"), make_topic()
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        _post(client, resident=rita.pk, topics=[topic.pk])
    _post(client, resident=rita.pk, topics=[topic.pk])
    assert Visit.objects.count() == 2
