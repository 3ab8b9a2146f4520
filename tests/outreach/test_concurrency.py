"""Rules that protect data hold under concurrency (PostgreSQL)."""


import threading

import pytest
from django.utils import timezone

from digibank.models import CallTask, ConsentPurpose, Resident
from digibank.roles import sync_role_permissions
from outreach.models import Direction, Referral, ReferralStatus
from outreach.services import (
    ContactPerson,
    ReferralError,
    change_referral_status,
    refer_resident,
    submit_contact_request,
    withdraw_consent,
)
from tests.concurrency import Race, run_in_parallel
from tests.factories import make_consent, make_partner, make_resident, make_user
from tests.outreach.factories import make_referral

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _roles(postgres):
    # transactional tests flush the role groups the migration made.
    sync_role_permissions()


def _run_parallel(count: int, work) -> Race:
    return run_in_parallel(count, work, expected=(ReferralError,))


def test_twenty_parallel_referrals_of_one_resident_to_one_partner_make_exactly_one(postgres):
    resident, partner, coach = make_resident(), make_partner(), make_user("coach")
    make_consent(resident, ConsentPurpose.REFERRAL, partner=partner)
    results = _run_parallel(20, lambda: refer_resident(
        actor=coach, resident=resident, partner=partner, reason="Sollicitatie"))
    assert results.tally == (1, 19, [])
    assert Referral.objects.count() == 1


def test_twenty_parallel_accepts_move_the_referral_once(postgres):
    partner_user = make_user("partner")
    referral = make_referral(partner=partner_user.partner, direction=Direction.OUT)
    results = _run_parallel(20, lambda: change_referral_status(
        actor=partner_user, referral=referral, status=ReferralStatus.CONTACTED))
    assert results.tally == (1, 19, [])
    assert referral.events.filter(to_status=ReferralStatus.CONTACTED).count() == 1


def test_withdrawal_racing_referrals_never_leaves_an_open_referral_on_withdrawn_consent(
    postgres,
):
    resident, partner, coach = make_resident(), make_partner(), make_user("coach")
    consent = make_consent(resident, ConsentPurpose.REFERRAL, partner=partner)

    turns = iter(range(10))
    turn_lock = threading.Lock()

    def work():
        with turn_lock:
            turn = next(turns)
        if turn == 0:
            return withdraw_consent(actor=coach, consent=consent)
        return refer_resident(actor=coach, resident=resident, partner=partner, reason="x")

    results = _run_parallel(10, work)
    assert results.crashes == []
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    assert not Referral.objects.open().filter(consent=consent).exists()


def test_twenty_parallel_identical_contact_requests_make_one_person_and_one_request(postgres):
    partner_user = make_user("partner")
    results = _run_parallel(20, lambda: submit_contact_request(
        actor=partner_user, partner=partner_user.partner,
        person=ContactPerson(first_name="Rita", last_name="Claes", phone="0470112233"),
        reason="Wil leren bankieren", consent_method="paper",
        consent_given_on=timezone.localdate()))
    assert results.crashes == []
    assert sum(isinstance(r, Referral) for r in results.ok) == 1
    assert Resident.objects.count() == 1
    assert CallTask.objects.count() == 1
