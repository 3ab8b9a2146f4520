from celery import shared_task

from digibank import services


@shared_task
def heartbeat() -> None:
    services.beat_heartbeat()


@shared_task
def anonymise_inactive_residents() -> int:
    return services.anonymise_inactive_residents()
