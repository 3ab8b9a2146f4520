from celery import shared_task

from soundboard import services


@shared_task
def build_due_digests() -> int:
    return services.build_due_digests()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_digest(digest_id: int) -> bool:
    return services.send_digest(digest_id)
