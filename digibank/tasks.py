from celery import shared_task

from digibank import services


@shared_task
def heartbeat() -> None:
    services.beat_heartbeat()


@shared_task
def apply_retention() -> dict:
    """The nightly retention job; returns the counts per kind."""
    return services.apply_retention().counts


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return services.send_notification_email(notification_id)
