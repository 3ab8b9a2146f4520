from celery import shared_task

from outreach import services


@shared_task
def send_follow_up_reminders() -> int:
    return services.send_follow_up_reminders()


@shared_task
def expire_consents() -> int:
    return services.expire_consents()


@shared_task
def ask_to_check_offers() -> int:
    return services.ask_to_check_offers()
