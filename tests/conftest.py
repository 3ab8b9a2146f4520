import os
import shutil

import pytest
from django.db import connection

from digibank.celery import app as celery_app

# On CI a test that needs PostgreSQL, Redis or Chromium must fail, not skip,
# when the service is missing: a green run must mean the tests ran.
STRICT = bool(os.environ.get("CI"))


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Every request moves the session's expiry, so a page's query count does
    # not depend on how long ago the test's previous request was; the
    # once-a-minute touch has its own tests in tests/digibank/test_auth.py.
    settings.SESSION_TOUCH_SECONDS = 0


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    """Each test gets an empty cache of its own. With REDIS_URL set the
    cache would otherwise be shared by the xdist workers (and by every
    other run on the machine), so one test could read what another cached."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": request.node.nodeid}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def postgres(transactional_db):
    """For concurrency tests: a real PostgreSQL with committed transactions."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("needs Redis (set REDIS_URL=redis://…)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.exists(path) or shutil.which(path)):
        skip_or_fail(f"needs Chromium at {path}")
    return path


@pytest.fixture
def matrix_context(db):
    """A point every staff user of the matrix works at, a partner the
    partner user belongs to, and one user per role (see tests/access.py)."""
    from tests.access import ROLES, AccessContext
    from tests.factories import make_partner, make_point, make_user

    point = make_point("Matrix point")
    partner = make_partner("Matrix partner")
    users = {role: make_user(role, username=f"matrix-{role}", points=[point],
                             partner=partner if role == "partner" else None) for role in ROLES}
    return AccessContext(point=point, partner=partner, users=users)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One Chromium per test process, shared by the browser tests and the
    crawler: Playwright's sync API allows one running instance per thread."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
