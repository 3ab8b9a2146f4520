from celery import shared_task

from digibank import outbox, services
from digibank.celery import RUN_ONCE


@shared_task
def heartbeat() -> None:
    services.beat_heartbeat()


@shared_task
def apply_retention() -> dict:
    """The nightly retention job; returns the counts per kind."""
    return services.apply_retention().counts


@shared_task(**RUN_ONCE)
def send_outbox(source: str, pks: list[int]) -> int:
    """Send these outbox rows (queued after the commit that wrote them)."""
    return outbox.send_rows(source, pks)


@shared_task(**RUN_ONCE)
def sweep_outbox() -> int:
    """Every minute: send every outbox row still due (the broker was down,
    a worker died, the mail server refused for a while)."""
    return outbox.sweep()


@shared_task(**RUN_ONCE)
def send_notification_email(notification_id: int) -> bool:
    """Kept for tasks queued before the outbox; the sweep would send it too."""
    return services.send_notification_email(notification_id)
