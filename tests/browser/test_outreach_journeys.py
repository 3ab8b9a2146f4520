"""Outreach journeys in Chromium: a home-care partner's contact request
followed to the end, a host working the call list, axe-core on the partner
inbox and on a printed poster."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from digibank.models import CallTask
from digibank.roles import sync_role_permissions
from outreach.models import Direction, PartnerKind, Referral, ReferralStatus
from outreach.services import ContactPerson, change_referral_status, submit_contact_request
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_partner, make_point, make_user
from tests.outreach.factories import make_channel, make_referral

PASSWORD = "correct horse battery"


@pytest.fixture
def roles(transactional_db):
    sync_role_permissions()


@pytest.fixture
def home_care_user(roles):
    partner = make_partner("Familiehulp", kind=PartnerKind.HOME_CARE)
    return make_user("partner", username="els", partner=partner)


def test_home_care_partner_submits_a_contact_request_and_later_sees_it_completed(
    page, home_care_user
):
    login(page, "els", PASSWORD)
    page.get_by_role("link", name="Contactaanvraag", exact=True).first.click()
    page.get_by_label("Voornaam").fill("Rita")
    page.get_by_label("Achternaam").fill("Claes")
    page.get_by_label("Telefoon").fill("0470 11 22 33")
    page.get_by_label("Waarbij heeft de persoon hulp nodig?").fill("Wil leren bankieren")
    page.get_by_label("De persoon gaat akkoord dat de digibank contact opneemt.").check()
    page.get_by_label("Op papier, ondertekend").check()
    page.get_by_role("button", name="Contactaanvraag versturen").click()
    assert page.get_by_test_id("referral-status").inner_text() == "Aangevraagd"

    referral = Referral.objects.get()
    host = make_user("host")
    change_referral_status(actor=host, referral=referral, status=ReferralStatus.CONTACTED)
    change_referral_status(actor=host, referral=referral, status=ReferralStatus.COMPLETED,
                           outcome="Gebruikt nu de bankapp")

    page.get_by_role("link", name="Doorverwijzingen", exact=True).first.click()
    page.get_by_role("link", name=f"#{referral.pk}").click()
    assert page.get_by_test_id("referral-status").inner_text() == "Afgerond"
    assert page.get_by_test_id("referral-outcome").inner_text() == "Gebruikt nu de bankapp"


def test_partner_inbox_has_no_serious_accessibility_violations(page, home_care_user):
    make_referral(partner=home_care_user.partner, direction=Direction.OUT)
    make_referral(partner=home_care_user.partner, direction=Direction.IN,
                  status=ReferralStatus.CONTACTED)
    login(page, "els", PASSWORD)
    page.goto("/doorverwijzingen/")
    expect(page.get_by_role("table")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.goto("/doorverwijzingen/contactaanvraag/")
    assert_no_serious_axe_violations(page)


def test_host_works_the_call_list_and_the_partner_sees_the_result(page, home_care_user):
    point = make_point("Digibank Bib", slug="bib")
    make_user("host", username="hanne", points=[point])
    referral = submit_contact_request(
        actor=home_care_user, partner=home_care_user.partner,
        person=ContactPerson(first_name="Rita", last_name="Claes", phone="0470112233"),
        reason="Wil leren bankieren", consent_method="paper",
        consent_given_on=timezone.localdate(), preferred_point=point,
    )
    login(page, "hanne", PASSWORD)
    page.goto("/bel-lijst/")
    task = CallTask.objects.get()
    row = page.locator(f"#call-{task.pk}")
    assert "Claes" in row.inner_text()
    row.get_by_label(re.compile("Bereikt|Reached")).check()
    row.get_by_role("button", name=re.compile("Resultaat bewaren|Save result")).click()
    page.locator(f"#call-{task.pk} .message-success").wait_for()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONTACTED

    page.context.clear_cookies()
    login(page, "els", PASSWORD)
    page.goto(f"/doorverwijzingen/{referral.pk}/")
    assert page.get_by_test_id("referral-status").inner_text() == "Gecontacteerd"


def test_printed_poster_page_has_a_qr_code_and_no_serious_violations(page, roles):
    make_point("Digibank Bib", slug="bib")
    make_channel("Affiche", slug="affiche")
    make_user("coordinator", username="kamala")
    login(page, "kamala", PASSWORD)
    page.goto("/campagne/affiche/bib/affiche/")
    page.emulate_media(media="print")
    qr_code = page.get_by_role("img", name="QR-code naar de pagina van dit digibankpunt")
    expect(qr_code).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    assert_no_serious_axe_violations(page)


def test_campaign_page_links_to_every_points_poster(page, roles):
    make_point("Digibank Bib", slug="bib")
    make_channel("Affiche", slug="affiche")
    make_user("coordinator", username="kamala")
    login(page, "kamala", PASSWORD)
    page.goto("/campagne/")
    page.get_by_role("link", name=re.compile("A4 Digibank Bib Affiche")).click()
    assert page.url.endswith("/campagne/affiche/bib/affiche/")
    assert_no_serious_axe_violations(page)


def test_home_visitor_fills_the_contact_request_on_a_phone_without_sideways_scrolling(
    phone_page, home_care_user
):
    login(phone_page, "els", PASSWORD)
    phone_page.goto("/doorverwijzingen/contactaanvraag/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    phone_page.get_by_label("Voornaam").fill("Jan")
    phone_page.get_by_label("Achternaam").fill("Smet")
    phone_page.get_by_label("Adres").fill("Kerkstraat 1, 2811 Hombeek")
    phone_page.get_by_label("Waarbij heeft de persoon hulp nodig?").fill("Tax-on-web")
    phone_page.get_by_label("De persoon gaat akkoord dat de digibank contact opneemt.").check()
    phone_page.get_by_role("button", name="Contactaanvraag versturen").click()
    assert phone_page.get_by_test_id("referral-status").inner_text() == "Aangevraagd"
    assert Referral.objects.get().contact_address == "Kerkstraat 1, 2811 Hombeek"
