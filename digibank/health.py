"""Checks behind /healthz: database, broker and the Celery heartbeat."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from digibank.celery import app as celery_app
from digibank.models import Heartbeat


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means unhealthy
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_broker() -> dict:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def check_heartbeat() -> dict:
    beat = Heartbeat.objects.filter(name="celery").first()
    if beat is None:
        return {"ok": False, "last": None}
    age = timezone.now() - beat.beat_at
    return {
        "ok": age <= timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS),
        "last": beat.beat_at.isoformat(),
        "age_seconds": int(age.total_seconds()),
    }


def health_report() -> tuple[bool, dict]:
    checks = {
        "database": check_database(),
        "broker": check_broker(),
    }
    checks["heartbeat"] = (
        check_heartbeat() if checks["database"]["ok"] else {"ok": False, "last": None}
    )
    return all(check["ok"] for check in checks.values()), checks


LOOPBACK = ("127.0.0.1", "::1")


def may_see_health_details(request) -> bool:
    """Staff, or a request from this machine that came through no proxy
    (a proxy in front of the site also connects from 127.0.0.1)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    return (request.META.get("REMOTE_ADDR") in LOOPBACK
            and "HTTP_X_FORWARDED_FOR" not in request.META
            and "HTTP_FORWARDED" not in request.META)
