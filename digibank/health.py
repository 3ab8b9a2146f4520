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

# Headers a proxy (or a client pretending to be one) sets to name the client.
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_CLIENT_IP",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
)


def _client_named_by_trusted_proxy(request) -> str | None:
    """The client address a trusted proxy names (the last hop it appended),
    or None when the request did not come from a proxy in TRUSTED_PROXIES."""
    if request.META.get("REMOTE_ADDR") not in settings.TRUSTED_PROXIES:
        return None
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded_for:
        return forwarded_for.split(",")[-1].strip()
    return request.META.get("HTTP_X_REAL_IP", "").strip() or None


def is_from_this_machine(request) -> bool:
    """A request from this machine: REMOTE_ADDR is loopback and no proxy
    header is present (a proxy in front of the site also connects from
    127.0.0.1, and anyone can send such a header). With a proxy header the
    request counts as local only when it came from a proxy configured in
    TRUSTED_PROXIES that names a loopback client."""
    if any(header in request.META for header in PROXY_HEADERS):
        return _client_named_by_trusted_proxy(request) in LOOPBACK
    return request.META.get("REMOTE_ADDR") in LOOPBACK


def may_see_health_details(request) -> bool:
    """Staff, or a request from this machine that came through no proxy."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    return is_from_this_machine(request)
