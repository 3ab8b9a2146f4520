"""A real Celery worker, killed with SIGKILL in the middle of a batch of
e-mails: every message still arrives exactly once (PostgreSQL and Redis)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from digibank.celery import app as celery_app
from digibank.models import Notification
from digibank.services import notify_resident
from tests import mailbox
from tests.brokers import broker_at
from tests.factories import make_resident

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _database_url() -> str:
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def _start_worker(queue: str, redis_url: str, box: Path, delay: float) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": redis_url,
           "REDIS_URL": redis_url, "EMAIL_BACKEND": "tests.mailbox.EmailBackend",
           "TEST_MAILBOX": str(box), "TEST_MAILBOX_DELAY": str(delay)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "digibank", "worker", "-Q", queue,
         "--pool", "prefork", "--concurrency", "1", "--without-mingle", "--without-gossip",
         "--loglevel", "warning"],
        cwd=settings.BASE_DIR, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(condition, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_mid_batch_leaves_every_message_delivered_exactly_once(
        postgres, redis_url, tmp_path):
    queue = f"test-outbox-{uuid.uuid4().hex}"
    box = tmp_path / "mailbox.jsonl"
    addresses = [f"person{number}@example.org" for number in range(8)]
    with broker_at(redis_url, task_routes={"digibank.tasks.*": {"queue": queue}}):
        # Eight reminders, each committed with its e-mail queued for a worker.
        for address in addresses:
            resident = make_resident(email=address)
            notify_resident(resident=resident, kind="reminder", source=resident,
                            subject="Herinnering", message="Morgen om 10 uur.")
        worker = _start_worker(queue, redis_url, box, delay=0.5)
        try:
            assert _wait_for(lambda: len(mailbox.read(box)) >= 3), "the worker sent nothing"
            time.sleep(0.2)  # in the middle of the fourth message
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        assert len(mailbox.read(box)) < len(addresses)
        # A new worker, and the beat's sweep.
        worker = _start_worker(queue, redis_url, box, delay=0)
        try:
            celery_app.send_task("digibank.tasks.sweep_outbox", queue=queue)
            _wait_for(lambda: len(mailbox.read(box)) >= len(addresses)
                      and not Notification.objects.filter(sent_at__isnull=True).exists())
            time.sleep(1)  # a message sent twice would show by now
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    delivered = sorted(message["to"][0] for message in mailbox.read(box))
    assert delivered == sorted(addresses)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
