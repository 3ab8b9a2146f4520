"""The next date on the demo's offers: the card, the page and the feed show
the same date, and it is one of the offer's schedule (outreach.schedules)."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Offer
from outreach.schedules import SCHEDULE_FIELDS, is_occurrence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_offers_module")]

CARD = re.compile(r'<a href="/aanbod/(\d+)/">(?:(?!<li class="offer").)*?'
                  r'data-testid="next-date">[a-z]+ (\d\d/\d\d/\d{4})<', re.S)
PAGE = re.compile(r'data-testid="next-date">[a-z]+ (\d\d/\d\d/\d{4})<')


def _day(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def _cards(client) -> dict[int, date]:
    cards, page = {}, 1
    while True:
        response = client.get(reverse("outreach:offer-list"), {"page": page})
        cards.update({int(pk): _day(text) for pk, text in CARD.findall(
            response.content.decode())})
        if not response.context["page"].has_next():
            return cards
        page += 1


def test_card_page_and_feed_show_a_next_date_of_the_schedule_for_every_demo_offer(client):
    cards = _cards(client)
    feed = {row["id"]: row["next_date"] for row in client.get(
        reverse("outreach:offer-open-data")).json()["offers"]}
    today = timezone.localdate()
    scheduled = 0
    for offer in Offer.objects.current():
        fields = {name: getattr(offer, name) for name in SCHEDULE_FIELDS if name != "next_date"}
        page = PAGE.search(client.get(
            reverse("outreach:offer-detail", args=[offer.pk])).content.decode())
        shown = offer.when_next
        assert cards.get(offer.pk) == shown, offer.title
        assert (page and _day(page.group(1))) == (shown or None), offer.title
        assert feed[offer.pk] == (shown.isoformat() if shown else None), offer.title
        if offer.schedule_freq:
            scheduled += 1
            assert shown is not None and shown >= today, offer.title
            assert is_occurrence(shown, **fields), offer.title
    assert scheduled >= 10


def test_the_first_tuesday_offer_shows_a_first_tuesday(client):
    offer = Offer.objects.get(title="Leer werken met itsme")
    assert offer.when_next.weekday() == 1 and offer.when_next.day <= 7


def test_the_tax_help_runs_only_in_may_and_june_in_the_open_data(client):
    offer = Offer.objects.get(title="Hulp bij je belastingaangifte")
    data = client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()
    schedule = data["schedules"][0]
    assert schedule["valid_from"].endswith("-05-01")
    assert schedule["valid_to"].endswith("-06-30")
    assert offer.when_next.month == 5


def test_the_ten_lesson_course_has_its_start_and_count_in_the_open_data(client):
    offer = Offer.objects.get(title="Werken met de computer: de basis")
    schedule = client.get(reverse("outreach:hsds-service", args=[offer.uuid])).json()[
        "schedules"][0]
    assert schedule["count"] == 10
    assert date.fromisoformat(schedule["dtstart"]).month == 2
    assert date.fromisoformat(schedule["dtstart"]).weekday() == 0
    page = client.get(reverse("outreach:offer-detail", args=[offer.pk])).content.decode()
    assert "10 keer vanaf" in page


def test_every_demo_offer_showing_a_next_date_has_it_from_its_schedule_or_as_a_one_off():
    from outreach.schedules import weekdays_in_words

    for offer in Offer.objects.current():
        if offer.when_next and not offer.schedule_freq:
            assert not weekdays_in_words(offer.schedule), (offer.title, offer.schedule)
        offer.full_clean()


def test_every_demo_offer_whose_when_names_a_weekday_has_a_structured_schedule():
    from outreach.schedules import weekdays_in_words

    unscheduled = [offer.title for offer in Offer.objects.current()
                   if weekdays_in_words(offer.schedule) and not offer.schedule_freq]
    assert unscheduled == []


def test_the_every_other_week_demo_offer_repeats_every_other_friday():
    offer = Offer.objects.get(title="Veilig online: herken oplichting")
    assert (offer.schedule_interval, offer.when_next.weekday()) == (2, 4)
