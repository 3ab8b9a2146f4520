"""A real Celery worker (not eager mode) consumes from Redis and runs a task."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from digibank.celery import app as celery_app
from digibank.models import Heartbeat
from digibank.tasks import heartbeat


@pytest.mark.redis
def test_worker_runs_the_heartbeat_task_from_redis(transactional_db, redis_url):
    # A queue of its own, so no other worker on this Redis can take the task.
    queue = f"test-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_url
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False,
                          shutdown_timeout=10, queues=[queue]):
            heartbeat.apply_async(queue=queue)
            deadline = time.monotonic() + 60
            while not Heartbeat.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        celery_app.conf.broker_url = previous
    assert Heartbeat.objects.filter(name="celery").exists()
