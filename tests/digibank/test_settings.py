"""Configuration is read from the environment and bad values stop start-up
with one line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from digibank import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#Lq!2vR9@mN4$pT8&wZ1^kB6*cF3(hJ5)dG0-sA+eY_uI=oP",
    "ALLOWED_HOSTS": "digibank.example.org",
    "DATABASE_URL": "sqlite:////tmp/digibank-deploy-check.sqlite3",
}


def _manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    # A clean start: nothing of this test run's own configuration leaks in.
    unset = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **environ},
        capture_output=True, text=True, timeout=120,
    )


def test_malformed_database_url_raises_improperly_configured(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", "sqlite:///x")


def test_database_url_of_an_unsupported_engine_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/digibank")
    with pytest.raises(ImproperlyConfigured, match="SQLite or PostgreSQL"):
        env.env_database("DATABASE_URL", "sqlite:///x")


def test_boolean_that_is_not_a_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        env.env_bool("DEBUG", True)


def test_number_that_is_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv("RETENTION_MONTHS", "two years")
    with pytest.raises(ImproperlyConfigured, match="RETENTION_MONTHS must be a whole number"):
        env.env_int("RETENTION_MONTHS", 24)


def test_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("RETENTION_MONTHS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("RETENTION_MONTHS", 24, minimum=1)


def test_broker_url_with_unknown_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "kafka://localhost")
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        env.env_broker_url("CELERY_BROKER_URL", "memory://")


def test_list_is_split_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,,")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_start_up_without_secret_key_in_production_prints_one_line():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="x.example")
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: SECRET_KEY must be set when DEBUG is off."


def test_start_up_with_malformed_database_url_prints_one_line():
    result = _manage("check", DATABASE_URL="postgres://user@:notaport/db")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DATABASE_URL")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_start_up_with_a_retention_kind_no_app_declares_prints_one_line():
    # The kinds are the apps' (declared on their AppConfigs): checked once
    # the apps are loaded, still before anything is served.
    result = _manage("check", RETENTION="visit_note=6")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "Configuration error: RETENTION names an unknown kind 'visit_note'; known kinds: ")
    assert "visit_notes" in result.stderr and "board_members" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_start_up_with_a_retention_kind_of_an_app_is_accepted():
    result = _manage("check", RETENTION="board_members=12,visit_notes=6")
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_without_warnings_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
