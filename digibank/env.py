"""Small typed readers for configuration from the environment.

Every reader raises ``ImproperlyConfigured`` with a one-line Dutch/English
message naming the variable, so a bad value stops start-up with an
explanation instead of a traceback deep inside Django.
"""

import os
from collections.abc import Mapping
from datetime import timedelta

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set (environment variable).")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_months_per_kind(name: str, defaults: Mapping[str, int], *,
                        any_kind: bool = False) -> dict[str, int]:
    """Periods in months per kind, e.g. ``visit_notes=12,call_tasks=6``:
    ``defaults`` with the kinds the variable names replaced. Unknown kinds
    (unless ``any_kind``: checked later, by whoever knows them), repeated
    kinds and anything but a whole number of at least 1 are refused."""
    periods = dict(defaults)
    raw = os.environ.get(name, "")
    seen = set()
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        kind, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not kind:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of kind=months, got {item!r}.")
        if kind not in defaults and not any_kind:
            known = ", ".join(sorted(defaults))
            raise ImproperlyConfigured(
                f"{name} names an unknown kind {kind!r}; known kinds: {known}.")
        if kind in seen:
            raise ImproperlyConfigured(f"{name} gives {kind!r} twice.")
        seen.add(kind)
        try:
            months = int(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {kind} must be a whole number of months, got {value!r}.") from None
        if months < 1:
            raise ImproperlyConfigured(f"{name}: {kind} must be at least 1 month, got {months}.")
        periods[kind] = months
    return periods


def env_database(name: str, default: str) -> dict:
    raw = env_str(name, default)
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError, AttributeError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({exc}).") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {raw!r}.")
    if config["ENGINE"] not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL, got {raw!r}.")
    return config


def env_broker_url(name: str, default: str) -> str:
    raw = env_str(name, default)
    allowed = ("redis://", "rediss://", "filesystem://", "memory://", "amqp://")
    if not raw.startswith(allowed):
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(allowed)}, got {raw!r}."
        )
    return raw


def months(value: int) -> timedelta:
    """A retention period in months, counted as 30.44 days each."""
    return timedelta(days=round(value * 30.44))
