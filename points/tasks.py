from celery import shared_task

from points import services


@shared_task
def close_stale_visits() -> int:
    return services.close_stale_visits()
