from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.celery import app as celery_app
from digibank.models import Heartbeat
from digibank.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable_broker():
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "memory://"
    yield
    celery_app.conf.broker_url = previous


def test_health_is_ok_with_database_broker_and_a_recent_heartbeat(client, reachable_broker):
    heartbeat.delay()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "broker": True, "heartbeat": True}


def test_health_fails_without_any_heartbeat(client, reachable_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["heartbeat"] == {"ok": False, "last": None}


def test_health_fails_when_the_heartbeat_is_stale(client, reachable_broker, settings):
    Heartbeat.objects.create(
        name="celery",
        beat_at=timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS + 1),
    )
    assert client.get(reverse("healthz")).status_code == 503


def test_health_fails_when_the_broker_is_unreachable(client):
    heartbeat.delay()
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_health_needs_no_login(client, reachable_broker):
    heartbeat.delay()
    assert client.get(reverse("healthz")).status_code == 200
