"""Point the Celery app at another broker for a test: a closed port (the
broker is down) or a Redis database of the test's own."""

import socket
from contextlib import contextmanager

from digibank.celery import app as celery_app


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_pools() -> None:
    # Celery keeps a connection pool per app; a new broker needs a new one.
    celery_app._after_fork()


@contextmanager
def broker_at(url: str, **conf):
    """Tasks are published to ``url`` (not run eagerly) inside the block."""
    names = ["task_always_eager", "broker_url", *conf]
    previous = {name: celery_app.conf[name] for name in names}
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = url
    celery_app.conf.update(conf)
    celery_app.amqp.flush_routes()
    _reset_pools()
    try:
        yield
    finally:
        celery_app.conf.update(previous)
        celery_app.amqp.flush_routes()
        _reset_pools()


def broker_down():
    return broker_at(f"redis://127.0.0.1:{closed_port()}/0")
