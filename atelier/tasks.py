from celery import shared_task

from atelier import services


@shared_task
def flag_stale_tickets() -> int:
    return services.flag_stale_tickets()
