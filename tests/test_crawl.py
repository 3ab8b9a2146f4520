"""The crawler: every page of every role, checked by independent validators.

For an anonymous visitor and each demo user (``seed_demo``) the crawler
starts at that user's start page and follows every same-site link
(``<a href>``, GET only), one address per URL pattern per role. On every
page it reaches it checks:

- the status: what the role × URL matrix (``tests/<app>/access.py``) allows,
  and no link to an address that does not exist;
- no template syntax (``{{``, ``{%``) in the output;
- the W3C Nu Html Checker (vnu.jar, installed by ``make install``) reports no
  error: one run over all pages, one JVM;
- axe-core (WCAG 2.0/2.1 A and AA) reports no violation on a public page and
  no serious or critical one on a staff page, at 1280 px and again at 320 px
  (a table that reflows, a menu that folds); the page does not scroll
  sideways at 320 px (all once per URL pattern, in one reused browser tab);
- ``<html lang>`` is the active language, and in the English interface the
  Dutch data (course titles, offers, topics, services, target groups) sits
  inside ``lang="nl"``.

A new page is covered without anyone adding it here: every named URL pattern
must be reached by the crawler or be listed in ``NOT_CRAWLED`` with the
reason (``test_every_url_pattern_is_crawled_or_excused``).

The clock stands still at ``CRAWL_TIME`` (and ticks on from there) while the
demo is seeded and crawled, so the demo's "today" (open points, visits in
the queue, sessions to come) and so the address the crawl meets first for
each pattern are the same whenever the test runs.
"""

import json
import os
import re
import shutil
import subprocess
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import polib
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from digibank.celery import app as celery_app
from digibank.days import BRUSSELS
from tests.conftest import skip_or_fail
from tests.test_access_matrix import ACCESS, _url_names

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("crawler")]

VNU_JAR = Path(settings.BASE_DIR) / ".venv/node/node_modules/vnu-jar/build/dist/vnu.jar"
DEMO_USERS = ("host", "coach", "atelier", "coordinator", "partner")
START_PAGE = {None: "/", **dict.fromkeys(DEMO_USERS, "/start/")}
# The Django admin has its own tests and markup; static files are no pages.
SKIPPED_PREFIXES = ("/beheer/", "/static/", "/media/")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
NARROW = 320
# A Tuesday morning in term time: the fixed points open, visits waiting at
# the counter, trainings to come, no holiday.
CRAWL_TIME = datetime(2026, 10, 6, 10, 30, tzinfo=BRUSSELS)
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")

# URL patterns no link of the demo leads to, and why. A pattern not reached
# and not listed here fails the coverage test: link the new page, or say here
# why it cannot be crawled.
NOT_CRAWLED: dict[str, str] = {
    "atelier:defect-bookmark": "a permanent redirect for old bookmarks, linked from nowhere",
    "atelier:hours-report": "opened by the hours page's GET form, not a link",
    "atelier:hours-export": "linked from the hours report, itself opened by a GET form "
                            "(tests/atelier/test_workers.py)",
    "atelier:ticket-resolve": "the resolve form's target; its GET shows the ticket page",
    "counter:offer-slip": "an htmx fragment of the counter (a dialog's content)",
    "counter:offers": "an htmx fragment of the counter: the offers for the ticked topics",
    "counter:resident-search": "an htmx fragment of the counter's search",
    "counter:visit-slip": "an htmx fragment of the counter (a dialog's content)",
    "devices:loan-agreement": "linked for a current loan only on pages the crawl reached "
                              "through another device first",
    "healthz": "a plain-text health check for monitors",
    "outreach:hsds-root": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-organizations": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-organization": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-services": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-service": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-locations": "Open Referral JSON API (tests/outreach)",
    "outreach:hsds-location": "Open Referral JSON API (tests/outreach)",
    "outreach:qr": "the address printed in a QR code: a redirect, linked from no page",
    "points:point-deployments-ics": "an iCal feed, linked from a mobile point's page only when "
                                    "the crawl meets a mobile point first (tests/points)",
    "password_reset_confirm": "reached from the e-mail's one-time link only",
    "trainings:meeting-edit": "linked from a guidance with meetings; the crawl keeps the first "
                              "guidance it meets",
    "trainings:public-confirmation": "shown after the public enrolment form is sent (POST)",
    "trainings:run-detail": "linked from a session of a series; the demo plans single sessions",
}

# Pages that exist for every visitor but no link leads to (an info screen's
# address, the pages after a password form): crawled from their address.
UNLINKED_PAGES = {
    None: ["/scherm/", "/wachtwoord/vergeten/verstuurd/", "/wachtwoord/nieuw/klaar/"],
    **{role: ["/wachtwoord/gewijzigd/"] for role in DEMO_USERS},
}


@dataclass
class Page:
    role: str | None
    name: str | None  # the URL pattern's name; None for a link to nowhere
    url: str
    found_on: str
    status: int = 0
    location: str = ""
    content_type: str = ""
    html: str = ""

    @property
    def who(self) -> str:
        return self.role or "anonymous"

    @property
    def is_html(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")

    @property
    def is_public(self) -> bool:
        rule = ACCESS.get(self.name)
        return bool(rule and rule.is_public)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _LinkParser()
    parser.feed(html)
    return parser.hrefs


def _same_site_path(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _crawl(client: Client, role: str | None) -> list[Page]:
    """Breadth first from the role's start page, one address per URL pattern."""
    queue = deque([(START_PAGE[role], "(start)")])
    # Crawled after every link, so they do not change which address of a
    # pattern the links lead to first.
    unlinked = deque((url, "(its address)") for url in UNLINKED_PAGES[role])
    seen_urls: set[str] = set()
    seen_names: set[str] = set()
    pages = []
    while queue or unlinked:
        url, found_on = (queue or unlinked).popleft()
        path = urlsplit(url).path
        if url in seen_urls or path.startswith(SKIPPED_PREFIXES):
            continue
        seen_urls.add(url)
        try:
            name = resolve(path).view_name
        except Resolver404:
            pages.append(Page(role, None, url, found_on, status=404))
            continue
        if name in seen_names:
            continue
        seen_names.add(name)
        response = client.get(url)
        page = Page(role, name, url, found_on, status=response.status_code,
                    location=response.get("Location", ""),
                    content_type=response.get("Content-Type", ""))
        pages.append(page)
        if 300 <= response.status_code < 400:
            target = _same_site_path(url, page.location)
            if target:
                queue.append((target, url))
        elif page.is_html:
            page.html = response.content.decode()
            for href in _links(page.html):
                target = _same_site_path(url, href)
                if target:
                    queue.append((target, url))
    return pages


class _LangParser(HTMLParser):
    """Text nodes with the language they are in (the nearest ``lang``)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}
    SKIPPED = {"script", "style", "title", "option", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.html_lang: str | None = None
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.html_lang = lang
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or any(tag in self.SKIPPED for tag, _lang in self.stack):
            return
        lang = next((lang for _tag, lang in reversed(self.stack) if lang is not None), None)
        self.texts.append((text, lang))


def _dutch_data() -> list[str]:
    """Dutch texts of the demo data that the English interface shows as they are."""
    from digibank.models import TargetGroup
    from outreach.models import Offer
    from points.models import QuestionTopic, Service
    from trainings.models import Course

    texts = set()
    for model, fields in ((Course, ("title", "summary")), (Offer, ("title", "description")),
                          (QuestionTopic, ("name",)), (Service, ("name",)),
                          (TargetGroup, ("name",))):
        for values in model.objects.values_list(*fields):
            texts |= {" ".join(value.split()) for value in values if value}
    # A topic called "E-mail" is also the interface's own English word.
    root = Path(settings.BASE_DIR)
    catalogs = [*root.glob("locale/nl/LC_MESSAGES/django.po"),
                *root.glob("*/locale/nl/LC_MESSAGES/django.po")]
    interface = {entry.msgid for path in catalogs for entry in polib.pofile(str(path))}
    return sorted(texts - interface)


def _untagged_dutch(html: str, dutch: list[str]) -> list[str]:
    parser = _LangParser()
    parser.feed(html)
    found = []
    for text, lang in parser.texts:
        if lang == "nl":
            continue
        for phrase in dutch:
            if text == phrase or (len(phrase) >= 10 and phrase in text):
                found.append(phrase)
                break
    return found


def _html_lang(html: str) -> str | None:
    parser = _LangParser()
    parser.feed(html)
    return parser.html_lang


def _start_vnu(pages: list[Page], folder: Path) -> tuple[subprocess.Popen, dict]:
    """The Nu Html Checker over every page at once, in one JVM, started in
    the background while the browser checks run."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        skip_or_fail(f"needs Java and {VNU_JAR} (make install)")
    files = {}
    for index, page in enumerate(pages):
        path = folder / f"page-{index:04}.html"
        path.write_text(page.html, encoding="utf-8")
        files[path.name] = page
    process = subprocess.Popen(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
         "--stdout", *[str(folder / name) for name in files]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    return process, files


def _vnu_errors(process: subprocess.Popen, files: dict) -> dict[str, list[str]]:
    """The checker's errors per page's label."""
    output, problems = process.communicate(timeout=600)
    assert process.returncode == 0, f"vnu.jar failed: {problems[-2000:]}"
    errors: dict[str, list[str]] = {}
    for message in json.loads(output)["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        page = files.get(message.get("url", "").rsplit("/", 1)[-1])
        label = f"{page.who} {page.url}" if page else message.get("url", "?")
        errors.setdefault(label, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()[:80]}]")
    return errors


OVERFLOW_SCRIPT = """(width) => {
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && element.parentElement.getBoundingClientRect().right <= width + 1) {
      wide.push(`${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}`
                + `${element.className && typeof element.className === 'string'
                     ? '.' + element.className.trim().split(/\\s+/).join('.') : ''}`
                + ` (${Math.round(box.right)}px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 4)};
}"""


def _axe_violations(axe, tab, page: Page) -> list[str]:
    """axe-core's violations that count on ``page``: any on a public page,
    serious or critical ones on a staff page."""
    results = axe.run(tab, options=AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if page.is_public or violation["impact"] in ("serious", "critical")
    ]


def _browser_checks(browser, base_url: str, pages: list[Page], cookies: dict) -> dict:
    """axe-core at 1280 and 320 px and the 320 px width, once per URL
    pattern, in one tab."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(base_url=base_url, locale="nl-BE",
                                  timezone_id="Europe/Brussels",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    axe_problems, overflow = {}, {}
    current = object()
    for page in pages:
        if cookies[page.role] != current:
            current = cookies[page.role]
            context.clear_cookies()
            if current:
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": current,
                                      "url": base_url}])
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.goto(page.url, wait_until="load")
        violations = _axe_violations(axe, tab, page)
        if violations:
            axe_problems[f"{page.who} {page.url}"] = violations
        tab.set_viewport_size({"width": NARROW, "height": 800})
        width = tab.evaluate(OVERFLOW_SCRIPT, NARROW)
        if width["scrollWidth"] > NARROW:
            overflow[f"{page.who} {page.url}"] = (
                f"{width['scrollWidth']}px wide: {', '.join(width['wide'])}")
        violations = _axe_violations(axe, tab, page)
        if violations:
            axe_problems[f"{page.who} {page.url} at {NARROW} px"] = violations
    context.close()
    return {"axe": axe_problems, "overflow": overflow}


@dataclass
class Crawl:
    pages: list[Page]
    english: dict  # (role, name) -> html of the same address in English
    dutch_data: list[str]
    vnu: dict
    axe: dict
    overflow: dict

    def report(self, problems) -> str:
        lines = []
        for label, items in sorted(problems.items()):
            lines.append(f"{label}:")
            lines.extend(f"    {item}" for item in (items if isinstance(items, list) else [items]))
        return f"{len(problems)} pages:\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, live_server, browser, tmp_path_factory):
    """Seed the demo, crawl as every role, run the validators once; the
    database is emptied afterwards, as after any transactional test."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "LOCATION": "crawler"}},
    )
    eager = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    with django_db_blocker.unblock(), fast, time_machine.travel(CRAWL_TIME, tick=True):
        try:
            call_command("seed_demo", force=True, stdout=StringIO())
            from digibank.models import User

            pages, english, cookies = [], {}, {}
            for role in (None, *DEMO_USERS):
                client = Client()
                if role:
                    client.force_login(User.objects.get(username=role))
                cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value if role else ""
                crawled = _crawl(client, role)
                pages += crawled
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
                for page in crawled:
                    if page.is_html:
                        english[(role, page.name)] = client.get(page.url).content.decode()
            dutch_data = _dutch_data()
            html_pages = [page for page in pages if page.is_html]
            vnu = _start_vnu(html_pages, tmp_path_factory.mktemp("vnu"))
            # Each pattern once in the browser: as the first role that reached it
            # (anonymous first, so a public page is checked as the public sees it).
            once, seen = [], set()
            for page in html_pages:
                if page.name not in seen:
                    seen.add(page.name)
                    once.append(page)
            try:
                checked = _browser_checks(browser, live_server.url, once, cookies)
            except BaseException:
                vnu[0].kill()
                raise
            yield Crawl(pages=pages, english=english, dutch_data=dutch_data,
                        vnu=_vnu_errors(*vnu), **checked)
        finally:
            call_command("flush", interactive=False, verbosity=0)
            celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = eager


def test_every_url_pattern_is_crawled_or_excused(crawl):
    crawled = {page.name for page in crawl.pages if page.name}
    post_only = {name for name, rule in ACCESS.items() if rule.method == "post"}
    missing = sorted(_url_names() - crawled - post_only - set(NOT_CRAWLED))
    assert not missing, (
        "no link of the demo leads to these URL patterns; link them, or list them in "
        f"NOT_CRAWLED with the reason: {missing}")


def test_excused_url_patterns_exist(crawl):
    stale = sorted(set(NOT_CRAWLED) - _url_names())
    assert not stale, f"NOT_CRAWLED names patterns that do not exist: {stale}"


def test_excused_url_patterns_are_not_reached(crawl):
    # The clock stands still at CRAWL_TIME, so the crawl meets the same
    # addresses on every run: an excuse for a pattern it reaches is stale.
    crawled = {page.name for page in crawl.pages if page.name}
    reached = sorted(set(NOT_CRAWLED) & crawled)
    assert not reached, f"NOT_CRAWLED excuses patterns the crawl reaches: {reached}"


def test_every_link_leads_to_a_page(crawl):
    broken = [f"{page.who}: {page.url} (on {page.found_on})" for page in crawl.pages
              if page.name is None]
    assert not broken, "links to no page:\n" + "\n".join(broken)


def _status_is_expected(page: Page) -> bool:
    rule = ACCESS[page.name]
    login_redirect = 300 <= page.status < 400 and "/aanmelden/" in page.location
    if rule.is_public or page.role in rule.roles:
        if rule.expect:
            return page.status in rule.expect
        return page.status < 400 and not login_redirect
    if page.role is None:
        return login_redirect
    return page.status in rule.denied


def test_every_page_answers_as_the_access_table_says(crawl):
    wrong = [f"{page.who}: {page.url} gave {page.status} (linked from {page.found_on})"
             for page in crawl.pages if page.name in ACCESS and not _status_is_expected(page)]
    assert not wrong, "\n".join(wrong)


def test_no_page_shows_template_syntax(crawl):
    leaks = [f"{page.who}: {page.url}" for page in crawl.pages
             if page.is_html and TEMPLATE_SYNTAX.search(page.html)]
    assert not leaks, "template syntax in the output of:\n" + "\n".join(leaks)


def test_nu_html_checker_finds_no_error(crawl):
    total = sum(len(errors) for errors in crawl.vnu.values())
    assert not crawl.vnu, f"{total} Nu Html Checker errors on " + crawl.report(crawl.vnu)


def test_axe_finds_no_violation(crawl):
    assert not crawl.axe, "axe-core violations on " + crawl.report(crawl.axe)


def test_no_page_scrolls_sideways_at_320_px(crawl):
    assert not crawl.overflow, f"wider than {NARROW}px: " + crawl.report(crawl.overflow)


def test_html_lang_is_the_active_language(crawl):
    wrong = [f"{page.who}: {page.url} is lang={_html_lang(page.html)!r} in Dutch"
             for page in crawl.pages if page.is_html and _html_lang(page.html) != "nl"]
    wrong += [f"{role or 'anonymous'}: {name} is lang={_html_lang(html)!r} in English"
              for (role, name), html in crawl.english.items() if _html_lang(html) != "en"]
    assert not wrong, "\n".join(wrong)


def _untagged_dutch_pages(crawl, public: bool) -> dict:
    problems = {}
    for (role, name), html in crawl.english.items():
        if (role is None) != public:
            continue
        found = _untagged_dutch(html, crawl.dutch_data)
        if found:
            problems[f"{role or 'anonymous'} {name}"] = sorted(Counter(found))
    return problems


def test_dutch_data_on_public_pages_in_english_is_marked_dutch(crawl):
    problems = _untagged_dutch_pages(crawl, public=True)
    assert not problems, 'Dutch text without lang="nl" on ' + crawl.report(problems)


def test_dutch_data_on_staff_pages_in_english_is_marked_dutch(crawl):
    problems = _untagged_dutch_pages(crawl, public=False)
    assert not problems, 'Dutch text without lang="nl" on ' + crawl.report(problems)
