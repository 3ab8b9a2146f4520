import io

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def demo_offers_module(django_db_setup, django_db_blocker):
    """The demo's offers (with the users, districts and partners they need),
    seeded once for a whole test module in a transaction that is rolled
    back after it: seeding takes seconds, and the tests only read. Each
    test's own transaction is a savepoint inside it. Use it only in modules
    whose every test wants the demo data."""
    from digibank import demo as digibank_demo
    from outreach import demo as outreach_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            digibank_demo.seed(stdout=io.StringIO())
            outreach_demo.seed(stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(params=["postgresql", "simple"])
def search_backend(request):
    """Both ways of the guide's search (outreach.search): PostgreSQL's Dutch
    text search, and the simple matching SQLite uses (which runs on
    PostgreSQL too, on the same stored text)."""
    from django.db import connection

    from tests.conftest import skip_or_fail

    if request.param == "postgresql" and connection.vendor != "postgresql":
        skip_or_fail("the Dutch text search needs PostgreSQL (set DATABASE_URL=postgres://…)")
    return request.param


def search_titles(text: str, backend: str) -> list[str]:
    """The titles of the current offers found for ``text``, best first."""
    from outreach.models import Offer
    from outreach.search import parse, search_offers, synonym_table

    search = parse(text, synonym_table())
    return list(search_offers(Offer.objects.current(), search, backend)
                .values_list("title", flat=True))
