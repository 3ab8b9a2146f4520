from celery import shared_task

from devices import services
from digibank.celery import RUN_ONCE


@shared_task(**RUN_ONCE)
def send_check_reminders() -> int:
    return services.send_check_reminders()


@shared_task(**RUN_ONCE)
def send_reservation_reminders() -> int:
    return services.send_reservation_reminders()


@shared_task(**RUN_ONCE)
def send_review_reminders() -> int:
    return services.send_review_reminders()
