"""Digibank with the bench's bare view (bench/urls.py) for a load run, so
the yardstick is timed under the same load as the pages:

    .venv/bin/gunicorn -c gunicorn.conf.py bench.wsgi
    LOAD_BARE=1 make load
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
