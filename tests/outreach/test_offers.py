"""The offer guide's rules: what is current, matching and ordering,
partner ownership, checks and the "not checked for 6 months" job."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from outreach.models import GivenOffer, Offer, OfferAction, OfferEvent, OfferKind
from outreach.services import (
    OfferError,
    ask_to_check_offers,
    check_offer,
    create_offer,
    record_offers_given,
    update_offer,
)
from tests.factories import make_district, make_partner, make_point, make_user
from tests.outreach.factories import make_offer, make_visit
from tests.points.factories import make_topic
from tests.trainings.factories import make_session

pytestmark = pytest.mark.django_db


def test_expired_offer_leaves_the_guide_by_itself():
    today = timezone.localdate()
    make_offer("Oud", valid_until=today - timedelta(days=1))
    make_offer("Later", valid_from=today + timedelta(days=1))
    make_offer("Nu", valid_until=today)
    assert [o.title for o in Offer.objects.current()] == ["Nu"]


def test_unpublished_offer_is_not_current():
    make_offer("Verborgen", is_published=False)
    assert not Offer.objects.current().exists()


def test_offers_match_any_ticked_topic_once():
    itsme, bank = make_topic("itsme"), make_topic("Bankapp")
    both = make_offer("Beide", topics=[itsme, bank])
    make_offer("Anders", topics=[make_topic("Tickets")])
    assert list(Offer.objects.for_topics([itsme, bank])) == [both]


def test_nearest_first_puts_own_district_then_online_then_the_rest():
    here, there = make_district("Hier"), make_district("Daar")
    far = make_offer("A ver", district=there)
    online = make_offer("B online", is_online=True, district=None)
    near = make_offer("C dichtbij", district=here)
    assert list(Offer.objects.nearest_first(here)) == [near, online, far]


def test_within_a_district_the_soonest_date_comes_first():
    later = make_offer("A later", next_date=date(2026, 12, 20))
    sooner = make_offer("B sooner", next_date=date(2026, 12, 1))
    undated = make_offer("C undated")
    assert list(Offer.objects.nearest_first()) == [sooner, later, undated]


def test_language_filter_matches_whole_codes_only():
    arabic = make_offer("Arabisch", languages="nl,ar")
    make_offer("Berbers", languages="ber")
    assert list(Offer.objects.in_language("ar")) == [arabic]


def test_partner_cannot_create_an_offer_for_another_organisation():
    partner = make_user("partner")
    with pytest.raises(OfferError):
        create_offer(actor=partner, data={"title": "X", "description": "Y",
                                          "kind": OfferKind.OTHER, "provider": make_partner()})
    assert not Offer.objects.exists()


def test_creating_an_offer_writes_history_and_counts_as_a_check():
    partner = make_user("partner")
    offer = create_offer(actor=partner, data={
        "title": "Hulp", "description": "Uitleg", "kind": OfferKind.HELP_DESK,
        "provider": partner.partner, "is_online": True}, topics=[make_topic("itsme")])
    assert offer.last_checked_by == partner
    assert offer.last_checked_on == timezone.localdate()
    assert OfferEvent.objects.get(offer=offer).action == OfferAction.CREATED


def test_partner_cannot_change_another_partners_offer():
    offer = make_offer(provider=make_partner())
    with pytest.raises(OfferError):
        update_offer(offer=offer, actor=make_user("partner"), data={"title": "Gekaapt"})
    offer.refresh_from_db()
    assert offer.title != "Gekaapt"


def test_update_records_changed_fields_and_clears_the_check_request():
    coordinator = make_user("coordinator")
    offer = make_offer("Oud", check_requested_on=date(2026, 1, 1))
    update_offer(offer=offer, actor=coordinator, data={"title": "Nieuw", "kind": offer.kind},
                 topics=[make_topic("itsme")])
    offer.refresh_from_db()
    assert offer.title == "Nieuw" and offer.check_requested_on is None
    event = OfferEvent.objects.get(offer=offer)
    assert event.action == OfferAction.CHANGED and event.changes == "title, topics"


def test_check_offer_moves_last_checked_to_today():
    partner = make_user("partner")
    offer = make_offer(provider=partner.partner, last_checked_on=date(2025, 1, 1))
    check_offer(offer=offer, actor=partner)
    offer.refresh_from_db()
    assert offer.last_checked_on == timezone.localdate() and offer.last_checked_by == partner
    assert offer.events.get().action == OfferAction.CHECKED


@time_machine.travel("2026-11-26 06:40 +01:00", tick=False)
def test_job_flags_offers_not_checked_for_six_months_and_mails_the_owner(
        mailoutbox, django_capture_on_commit_callbacks):
    partner = make_user("partner", email="pieter@zorgzaam.example")
    old = make_offer("Oud", provider=partner.partner, last_checked_on=date(2026, 5, 1))
    make_offer("Recent", provider=partner.partner, last_checked_on=date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_to_check_offers() == 1
    old.refresh_from_db()
    assert old.check_requested_on == date(2026, 11, 26)
    assert [m.to for m in mailoutbox] == [["pieter@zorgzaam.example"]]
    assert "Oud" in mailoutbox[0].subject


@time_machine.travel("2026-11-26 06:40 +01:00", tick=False)
def test_job_run_twice_asks_only_once(mailoutbox, django_capture_on_commit_callbacks):
    make_user("coordinator", email="coord@digibank.example")
    make_offer("Eigen aanbod", last_checked_on=date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_to_check_offers() == 1
        assert ask_to_check_offers() == 0
    assert len(mailoutbox) == 1
    assert OfferEvent.objects.filter(action=OfferAction.CHECK_REQUESTED).count() == 1


@time_machine.travel("2026-11-26 06:40 +01:00", tick=False)
def test_job_skips_expired_offers():
    make_offer("Voorbij", last_checked_on=date(2026, 1, 1), valid_until=date(2026, 6, 1))
    assert ask_to_check_offers() == 0


def test_recording_the_same_offer_twice_on_a_visit_keeps_one_row():
    host = make_user("host")
    visit = make_visit(make_point())
    offer, session = make_offer(), make_session()
    record_offers_given(visit=visit, actor=host, offers=[offer], sessions=[session])
    record_offers_given(visit=visit, actor=host, offers=[offer])
    assert GivenOffer.objects.filter(visit=visit).count() == 2


def test_monthly_price_cannot_be_negative_in_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_offer(kind=OfferKind.INTERNET, monthly_price=Decimal("-1"))


def test_demo_data_makes_about_forty_offers_and_is_idempotent():
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    assert Offer.objects.count() == 40
    assert Offer.objects.filter(kind=OfferKind.INTERNET).social_tariff().exists()
    assert Offer.objects.not_checked_since().exists()


def test_nightly_beat_runs_the_check_task_which_flags_old_offers():
    from django.conf import settings

    from outreach.tasks import ask_to_check_offers as task

    entry = settings.CELERY_BEAT_SCHEDULE["outreach-ask-to-check-offers"]
    assert entry["task"] == "outreach.tasks.ask_to_check_offers"
    offer = make_offer(last_checked_on=date(2020, 1, 1))
    assert task.delay().get() == 1
    offer.refresh_from_db()
    assert offer.check_requested_on == timezone.localdate()
