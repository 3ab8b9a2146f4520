"""Every paper the app prints, rendered to PDF by Chromium for the longest
case the demo knows (a point open six days a week, twice a day, with long
names) and counted: one page each, on the paper size it is made for, and
its QR codes decode to the address they promise."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from digibank.roles import sync_role_permissions
from outreach.models import Poster
from tests.browser.printing import decode_qr_codes, page_size_mm, pdf_text, print_pdf, sign_in
from tests.factories import make_point, make_user
from tests.points.factories import make_channel, make_period

LONG_POINT_NAME = "Digibank Lokaal Dienstencentrum Hanswijk-Nekkerspoel en Sint-Romboutskwartier"
A4 = (210, 297)
A5 = (148, 210)


@pytest.fixture
def busy_point(transactional_db):
    """The longest case: six opening days with two periods each."""
    sync_role_permissions()
    cache.clear()
    point = make_point(LONG_POINT_NAME, slug="dienstencentrum-hanswijk-nekkerspoel",
                       street="Goswin de Stassartstraat 137 bus 12", postcode="2800",
                       phone="015 29 40 00")
    for weekday in range(6):
        make_period(point, weekday, "09:00", "12:30")
        make_period(point, weekday, "13:30", "17:00")
    return point


@pytest.fixture
def coordinator(busy_point):
    return make_user("coordinator", first_name="Anne-Sophie", last_name="Vandenbossche-Verhoeven",
                     points=[busy_point])


@pytest.mark.parametrize(("address", "paper"), [("poster", A4), ("flyer", A5)])
def test_poster_and_flyer_print_on_one_sheet_and_their_qr_code_leads_to_the_point(
        page, live_server, busy_point, coordinator, tmp_path, address, paper):
    channel = make_channel("QR-code op affiche", slug="qr-code")
    sign_in(page, live_server, coordinator)
    page.goto(reverse(f"outreach:{address}", args=[busy_point.slug, channel.slug]))
    reader = print_pdf(page, tmp_path / f"{address}.pdf")
    assert len(reader.pages) == 1, pdf_text(reader)
    assert page_size_mm(reader) == paper
    text = pdf_text(reader)
    assert "zaterdag" in text and "13:30–17:00" in text
    poster = Poster.objects.get(point=busy_point, channel=channel)
    promised = live_server.url + reverse("outreach:qr", args=[poster.code])
    assert promised in text.replace(" ", "")
    assert decode_qr_codes(page) == [promised]
    page.goto(promised)
    assert page.url == live_server.url + poster.target_path
