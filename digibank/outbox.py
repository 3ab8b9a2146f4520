"""The outbox: every e-mail is a row written in the transaction of the change
that causes it, and sent from there.

Two kinds of rows hold a message: a resident's ``Notification`` and an
``OutboxEmail`` to staff or partners (both ``models.Delivery``). After the
change commits, a Celery task is asked to send the new rows; a beat job
(``digibank.tasks.sweep_outbox``, every minute) sends whatever is still due,
so a message survives a broker outage, a lost task and a killed worker.

Each row is sent in a transaction of its own that locks it
(``select_for_update(skip_locked=True)``, and a conditional update where the
database has no row locks): two dispatchers never send the same row, and a
dispatcher that dies mid-send leaves its row unsent (the lock goes with its
connection), so the next sweep sends it. A row is marked sent only after the
mail server accepted it; a failure is retried with a growing delay, and
given up (logged) after ``MAX_ATTEMPTS``. The one window left is a worker
killed between the server's "accepted" and the commit: that message is sent
again, with the same Message-ID.
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from digibank.models import Notification, OutboxEmail

logger = logging.getLogger(__name__)

# Label -> model: the task gets the label, never a model.
SOURCES = {"notification": Notification, "email": OutboxEmail}

MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 3600

# Publishing a task while the broker is down must not hold up the request
# that committed the change: a short try, then the sweep takes over.
KICK_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                     "interval_max": 0.2}

# Errors that say the mail server cannot be reached at all: the rest of the
# batch would fail the same way, so it waits for the next sweep.
_SERVER_DOWN = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected,
                smtplib.SMTPAuthenticationError, ConnectionError, TimeoutError)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the first, second, third … failed attempt,
    at most six hours."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1),
                                 LONGEST_RETRY_SECONDS))


def queue_email(*, topic: str, to: Iterable[str], subject: str, body: str) -> list[OutboxEmail]:
    """Put an e-mail to each address of ``to`` in the outbox, in the caller's
    transaction; it is sent after commit. Once per topic and address: an
    address that already has this topic is left alone (a rebuilt digest is
    not sent again). The text is emptied once sent. Returns the new rows."""
    created = []
    for address in sorted({address.strip() for address in to if address and address.strip()}):
        message, new = OutboxEmail.objects.get_or_create(
            topic=topic[:100], to=address,
            defaults={"subject": subject[:200], "body": body,
                      "next_attempt_at": timezone.now()})
        if new:
            created.append(message)
    if created:
        send_after_commit("email", [message.pk for message in created])
    return created


def send_after_commit(source: str, pks: list[int]) -> None:
    """Ask a worker to send these rows once the transaction commits."""
    transaction.on_commit(partial(_kick, source, list(pks)))


def _kick(source: str, pks: list[int]) -> None:
    from digibank.tasks import send_outbox

    try:
        send_outbox.apply_async((source, pks), retry=True, retry_policy=KICK_RETRY_POLICY)
    except Exception:
        # The change is committed and the rows are in the outbox: the sweep
        # sends them once the broker is back. Never an error page for this.
        logger.warning("Outbox: could not queue %s %s; the sweep will send them.",
                       source, pks, exc_info=True)


def send_rows(source: str, pks: Iterable[int] | None = None, *, limit: int = 500) -> int:
    """Send the due rows of ``source`` (all of them, or those of ``pks``),
    at most ``limit``. Returns how many the mail server accepted."""
    model = SOURCES[source]
    due = model.objects.due()
    if pks is not None:
        due = due.filter(pk__in=list(pks))
    candidates = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not candidates:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.warning("Outbox: the mail server cannot be reached; %s rows wait for the next "
                       "sweep.", len(candidates), exc_info=True)
        return 0
    sent = 0
    try:
        for pk in candidates:
            outcome = _send_one(model, pk, connection)
            if outcome is _DOWN:
                break
            sent += outcome is True
    finally:
        connection.close()
    return sent


_DOWN = object()


def _send_one(model, pk: int, connection):
    """Send one row in its own transaction. True when sent, False when it
    failed (retried later), None when another dispatcher has it or it is
    no longer due, ``_DOWN`` when the mail server cannot be reached."""
    now = timezone.now()
    with transaction.atomic():
        rows = model.objects.due(now).select_for_update(skip_locked=True, of=("self",))
        if model is Notification:
            rows = rows.select_related("resident")
        row = rows.filter(pk=pk).first()
        if row is None:
            return None
        # The claim: where select_for_update is a no-op (SQLite) this write
        # takes the database's lock and a second dispatcher's claim misses.
        if not model.objects.filter(pk=pk, sent_at__isnull=True, attempts=row.attempts).update(
                attempts=F("attempts") + 1):
            return None
        attempts = row.attempts + 1
        message = row.email()
        if message is None:
            model.objects.filter(pk=pk).update(failed_at=now, last_error="no e-mail address")
            return False
        try:
            accepted = connection.send_messages([message])
            if not accepted:
                raise smtplib.SMTPException("the mail server accepted nothing")
        except Exception as exc:
            failed = _record_failure(model, pk, attempts, exc, now)
            if isinstance(exc, _SERVER_DOWN) and not failed:
                return _DOWN
            return False
        done = {"sent_at": timezone.now(), "last_error": ""}
        if model is OutboxEmail:
            done["body"] = ""  # a reset link, a digest: no copy is kept once it left
        model.objects.filter(pk=pk).update(**done)
    return True


def _record_failure(model, pk: int, attempts: int, exc: Exception, now) -> bool:
    """Keep the error (its kind and code, never the address) and the time
    of the next attempt. Returns True when the message is given up."""
    code = getattr(exc, "smtp_code", "")
    error = f"{exc.__class__.__name__} {code}".strip()[:120]
    give_up = attempts >= MAX_ATTEMPTS
    model.objects.filter(pk=pk).update(
        last_error=error, next_attempt_at=now + retry_delay(attempts),
        failed_at=now if give_up else None)
    log = logger.error if give_up else logger.warning
    log("Outbox: %s %s not sent (attempt %s): %s%s", model._meta.label, pk, attempts, error,
        "; given up" if give_up else "")
    return give_up


def sweep(*, limit: int = 500) -> int:
    """The beat job: send every due row of every source. Returns how many
    were sent."""
    return sum(send_rows(source, limit=limit) for source in SOURCES)
