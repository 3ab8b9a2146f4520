"""QR posters: target URLs, scan counting and channel attribution."""

import pytest
import time_machine
from django.urls import reverse

from dashboard.reach import reach_per_channel
from outreach.models import Poster, QrScan
from outreach.services import poster_for
from tests.factories import make_point, make_user
from tests.outreach.factories import make_channel, make_poster, make_visit

pytestmark = pytest.mark.django_db


def test_poster_qr_target_is_the_points_public_page_with_the_channel():
    poster = make_poster(make_point(slug="bib"), make_channel("Flyer", slug="flyer"))
    assert poster.target_path == "/punten/bib/?kanaal=flyer"


def test_scanning_counts_and_redirects_to_the_point_page(client):
    poster = make_poster(make_point(slug="bib"), make_channel("Affiche", slug="affiche"))
    response = client.get(reverse("outreach:qr", args=[poster.code]))
    assert response.status_code == 302
    assert response["Location"] == "/punten/bib/?kanaal=affiche"
    assert QrScan.objects.filter(poster=poster).count() == 1


def test_every_scan_is_counted_without_storing_anything_about_the_visitor(client):
    poster = make_poster()
    client.get(reverse("outreach:qr", args=[poster.code]))
    client.get(reverse("outreach:qr", args=[poster.code]))
    assert QrScan.objects.filter(poster=poster).count() == 2
    assert {f.name for f in QrScan._meta.get_fields()} == {"id", "poster", "scanned_at"}


def test_unknown_code_gives_404(client):
    assert client.get(reverse("outreach:qr", args=["nope"])).status_code == 404


def test_poster_is_made_once_per_point_and_channel():
    point, channel = make_point(), make_channel()
    first = poster_for(point=point, channel=channel)
    assert poster_for(point=point, channel=channel) == first
    assert Poster.objects.count() == 1


def test_poster_page_shows_the_qr_code_and_the_opening_hours(client):
    from datetime import time

    from points.models import OpeningPeriod

    point = make_point("Digibank Bib", slug="bib")
    OpeningPeriod.objects.create(point=point, weekday=0, opens=time(9), closes=time(12))
    make_channel("Affiche", slug="affiche")
    client.force_login(make_user("host", points=[point]))
    response = client.get(reverse("outreach:poster", args=["bib", "affiche"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in content
    assert "09:00" in content and "Digibank Bib" in content
    code = Poster.objects.get().code
    assert f"/q/{code}/" in content


def test_flyer_page_uses_the_a5_layout(client):
    make_point(slug="bib")
    make_channel("Flyer", slug="flyer")
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:flyer", args=["bib", "flyer"]))
    assert "poster-a5" in response.content.decode()


def test_reach_per_channel_counts_visits_and_scans_of_that_channel():
    point = make_point()
    poster_channel, magazine = make_channel("Affiche"), make_channel("Stadsmagazine")
    poster = make_poster(point, poster_channel)
    for _ in range(3):
        make_visit(point, channel=poster_channel)
    make_visit(point, channel=magazine)
    make_visit(point)
    QrScan.objects.create(poster=poster)
    QrScan.objects.create(poster=poster)
    rows = {channel.name: channel for channel in reach_per_channel()}
    assert (rows["Affiche"].visit_count, rows["Affiche"].scan_count) == (3, 2)
    assert (rows["Stadsmagazine"].visit_count, rows["Stadsmagazine"].scan_count) == (1, 0)


def test_reach_per_channel_respects_the_period():
    from datetime import date

    point, channel = make_point(), make_channel("Affiche")
    with time_machine.travel("2026-09-15 10:00 +02:00"):
        make_visit(point, channel=channel)
    with time_machine.travel("2026-10-15 10:00 +02:00"):
        make_visit(point, channel=channel)
    rows = reach_per_channel(date(2026, 10, 1), date(2026, 10, 31))
    assert rows[0].visit_count == 1


def test_poster_leaves_out_hours_that_are_no_longer_valid(client):
    from datetime import date, time

    from points.models import OpeningPeriod

    point = make_point(slug="bib")
    OpeningPeriod.objects.create(point=point, weekday=1, opens=time(13), closes=time(16),
                                 valid_until=date(2020, 8, 31))
    make_channel("Affiche", slug="affiche")
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("outreach:poster", args=["bib", "affiche"]))
    assert "13:00" not in response.content.decode()
