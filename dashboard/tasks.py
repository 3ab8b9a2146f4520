from datetime import date

from celery import shared_task

from dashboard import rollup


@shared_task
def build_rollup(day: str | None = None) -> int:
    """Nightly: roll up every day up to yesterday that is missing or changed.
    ``day`` (ISO date): rebuild just that day."""
    if day:
        return rollup.build_days([date.fromisoformat(day)], force=True)
    return rollup.build_rollup()


# The task's name before the dashboard had an app of its own: a message
# queued by a beat or a worker of the previous release still runs.
build_rollup_before_the_move = shared_task(name="digibank.tasks.build_rollup")(
    build_rollup.run)
