"""Input that cannot crash: every URL of the role x URL matrix, found by
introspection, gets the probe's hostile input (a NUL byte, 100 KB of text,
the year 9999, negative and huge numbers, wrong content types) in every
field of its forms and in its query string, as a role that may use it. No
answer may be a server error; a refusal (400, 405, 415, a field error) is
what we want."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import ACCESS

PAYLOADS = {
    "nul": "a\x00b",
    "long": "x" * 100_000,
    "year-9999": "9999-12-31",
    "year-9999-nl": "31/12/9999",
    "negative": "-1",
    "huge": "99999999999999999999999",
    "not-a-number": "abc",
}
# Query parameters list pages read besides their forms' fields.
COMMON_PARAMS = ("q", "page", "next", "van", "tot", "start", "end", "punt", "status", "sort",
                 "wachtlijst", "format")
NOT_FIELDS = {"csrfmiddlewaretoken"}


class _Fields(HTMLParser):
    """The field names of a page's forms, per method."""

    def __init__(self):
        super().__init__()
        self.fields = {"get": set(), "post": set()}
        self._method = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._method = (attrs.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("submit", "button", "image"):
                return
            method = self._method or ("post" if attrs.get("data-hx-post") else "get")
            self.fields.setdefault(method, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._method = None


def _fields(response) -> dict[str, set[str]]:
    parser = _Fields()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return {method: names - NOT_FIELDS for method, names in parser.fields.items()}


def _role(rule):
    if rule.is_public:
        return None
    # The coordinator sees the most; otherwise the first role allowed.
    return "coordinator" if "coordinator" in rule.roles else sorted(rule.roles)[0]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_hostile_input_never_makes_a_server_error(matrix_context, name):
    rule = ACCESS[name]
    user = None if rule.is_public else matrix_context.users[_role(rule)]
    url = reverse(name, kwargs=rule.kwargs(matrix_context) if rule.kwargs else {})
    page = _client(user).get(url)
    fields = _fields(page)
    get_names = fields.get("get", set()) | set(COMMON_PARAMS)
    post_names = fields.get("post", set()) | set(rule.data(matrix_context) if rule.data else {})
    errors = []
    if page.status_code >= 500 and page.status_code != 503:
        errors.append(f"GET {url}: {page.status_code}")

    def check(response, what):
        # 503 is /healthz saying a service is down (no worker in the tests).
        if response.status_code >= 500 and response.status_code != 503:
            errors.append(f"{what}: {response.status_code}")

    client = _client(user)
    for label, value in PAYLOADS.items():
        check(client.get(url, dict.fromkeys(get_names, value)), f"GET {url} {label}")
        check(client.post(url, dict.fromkeys(post_names or {"x"}, value)), f"POST {url} {label}")
        if not client.session.get("_auth_user_id") and user is not None:
            client = _client(user)  # the post logged out
    # A filter's date alone (the other one left to its default).
    for field in fields.get("get", set()):
        check(client.get(url, {field: "9999-12-31"}), f"GET {url} {field}=9999-12-31")
    for content_type, body in (("application/json", '{"first_name": "A"}'),
                               ("text/plain", "first_name=A")):
        check(_client(user).post(url, body, content_type=content_type),
              f"POST {url} as {content_type}")
    assert errors == []
