"""The role x URL matrix: every named URL declares who may use it.

Each app lists its URLs in ``tests/<app>/access.py`` as ``ACCESS = {url_name:
Access(...)}``. ``tests/test_access_matrix.py`` fails when a URL has no entry,
and checks every role (and an anonymous visitor) against every entry.

``kwargs``, ``data`` and ``elsewhere`` are functions of an ``AccessContext``: a point where
every staff user of the matrix works, a partner organisation that the partner
user belongs to, and the users themselves. They build the objects the URL
needs, scoped so that an allowed role really is allowed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("host", "coach", "atelier", "coordinator", "partner")
STAFF = frozenset(ROLES)
PUBLIC = "public"


@dataclass
class AccessContext:
    point: object
    partner: object
    users: dict
    cache: dict = field(default_factory=dict)

    def once(self, key: str, build: Callable):
        """Build an object once per test, so kwargs and data share it."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    @property
    def other_point(self):
        """A point where no user of the matrix works."""
        from tests.factories import make_point

        return self.once("other-point", lambda: make_point("Matrix elsewhere"))


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] | str  # a set of roles, or PUBLIC
    kwargs: Callable[[AccessContext], dict] | None = None
    method: str = "get"
    data: Callable[[AccessContext], dict] | None = None
    # Status codes that count as "denied" for this URL (403 by role, 404 when
    # scoping hides the object).
    denied: tuple[int, ...] = (403, 404)
    # When set, the status an allowed user must get (and a redirect to the
    # login page is then fine, as after logging out).
    expect: tuple[int, ...] | None = None
    # The same URL on an object of another point (built at
    # ``ctx.other_point``, where no matrix user works): every allowed role
    # except ``everywhere`` must get 403 there (or, with ``elsewhere_hides``,
    # the page without that text).
    elsewhere: Callable[[AccessContext], dict] | None = None
    everywhere: frozenset[str] = frozenset({"coordinator"})
    # A page that every allowed role opens, but whose personal data only
    # those who work there see: on the object of ``elsewhere``, every allowed
    # role except ``everywhere`` gets the page (200) without this text (a
    # participant's name or phone number), and ``everywhere`` gets it with.
    elsewhere_hides: Callable[[AccessContext], str] | None = None

    @property
    def is_public(self) -> bool:
        return self.roles == PUBLIC


def allowed(*roles: str) -> frozenset[str]:
    return frozenset(roles)
