"""The Celery app. The beat schedule lives in settings.CELERY_BEAT_SCHEDULE."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")

# Tasks that change state or send messages run to completion once: the
# message is acknowledged after the task (a worker killed mid-task leaves it
# on the queue, a pool process killed puts it back at once), and the task
# must end well within the broker's visibility timeout (settings:
# CELERY_BROKER_TRANSPORT_OPTIONS), after which Redis gives an unacknowledged
# message to another worker. Use it only on tasks that are idempotent by
# state: ``@shared_task(**RUN_ONCE)``. Long jobs (retention, the full
# roll-up) stay acknowledged early and are idempotent for the next night.
RUN_ONCE = {"acks_late": True, "reject_on_worker_lost": True,
            "soft_time_limit": 8 * 60, "time_limit": 10 * 60}

app = Celery("digibank")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs):
    # The development broker is a folder; kombu expects it to exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    if sender.conf.beat_schedule_filename:
        Path(sender.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
