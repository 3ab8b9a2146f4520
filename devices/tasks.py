from celery import shared_task

from devices import services


@shared_task
def send_check_reminders() -> int:
    return services.send_check_reminders()


@shared_task
def send_reservation_reminders() -> int:
    return services.send_reservation_reminders()


@shared_task
def send_review_reminders() -> int:
    return services.send_review_reminders()
