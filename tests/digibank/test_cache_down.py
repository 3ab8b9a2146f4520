"""Public feeds and pages work without the cache: when the cache backend
fails (Redis down), they build their answer instead of failing."""

import json

import pytest
from django.urls import reverse

from outreach.services import update_offer
from tests.brokers import closed_port
from tests.factories import make_point, make_user
from tests.outreach.factories import make_offer
from tests.trainings.factories import make_session
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


def test_the_offer_feed_is_built_without_the_cache(client, cache_down):
    make_offer("Gratis wifi-hulp")
    response = client.get(reverse("outreach:offer-open-data"))
    assert response.status_code == 200
    assert [offer["title"] for offer in json.loads(response.content)["offers"]] == [
        "Gratis wifi-hulp"]
    # No version is known, so no ETag that could later be answered wrongly.
    assert "ETag" not in response


def test_the_training_calendars_are_built_without_the_cache(client, cache_down):
    point = make_point()
    make_session(point=point)
    for url in (reverse("trainings:ical"), reverse("trainings:point-ical", args=[point.slug])):
        response = client.get(url)
        assert response.status_code == 200
        assert b"BEGIN:VEVENT" in response.content


def test_the_public_enrolment_works_without_the_cache(client, cache_down):
    session = make_session()
    response = client.post(reverse("trainings:public-enrol", args=[session.pk]), {
        "first_name": "Anna", "last_name": "Peeters", "phone": "0470 12 34 56",
        "consent": "on"})
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=session).count() == 1


def test_changing_an_offer_works_without_the_cache(cache_down, django_capture_on_commit_callbacks):
    offer = make_offer("Oud")
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(actor=make_user("coordinator"), offer=offer,
                     data={"title": "Nieuw"})
    offer.refresh_from_db()
    assert offer.title == "Nieuw"
