"""A resident is on the interest list of a topic once, as of a training:
the service refuses a second open entry and the database does too."""

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from points.models import QuestionTopic
from tests.concurrency import race
from tests.factories import make_point, make_resident, make_user
from trainings.models import InterestEntry
from trainings.services import TrainingError, register_interest


def _topic(name: str = "itsme") -> QuestionTopic:
    return QuestionTopic.objects.create(name=name, slug=name.lower())


@pytest.mark.django_db
def test_a_topic_interest_twice_is_refused_like_a_training():
    resident, topic = make_resident("Anna", "Wouters"), _topic()
    register_interest(actor=None, resident=resident, topic=topic)
    with pytest.raises(TrainingError, match="Anna Wouters staat al op de interesselijst"):
        register_interest(actor=None, resident=resident, topic=topic)
    assert InterestEntry.objects.filter(resident=resident).count() == 1


@pytest.mark.django_db
def test_a_topic_interest_can_be_added_again_after_the_first_was_closed():
    resident, topic = make_resident(), _topic()
    first = register_interest(actor=None, resident=resident, topic=topic)
    InterestEntry.objects.filter(pk=first.pk).update(closed_at=timezone.now())
    register_interest(actor=None, resident=resident, topic=topic)
    assert InterestEntry.objects.open().filter(resident=resident).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_interest_in_a_topic():
    resident, topic = make_resident(), _topic()
    InterestEntry.objects.create(resident=resident, topic=topic)
    with pytest.raises(IntegrityError):
        InterestEntry.objects.create(resident=resident, topic=topic)


@pytest.mark.django_db
def test_the_counter_says_the_resident_is_already_on_the_topics_interest_list(client):
    point = make_point()
    client.force_login(make_user("host", points=[point]))
    resident, topic = make_resident("Anna", "Wouters"), _topic()
    url = reverse("counter:quick-enrol") + f"?inwoner={resident.pk}"
    client.post(url, {"action": "interest", "topic": topic.pk})
    response = client.post(url, {"action": "interest", "topic": topic.pk}, follow=True)
    assert "Anna Wouters staat al op de interesselijst voor dit onderwerp" in (
        response.content.decode())
    assert InterestEntry.objects.filter(resident=resident).count() == 1


def test_twenty_parallel_topic_interests_for_one_resident_keep_one(postgres):
    resident, topic = make_resident(), _topic()
    results = race([lambda: register_interest(actor=None, resident=resident, topic=topic)
                    for _ in range(20)], (TrainingError,))
    assert results.tally == (1, 19, [])
    assert InterestEntry.objects.filter(resident=resident, topic=topic).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_open_duplicate_topic_interests_into_the_first():
    executor = MigrationExecutor(connection)
    executor.migrate([("trainings", "0007_guidance_meeting_edits")])
    apps = executor.loader.project_state([("trainings", "0007_guidance_meeting_edits")]).apps
    Entry = apps.get_model("trainings", "InterestEntry")
    resident, topic, point = make_resident(), _topic(), make_point()
    first = Entry.objects.create(resident_id=resident.pk, topic_id=topic.pk,
                                 created_at=timezone.now() - timezone.timedelta(days=3))
    Entry.objects.create(resident_id=resident.pk, topic_id=topic.pk, point_id=point.pk)
    Entry.objects.create(resident_id=resident.pk, topic_id=topic.pk)
    closed = Entry.objects.create(resident_id=resident.pk, topic_id=topic.pk,
                                  closed_at=timezone.now())
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    left = InterestEntry.objects.filter(resident=resident).order_by("pk")
    assert [entry.pk for entry in left] == [first.pk, closed.pk]
    assert left[0].point == point
