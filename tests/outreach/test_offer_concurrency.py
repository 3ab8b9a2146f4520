"""The offer guide's rules hold under concurrency (PostgreSQL)."""

from datetime import date

import pytest

from digibank.roles import sync_role_permissions
from outreach.models import GivenOffer, Offer, OfferAction, OfferEvent
from outreach.services import ask_to_check_offers, record_offers_given
from tests.concurrency import Race, run_in_parallel
from tests.factories import make_point, make_user
from tests.outreach.factories import make_offer, make_visit

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _roles(postgres):
    # transactional tests flush the role groups the migration made.
    sync_role_permissions()


def _run_parallel(count: int, work) -> Race:
    return run_in_parallel(count, work, expected=())


def test_twenty_parallel_clicks_record_an_offer_on_a_visit_once(postgres):
    host, offer = make_user("host"), make_offer()
    visit = make_visit(make_point())
    results = _run_parallel(20, lambda: record_offers_given(visit=visit, actor=host,
                                                            offers=[offer]))
    assert results.crashes == []
    assert GivenOffer.objects.filter(visit=visit).count() == 1


def test_parallel_check_jobs_ask_each_owner_once(postgres, mailoutbox):
    make_user("coordinator", email="coord@digibank.example")
    for number in range(5):
        make_offer(f"Oud {number}", last_checked_on=date(2020, 1, 1))
    results = _run_parallel(6, ask_to_check_offers)
    assert results.crashes == []
    assert sum(results.ok) == 5
    assert OfferEvent.objects.filter(action=OfferAction.CHECK_REQUESTED).count() == 5
    assert len(mailoutbox) == 5
    assert not Offer.objects.filter(check_requested_on__isnull=True).exists()
