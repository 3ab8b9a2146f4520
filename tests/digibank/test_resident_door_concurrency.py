"""One person, one record: identical submits at the same moment make one
resident, one visit, one enrolment (PostgreSQL, 20 parallel requests)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from digibank.models import Resident
from digibank.roles import sync_role_permissions
from digibank.services import find_or_create_resident
from points.models import Visit
from tests.concurrency import race, run_in_parallel
from tests.factories import make_point, make_user
from tests.points.factories import make_topic
from tests.trainings.factories import make_session
from trainings.models import Enrolment

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _roles(postgres):
    # transactional tests flush the role groups the migration made.
    sync_role_permissions()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_twenty_parallel_calls_of_the_door_make_one_person(postgres):
    results = run_in_parallel(20, lambda: find_or_create_resident(
        actor=None, first_name="Josée", last_name="Peeters", phone="0474 55 66 77"))
    assert results.crashes == []
    assert sum(created for _resident, created in results.ok) == 1
    assert Resident.objects.count() == 1


def test_the_same_person_typed_differently_at_once_is_one_person(postgres):
    spellings = [("Josée", "Peeters", "0474 55 66 77"), ("josee", "PEETERS", "+32474556677"),
                 ("Peeters", "Josée", "0032 474 55 66 77"), ("JOSÉE", "peeters", "474556677")]
    results = race([lambda first=first, last=last, phone=phone: find_or_create_resident(
        actor=None, first_name=first, last_name=last, phone=phone)
        for first, last, phone in spellings * 5])
    assert results.crashes == []
    assert Resident.objects.count() == 1


def test_twenty_identical_counter_posts_make_one_resident_and_one_visit(postgres):
    point = make_point()
    host = make_user("host", points=[point])
    key = str(uuid.uuid4())
    data = {"first_name": "Rita", "last_name": "Claes", "phone": "0470 11 22 33",
            "next_step": "queue", "submit_key": key}
    results = run_in_parallel(20, lambda: _client(host).post(reverse("counter:counter"),
                                                             data).status_code)
    assert results.crashes == []
    assert set(results.ok) == {302}
    assert Resident.objects.count() == 1
    assert Visit.objects.count() == 1


def test_two_counter_forms_for_the_same_person_make_one_visit_of_one_resident(postgres):
    point = make_point()
    host = make_user("host", points=[point])
    posts = [{"first_name": "Rita", "last_name": "Claes", "phone": "0470112233",
              "next_step": "queue", "submit_key": str(uuid.uuid4())} for _ in range(2)]
    results = race([lambda data=data: _client(host).post(reverse("counter:counter"),
                                                         data).status_code
                    for data in posts * 10])
    assert results.crashes == []
    assert Resident.objects.count() == 1
    assert Visit.objects.count() == 1


def test_twenty_separately_loaded_counter_forms_for_one_new_person_make_one_visit(postgres):
    point = make_point()
    host = make_user("host", points=[point])
    topic = make_topic()
    posts = [{"first_name": "Rita", "last_name": "Claes", "phone": "0470 11 22 33",
              "topics": [topic.pk], "next_step": "queue", "submit_key": str(uuid.uuid4())}
             for _ in range(20)]
    results = race([lambda data=data: _client(host).post(reverse("counter:counter"),
                                                         data).status_code
                    for data in posts])
    assert results.crashes == []
    assert set(results.ok) == {302}
    assert Resident.objects.count() == 1
    assert Visit.objects.count() == 1


def test_twenty_parallel_counter_posts_without_a_key_make_no_visit(postgres):
    point = make_point()
    host = make_user("host", points=[point])
    data = {"first_name": "Rita", "last_name": "Claes", "phone": "0470 11 22 33",
            "next_step": "queue"}
    results = run_in_parallel(20, lambda: _client(host).post(reverse("counter:counter"),
                                                             data).status_code)
    assert results.crashes == []
    assert set(results.ok) == {400}
    assert Visit.objects.count() == 0


def test_twenty_identical_posts_of_the_residents_page_make_one_resident(postgres):
    host = make_user("host")
    data = {"first_name": "Ahmed", "last_name": "Benali", "phone": "0486 11 22 33",
            "language": "nl"}
    results = run_in_parallel(20, lambda: _client(host).post(reverse("residents:create"),
                                                             data).status_code)
    assert results.crashes == []
    # Who came after the first was saved sees the "maybe already known" warning.
    assert 302 in results.ok and set(results.ok) <= {200, 302}
    assert Resident.objects.count() == 1


def test_the_same_person_enrolling_five_times_at_once_is_one_resident_and_one_enrolment(
        postgres):
    session = make_session(capacity=10)
    data = {"first_name": "Josée", "last_name": "Claes", "phone": "0470 12 34 56",
            "consent": "on"}
    results = run_in_parallel(5, lambda: Client().post(
        reverse("trainings:public-enrol", args=[session.pk]), data).status_code)
    assert results.crashes == []
    assert Resident.objects.count() == 1
    assert Enrolment.objects.count() == 1
    assert session.enrolments.seated().count() == 1
