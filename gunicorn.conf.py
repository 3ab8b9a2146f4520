"""Gunicorn's settings for every way of serving Digibank (Procfile, Docker).

Gunicorn reads this file from the working directory. A request here spends
part of its time waiting for PostgreSQL and Redis, so each worker process
runs threads (gthread) that overlap those waits, and a slow request (an
export, a PDF) no longer holds up the quick ones queued behind it in the
same process; the number of processes follows the cores (2 × cores − 1).
Each thread keeps its own database connection (CONN_MAX_AGE), so
PostgreSQL sees at most workers × threads connections from the web. The
README's "Load" section has the figures of the busy-morning mix
(bench/load/) for this choice.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
accesslog = "-"
# A worker that stops answering (a stuck request) is replaced after this.
timeout = 60
