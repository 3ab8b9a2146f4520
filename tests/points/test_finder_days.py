"""The finder's "open on <day>": a resident chooses today, tomorrow or a
day of the coming week (and a part of the day) and sees only the points
open then, each with that day's hours as the point's own page shows them;
a mobile point filtered on a district says where it is now, never a false
"closed"."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digibank import demo as core_demo
from outreach import demo as outreach_demo
from points import demo as points_demo
from points.models import Point
from tests.factories import make_district, make_point
from tests.points.factories import (
    brussels,
    make_closure,
    make_deployment,
    make_mobile_point,
    make_period,
)

pytestmark = pytest.mark.django_db
MONDAY = brussels(2026, 12, 7, 8)  # Monday 7 December 2026
THURSDAY = date(2026, 12, 10)
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def _day_names(response) -> list[str]:
    return [entry.point.name for entry in response.context["day_entries"]]


def _finder(client, **query):
    return client.get(reverse("home"), query, **NL)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def city():
    mechelen = make_district("Mechelen", postcode="2800")
    muizen = make_district("Muizen", postcode="2812")
    return mechelen, muizen


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_lists_only_the_points_open_that_day(client, city):
    mechelen, _ = city
    make_period(make_point("Bibliotheek", district=mechelen), 3, "09:00", "12:00")  # Thursday
    make_period(make_point("Sociaal Huis", district=mechelen), 2, "09:00", "12:00")  # Wednesday
    response = _finder(client, dag="2026-12-10")
    assert _day_names(response) == ["Bibliotheek"]
    assert "Open op donderdag 10/12" in _text(response.content.decode())


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_leaves_out_a_point_closed_that_day_and_a_city_holiday(client, city):
    mechelen, _ = city
    closed = make_point("Bibliotheek", district=mechelen)
    make_period(closed, 3, "09:00", "12:00")
    make_closure(closed, THURSDAY, reason="Verbouwing")
    make_period(make_point("Sociaal Huis", district=mechelen), 4, "09:00", "12:00")
    assert _day_names(_finder(client, dag="2026-12-10")) == []
    make_closure(None, date(2026, 12, 11), reason="Stadsfeest")
    assert _day_names(_finder(client, dag="2026-12-11")) == []


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_lists_a_mobile_point_by_its_stop_with_the_place(client, city):
    mechelen, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 10, 9, 30), brussels(2026, 12, 10, 12, 30),
                    place="Vrijbroekpark", street="Mechelsesteenweg 411", postcode="2812",
                    city="Muizen", district=muizen)
    response = _finder(client, dag="2026-12-10")
    assert _day_names(response) == ["Digibus"]
    assert ("09:30–12:30 (Vrijbroekpark, Mechelsesteenweg 411, 2812 Muizen)"
            in _text(response.content.decode()))
    assert _day_names(_finder(client, dag="2026-12-09")) == []


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_and_a_district_counts_a_mobile_point_by_its_stops_there(client, city):
    mechelen, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 10, 9, 30), brussels(2026, 12, 10, 12, 30),
                    postcode="2812", district=muizen)
    make_period(make_point("Stadhuis", district=mechelen), 3, "09:00", "12:00")
    assert _day_names(_finder(client, dag="2026-12-10", district="muizen")) == ["Digibus"]
    assert _day_names(_finder(client, dag="2026-12-10", district="mechelen")) == ["Stadhuis"]


@time_machine.travel(MONDAY, tick=False)
def test_finder_part_of_the_day_keeps_the_points_open_in_that_part(client, city):
    mechelen, _ = city
    make_period(make_point("Ochtend", district=mechelen), 3, "09:00", "12:00")
    make_period(make_point("Middag", district=mechelen), 3, "13:00", "16:00")
    make_period(make_point("Avond", district=mechelen), 3, "17:30", "20:00")
    assert _day_names(_finder(client, dag="2026-12-10", dagdeel="voormiddag")) == ["Ochtend"]
    assert _day_names(_finder(client, dag="2026-12-10", dagdeel="namiddag")) == ["Middag"]
    assert _day_names(_finder(client, dag="2026-12-10", dagdeel="avond")) == ["Avond"]
    assert _day_names(_finder(client, dag="2026-12-10")) == ["Ochtend", "Middag", "Avond"]


@time_machine.travel(brussels(2026, 12, 7, 14), tick=False)
def test_finder_today_leaves_out_a_point_whose_hours_are_over(client, city):
    mechelen, _ = city
    make_period(make_point("Ochtend", district=mechelen), 0, "09:00", "12:00")
    make_period(make_point("Middag", district=mechelen), 0, "13:00", "16:00")
    assert _day_names(_finder(client, dag="2026-12-07")) == ["Middag"]


@time_machine.travel(MONDAY, tick=False)
def test_finder_refuses_a_day_beyond_the_coming_week_next_to_the_field(client, city):
    response = _finder(client, dag="2026-12-20")
    assert response.status_code == 200
    assert response.context["form"].errors["dag"] == [
        "Kies een dag van vandaag tot een week verder."]
    assert "day_entries" not in response.context  # what is open now, instead


@time_machine.travel(MONDAY, tick=False)
def test_finder_offers_today_tomorrow_and_the_days_of_the_week_as_plain_links(client, city):
    body = _text(_finder(client, district="mechelen").content.decode())
    for label in ("Nu open", "Vandaag (maandag 7/12)", "Morgen (dinsdag 8/12)",
                  "woensdag 9/12", "zondag 13/12"):
        assert label in body
    assert 'href="?district=mechelen&amp;dag=2026-12-10"' in _finder(
        client, district="mechelen").content.decode()


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_costs_the_same_queries_at_5_and_200_points(client, city):
    mechelen, _ = city

    def add(rows):
        for _ in range(rows):
            make_period(make_point(district=mechelen), 3, "09:00", "12:00")
        bus = make_mobile_point(district=mechelen)
        make_deployment(bus, brussels(2026, 12, 10, 9), brussels(2026, 12, 10, 12))

    counts = []
    for rows in (5, 195):
        add(rows)
        with CaptureQueriesContext(connection) as queries:
            assert _finder(client, dag="2026-12-10").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- one truth: the finder and the point page ---------------------------------

_HOURS = re.compile(r'<span class="day-hours" data-day="([\d-]+)">(.*?)</span>')


def _seed_demo():
    core_demo.seed()
    outreach_demo.seed()
    points_demo._seed_reference()
    points_demo._seed_points()
    points_demo._seed_closures()
    points_demo._seed_deployments()


@time_machine.travel(brussels(2026, 12, 7, 6), tick=False)
def test_finder_and_point_page_agree_for_every_demo_point_on_each_of_the_next_7_days(client):
    _seed_demo()
    today = timezone.localdate()
    pages = {}
    for point in Point.objects.public():
        html = client.get(reverse("points:detail", args=[point.slug]), **NL).content.decode()
        pages[point.slug] = dict(_HOURS.findall(html))
        assert len(pages[point.slug]) == 7, point
    for offset in range(7):
        day = (today + timedelta(days=offset)).isoformat()
        html = _finder(client, dag=day).content.decode()
        cards = dict(re.findall(r'data-point="([\w-]+)">.*?(<span class="day-hours".*?</span>)',
                                html, re.S))
        for slug, hours in pages.items():
            shown = hours[day]
            open_that_day = not shown.startswith("Gesloten")
            assert (slug in cards) == open_that_day, (slug, day, shown)
            if open_that_day:
                assert _HOURS.search(cards[slug]).groups() == (day, shown), (slug, day)


# --- a mobile point elsewhere now --------------------------------------------


@time_machine.travel(brussels(2026, 12, 7, 10), tick=False)
def test_a_mobile_point_open_elsewhere_says_where_it_is_instead_of_closed(client, city):
    mechelen, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 7, 9, 30), brussels(2026, 12, 7, 12, 30),
                    place="Vrijbroekpark", street="Mechelsesteenweg 411", postcode="2812",
                    city="Muizen", district=muizen)
    make_deployment(bus, brussels(2026, 12, 9, 9, 30), brussels(2026, 12, 9, 12, 30),
                    place="Markt", street="Grote Markt 1", city="Mechelen")
    body = _text(_finder(client, district="mechelen").content.decode())
    assert ("Nu open in Muizen tot 12:30 Vrijbroekpark, Mechelsesteenweg 411, 2812 Muizen."
            in body)
    assert ("Vandaag geen halte meer in Mechelen; volgende halte hier: woensdag 9/12 om 09:30."
            in body)
    assert "Gesloten" not in body


@time_machine.travel(brussels(2026, 12, 7, 10), tick=False)
def test_a_mobile_point_open_elsewhere_says_when_it_comes_here_later_today(client, city):
    mechelen, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 7, 9, 30), brussels(2026, 12, 7, 12, 0),
                    postcode="2812", district=muizen)
    make_deployment(bus, brussels(2026, 12, 7, 14), brussels(2026, 12, 7, 16))
    body = _text(_finder(client, district="mechelen").content.decode())
    assert "Vandaag in Mechelen vanaf 14:00." in body


# --- issue 15, the new-user tester's minors ----------------------------------


@time_machine.travel(brussels(2026, 12, 7, 14), tick=False)
def test_finder_today_says_it_lists_the_points_still_open_today(client, city):
    mechelen, _ = city
    make_period(make_point("Middag", district=mechelen), 0, "13:00", "16:00")
    body = _text(_finder(client, dag="2026-12-07").content.decode())
    assert "Nog open vandaag" in body
    assert "Punten die vandaag al dicht zijn, staan er niet bij." in body
    assert "Nog open vandaag" not in _text(_finder(client, dag="2026-12-08").content.decode())


@time_machine.travel(MONDAY, tick=False)
def test_finder_part_of_the_day_leaves_out_a_stop_that_only_grazes_it(client, city):
    mechelen, _ = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 10, 9, 30), brussels(2026, 12, 10, 12, 30),
                    district=mechelen)
    make_period(make_point("Lunch", district=mechelen), 3, "11:00", "13:00")
    assert _day_names(_finder(client, dag="2026-12-10", dagdeel="namiddag")) == ["Lunch"]
    assert _day_names(_finder(client, dag="2026-12-10", dagdeel="voormiddag")) == [
        "Digibus", "Lunch"]


@time_machine.travel(MONDAY, tick=False)
def test_finder_on_a_day_and_a_district_shows_only_a_mobile_points_stops_there(client, city):
    mechelen, muizen = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 10, 9, 30), brussels(2026, 12, 10, 11, 30),
                    place="Vrijbroekpark", postcode="2812", district=muizen)
    make_deployment(bus, brussels(2026, 12, 10, 14), brussels(2026, 12, 10, 16),
                    place="Grote Markt", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 10, 18), brussels(2026, 12, 10, 20),
                    place="Nekker", district=mechelen)
    body = _text(_finder(client, dag="2026-12-10", district="mechelen").content.decode())
    assert "Grote Markt" in body and "Nekker" in body and "Vrijbroekpark" not in body
    body = _text(_finder(client, dag="2026-12-10", district="mechelen",
                         dagdeel="namiddag").content.decode())
    assert "Grote Markt" in body and "Nekker" not in body
    assert "Vrijbroekpark" in _text(_finder(client, dag="2026-12-10").content.decode())


@time_machine.travel(MONDAY, tick=False)
def test_finder_answers_an_unknown_part_of_the_day_in_plain_dutch(client, city):
    response = _finder(client, dag="2026-12-10", dagdeel="xyz")
    assert response.status_code == 200
    assert response.context["form"].errors["dagdeel"] == [
        "Kies de voormiddag, de namiddag of de avond."]


@time_machine.travel(brussels(2026, 12, 7, 10), tick=False)
def test_a_next_opening_today_or_tomorrow_is_worded_today_or_tomorrow(client, city):
    mechelen, _ = city
    bus = make_mobile_point("Digibus", district=mechelen)
    make_deployment(bus, brussels(2026, 12, 7, 16, 7), brussels(2026, 12, 7, 18))
    make_period(make_point("Bibliotheek", district=mechelen), 1, "09:00", "12:00")
    make_period(make_point("Sociaal Huis", district=mechelen), 3, "09:00", "12:00")
    body = _text(_finder(client).content.decode())
    assert "opent vandaag om 16:07" in body
    assert "opent morgen om 09:00" in body
    assert "opent donderdag 10 december om 09:00" in body
