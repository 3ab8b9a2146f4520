from celery import shared_task

from trainings import services


@shared_task
def send_session_reminders() -> int:
    """Daily: remind everyone enrolled in tomorrow's sessions (idempotent)."""
    return services.send_session_reminders()
