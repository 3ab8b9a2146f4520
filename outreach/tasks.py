from celery import shared_task

from digibank.celery import RUN_ONCE
from outreach import services


@shared_task(**RUN_ONCE)
def send_follow_up_reminders() -> int:
    return services.send_follow_up_reminders()


@shared_task(**RUN_ONCE)
def expire_consents() -> int:
    return services.expire_consents()


@shared_task(**RUN_ONCE)
def ask_to_check_offers() -> int:
    return services.ask_to_check_offers()
