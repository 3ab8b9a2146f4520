"""The outbox: every e-mail is a row written with the change that causes
it, sent after commit or by the sweep, exactly once, whatever fails."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from digibank import outbox
from digibank.models import Notification, NotificationChannel, OutboxEmail
from digibank.roles import sync_role_permissions
from digibank.services import notify_resident
from digibank.tasks import sweep_outbox
from tests.brokers import broker_down
from tests.concurrency import run_in_parallel
from tests.factories import make_resident, make_user
from tests.trainings.factories import make_enrolment, make_session
from trainings.models import EnrolmentStatus, SessionStatus

pytestmark = pytest.mark.django_db


def _notify(resident, subject="Herinnering"):
    return notify_resident(resident=resident, kind="reminder", source=resident,
                           subject=subject, message="Morgen om 10 uur.")


class RefusingBackend(LocmemBackend):
    """A mail server that refuses every message with a temporary error."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"try again later")


class UnreachableBackend(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError("no mail server")


@pytest.mark.django_db(transaction=True)
def test_a_session_cancelled_while_the_broker_is_down_is_saved_and_told_later(client):
    sync_role_permissions()
    coach = make_user("coach")
    session = make_session(trainer=coach, capacity=2)
    for name in ("An", "Bert"):
        make_enrolment(session, make_resident(name, email=f"{name.lower()}@example.org"))
    make_enrolment(session, make_resident("Chris", phone="0470123456"),
                   status=EnrolmentStatus.WAITING)
    client.force_login(coach)
    with broker_down():
        response = client.post(reverse("trainings:session-cancel", args=[session.pk]),
                               {"reason": "De lesgever is ziek"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert mail.outbox == []
    # The broker is back: the next sweep tells everyone, once.
    sweep_outbox.delay()
    sweep_outbox.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.org", "bert@example.org"]
    assert not Notification.objects.filter(channel=NotificationChannel.EMAIL,
                                           sent_at__isnull=True).exists()


def test_an_e_mail_is_sent_after_commit_and_marked_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(make_resident(email="maria@example.org"))
    notification.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_nothing_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    resident = make_resident(email="maria@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        _notify(resident)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    outbox.sweep()
    assert mail.outbox == []


def test_a_message_the_mail_server_refuses_is_retried_later(settings):
    _notify(make_resident(email="maria@example.org"))
    settings.EMAIL_BACKEND = "tests.digibank.test_outbox.RefusingBackend"
    assert outbox.sweep() == 0
    notification = Notification.objects.get()
    assert (notification.sent_at, notification.attempts) == (None, 1)
    assert notification.last_error == "SMTPDataError 451"
    assert notification.next_attempt_at > timezone.now() + timedelta(seconds=50)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.sweep() == 0  # not before its time
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.sweep() == 1
        assert outbox.sweep() == 0
    assert len(mail.outbox) == 1


def test_retries_wait_longer_each_time_up_to_six_hours():
    delays = [outbox.retry_delay(n) for n in (1, 2, 3, 20)]
    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
                      timedelta(hours=6)]


def test_a_message_refused_again_and_again_is_given_up(settings):
    _notify(make_resident(email="maria@example.org"))
    settings.EMAIL_BACKEND = "tests.digibank.test_outbox.RefusingBackend"
    moment = timezone.now()
    for _attempt in range(outbox.MAX_ATTEMPTS):
        with time_machine.travel(moment):
            outbox.sweep()
        moment += timedelta(hours=7)
    notification = Notification.objects.get()
    assert notification.failed_at is not None
    assert notification.attempts == outbox.MAX_ATTEMPTS
    with time_machine.travel(moment + timedelta(days=1)):
        assert not Notification.objects.due().exists()


def test_an_unreachable_mail_server_costs_no_attempt(settings):
    _notify(make_resident(email="maria@example.org"))
    settings.EMAIL_BACKEND = "tests.digibank.test_outbox.UnreachableBackend"
    assert outbox.sweep() == 0
    assert Notification.objects.get().attempts == 0


def test_a_call_list_message_is_not_in_the_outbox():
    notification = _notify(make_resident(phone="0470123456"))
    assert notification.channel == NotificationChannel.CALL
    assert outbox.sweep() == 0
    assert not Notification.objects.due().exists()


def test_queue_email_sends_once_per_topic_and_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_email(topic="t:1", to=["a@example.org", "b@example.org"],
                           subject="S", body="B")
        outbox.queue_email(topic="t:1", to=["a@example.org", "c@example.org"],
                           subject="S2", body="B2")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org",
                                                    "c@example.org"]
    assert OutboxEmail.objects.filter(sent_at__isnull=False).count() == 3


def test_every_message_has_the_same_message_id_on_every_attempt(settings):
    notification = _notify(make_resident(email="maria@example.org"))
    first = notification.email().extra_headers["Message-ID"]
    notification.refresh_from_db()
    assert notification.email().extra_headers["Message-ID"] == first


def test_the_sweep_runs_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]
    assert schedule["task"] == "digibank.tasks.sweep_outbox"
    assert schedule["schedule"] == 60.0


@pytest.mark.postgres
def test_parallel_sweeps_send_every_message_exactly_once(postgres):
    with broker_down():  # so no task sends them before the sweeps race
        for number in range(30):
            _notify(make_resident(email=f"person{number}@example.org"))
    assert mail.outbox == []
    results = run_in_parallel(6, outbox.sweep)
    assert results.crashes == []
    assert sum(results.ok) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"person{number}@example.org" for number in range(30))
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
