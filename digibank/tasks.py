from datetime import date

from celery import shared_task

from digibank import rollup, services


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


@shared_task
def build_rollup(day: str | None = None) -> int:
    """Nightly: roll up every day up to yesterday that is missing or changed.
    ``day`` (ISO date): rebuild just that day."""
    if day:
        return rollup.build_days([date.fromisoformat(day)], force=True)
    return rollup.build_rollup()
