"""Calendar feeds any client reads the same: the same instants whether the
client lives in UTC or in Brussels; every training session in exactly one
place's feed; each feed linked from the page it belongs to; no stop on a
closure."""

import os
import time
from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from points.models import Closure
from tests.factories import make_partner
from tests.points.factories import brussels, make_deployment, make_mobile_point
from tests.trainings.factories import make_course, make_open_point, make_session

pytestmark = pytest.mark.django_db
NOW = brussels(2026, 12, 1, 8)
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_zone():
    """Run a block as a client whose machine lives in ``zone``."""
    before = os.environ.get("TZ")

    def switch(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield switch
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def _instants(body: bytes, zone: str) -> list[tuple]:
    """(start, end) of each event as a client in ``zone`` reads them, in UTC:
    by the feed's own VTIMEZONE when it has one (as a client without a
    time-zone database would), else by the value as written."""
    ical = Calendar.from_ical(body)
    zones = {str(tz["TZID"]): tz.to_tz() for tz in ical.walk("VTIMEZONE")}
    read = []
    for event in ical.walk("VEVENT"):
        pair = []
        for name in ("DTSTART", "DTEND"):
            prop = event[name]
            moment = prop.dt
            tzid = prop.params.get("TZID")
            if tzid:
                assert tzid in zones, f"TZID {tzid} without a VTIMEZONE"
                moment = moment.replace(tzinfo=zones[tzid])
            assert moment.tzinfo is not None, "a floating time: every client reads it otherwise"
            pair.append(moment.astimezone(ZoneInfo(zone)).astimezone(UTC))
        read.append(tuple(pair))
    return read


@pytest.mark.parametrize("url_name", ["points:deployments-ics", "trainings:ical"])
def test_feeds_read_the_same_instants_in_utc_and_in_brussels(client, client_zone, url_name):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 12, 4, 9, 30), brussels(2026, 12, 4, 12, 30))
    make_deployment(bus, brussels(2027, 6, 4, 9, 30), brussels(2027, 6, 4, 12, 30))  # summer
    make_session(point=make_open_point(), starts_at=brussels(2026, 12, 4, 9, 30))
    body = client.get(reverse(url_name)).content
    end = (12, 30) if url_name == "points:deployments-ics" else (11, 30)  # a 2-hour session
    expected = (brussels(2026, 12, 4, 9, 30).astimezone(UTC),
                brussels(2026, 12, 4, *end).astimezone(UTC))
    readings = {}
    for zone in ("UTC", "Europe/Brussels"):
        client_zone(zone)
        readings[zone] = _instants(body, zone)
    assert readings["UTC"] == readings["Europe/Brussels"]
    assert readings["UTC"][0] == expected
    if url_name == "points:deployments-ics":
        assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Brussels" in body
        assert readings["UTC"][1][0] == brussels(2027, 6, 4, 9, 30).astimezone(UTC)


def test_every_session_is_in_exactly_one_place_feed(client):
    here, there = make_open_point("Hier"), make_open_point("Daar")
    venue = make_partner("Bibliotheek", is_training_partner=True)
    for index, place in enumerate((here, there, venue, here)):
        where = {"venue": place, "point": None} if place == venue else {"point": place}
        make_session(make_course(f"Cursus {index}"), starts_at=brussels(2026, 12, 3 + index, 10),
                     **where)

    def uids(url: str) -> list[str]:
        body = client.get(url).content
        return [str(event["UID"]) for event in Calendar.from_ical(body).walk("VEVENT")]

    everything = uids(reverse("trainings:ical"))
    per_place = (uids(reverse("trainings:point-ical", args=[here.slug]))
                 + uids(reverse("trainings:point-ical", args=[there.slug]))
                 + uids(reverse("trainings:venue-ical", args=[venue.slug])))
    assert len(everything) == 4
    assert sorted(per_place) == sorted(everything)


def test_each_feed_is_linked_from_the_page_it_belongs_to(client):
    point = make_open_point("Hier")
    venue = make_partner("Bibliotheek", is_training_partner=True)
    bus = make_mobile_point("Digibus")
    make_session(point=point, starts_at=brussels(2026, 12, 3, 10))
    at_venue = make_session(venue=venue, point=None, starts_at=brussels(2026, 12, 4, 10))
    point_page = client.get(reverse("points:detail", args=[point.slug])).content.decode()
    assert reverse("trainings:point-ical", args=[point.slug]) in point_page
    bus_page = client.get(reverse("points:detail", args=[bus.slug])).content.decode()
    assert reverse("points:point-deployments-ics", args=[bus.slug]) in bus_page
    listing = client.get(reverse("trainings:public-list")).content.decode()
    assert reverse("trainings:point-ical", args=[point.slug]) in listing
    assert reverse("trainings:venue-ical", args=[venue.slug]) in listing
    detail = client.get(reverse("trainings:public-detail", args=[at_venue.pk])).content.decode()
    assert reverse("trainings:venue-ical", args=[venue.slug]) in detail


def test_a_stop_on_a_closure_is_in_no_feed_or_page(client):
    bus = make_mobile_point("Digibus")
    make_deployment(bus, brussels(2026, 12, 24, 9, 30), brussels(2026, 12, 24, 12, 30),
                    place="Markt")
    make_deployment(bus, brussels(2026, 12, 25, 9, 30), brussels(2026, 12, 25, 12, 30),
                    place="Hof van Egmont")
    # A holiday written straight into the table, as data from before the calendar held.
    Closure.objects.create(point=None, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26),
                           reason="Kerstmis")
    for url in (reverse("points:deployments-ics"),
                reverse("points:point-deployments-ics", args=[bus.slug]),
                reverse("points:detail", args=[bus.slug]), reverse("points:open-data")):
        body = client.get(url).content.decode()
        assert "Markt" in body and "Hof van Egmont" not in body, url


def test_a_mobile_points_page_and_its_feeds_hold_the_same_stops(client):
    bus = make_mobile_point("Digibus")
    for day in range(2, 26):  # 24 stops, one a day
        make_deployment(bus, brussels(2026, 12, day, 9, 30), brussels(2026, 12, day, 12, 30),
                        place=f"Halte {day}")
    feed = Calendar.from_ical(client.get(
        reverse("points:point-deployments-ics", args=[bus.slug])).content)
    in_feed = sorted(str(event["SUMMARY"]) for event in feed.walk("VEVENT"))
    data = client.get(reverse("points:open-data")).json()
    in_data = [stop["place"] for point in data["points"] if point["slug"] == bus.slug
               for stop in point["deployments"]]
    page = client.get(reverse("points:detail", args=[bus.slug]))
    more = page.content.decode()
    assert len(page.context["stops"]) == 10
    assert "Nog 14 haltes gepland." in more and "?haltes=alle#stops" in more
    everything = client.get(reverse("points:detail", args=[bus.slug]), {"haltes": "alle"})
    on_page = sorted(f"Digibus: {stop.place}" for stop in everything.context["stops"])
    assert len(on_page) == len(in_feed) == len(in_data) == 24
    assert on_page == in_feed
    assert 'data-testid="more-stops"' not in everything.content.decode()
