from celery import shared_task

from digibank.celery import RUN_ONCE
from trainings import services


@shared_task(**RUN_ONCE)
def send_session_reminders() -> int:
    """Daily: remind everyone enrolled in tomorrow's sessions (idempotent)."""
    return services.send_session_reminders()


@shared_task(**RUN_ONCE)
def tell_interest_about_places() -> int:
    """After planning and every quarter of an hour: tell the interest lists
    about free places (idempotent: each entry is told once)."""
    return services.tell_interest_about_places()
