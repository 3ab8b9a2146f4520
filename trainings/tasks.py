from celery import shared_task

from digibank.celery import RUN_ONCE
from trainings import services


@shared_task(**RUN_ONCE)
def send_session_reminders() -> int:
    """Daily: remind everyone enrolled in tomorrow's sessions (idempotent)."""
    return services.send_session_reminders()
