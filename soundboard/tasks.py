from celery import shared_task

from digibank.celery import RUN_ONCE
from soundboard import services


@shared_task(**RUN_ONCE)
def build_due_digests() -> int:
    return services.build_due_digests()
