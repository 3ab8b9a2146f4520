"""Issue 14, problem 6 in the browser: the resident's story on one page,
the coach queue's link to the person, what the person has on the hand-out
screen before a tag is typed, and whose device it is on the return screen
before anything is saved."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devices.models import DeviceKind, LoanStatus, Reservation
from digibank.roles import sync_role_permissions
from points.models import VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.devices.factories import make_device, make_loan, make_subscription
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit
from tests.trainings.factories import make_course, make_enrolment, make_session

PASSWORD = "correct horse battery"


@pytest.fixture
def maria(transactional_db):
    sync_role_permissions()
    point = make_point("Digibank Huis")
    make_user("host", username="hanne", points=[point])
    make_user("coach", username="karim", points=[point])
    resident = make_resident("Maria", "Peeters", phone="0470123456")
    subscription = make_subscription(resident)
    make_loan(make_device(DeviceKind.LAPTOP, asset_tag="DB-00042"), subscription,
              handed_out_at=timezone.now())
    Reservation.objects.create(subscription=subscription, resident=resident,
                               kind=DeviceKind.TABLET, slot="mobile",
                               pickup_point=make_point("Bib Noord"))
    visit = make_visit(point, resident=resident, status=VisitStatus.DONE,
                       outcome=VisitOutcome.SOLVED, finished_at=timezone.now())
    visit.topics.add(make_topic("Bankapp"))
    make_enrolment(make_session(make_course("Werken met itsme"), point=point), resident)
    return {"point": point, "resident": resident}


def test_the_resident_page_tells_their_story_with_what_they_have_now(page, maria):
    login(page, "hanne", PASSWORD)
    page.goto(f"/inwoners/{maria['resident'].pk}/")
    now = page.get_by_test_id("story-now")
    expect(now.get_by_role("link", name="Laptop DB-00042")).to_be_visible()
    expect(now.get_by_text("Bib Noord")).to_be_visible()
    expect(now.get_by_role("link", name="Werken met itsme")).to_be_visible()
    story = page.get_by_test_id("story")
    expect(story.get_by_role("link", name="Bankapp")).to_be_visible()
    # What runs now is told once, on top: the loan is not repeated below.
    expect(story.get_by_role("link", name="Laptop DB-00042")).to_have_count(0)
    now.get_by_role("link", name="Laptop DB-00042").click()
    expect(page.get_by_role("heading", name="DB-00042")).to_be_visible()
    page.go_back()
    assert_no_serious_axe_violations(page)


def test_the_coach_queue_links_to_the_person(page, maria):
    make_visit(maria["point"], resident=maria["resident"],
               status=VisitStatus.WAITING_FOR_COACH, handed_over_at=timezone.now())
    login(page, "karim", PASSWORD)
    page.goto("/balie/coach/")
    page.get_by_test_id("handover").get_by_role("link", name="Maria Peeters").click()
    expect(page.get_by_role("heading", name="Maria Peeters")).to_be_visible()


def test_the_hand_out_shows_what_they_have_before_a_tag_is_typed(page, maria):
    login(page, "hanne", PASSWORD)
    page.goto(f"/balie/uitlenen/?inwoner={maria['resident'].pk}")
    has_now = page.get_by_test_id("has-now")
    expect(has_now.get_by_text("DB-00042")).to_be_visible()
    expect(has_now.get_by_text("op een andere plaats")).to_be_visible()
    assert page.get_by_label("Inventarisnummer").input_value() == ""
    assert_no_serious_axe_violations(page)


def test_the_return_shows_whose_device_it_is_before_saving(page, maria):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/terugbrengen/")
    page.get_by_label("Inventarisnummer").fill("db-00042")
    expect(page.get_by_test_id("borrower")).to_contain_text(
        "Laptop DB-00042 is uitgeleend aan Maria Peeters")
    assert maria["resident"].device_loans.get().status == LoanStatus.ISSUED
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("width", [320, 375])
def test_the_resident_page_does_not_scroll_sideways_on_a_phone(browser, live_server, maria,
                                                              width):
    from tests.factories import make_consent, make_partner

    resident = maria["resident"]
    partner = make_partner("Centrum voor Algemeen Welzijnswerk Provincie Antwerpen")
    make_consent(resident, "share_partner", partner=partner, collected_by_partner=partner)
    make_consent(resident, "contact")
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", timezone_id="Europe/Brussels",
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, "hanne", PASSWORD)
    page.goto(f"/inwoners/{resident.pk}/")
    expect(page.locator("#consents")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each consent reads as labelled lines.
    consents = page.get_by_test_id("consents")
    expect(consents.get_by_text("Centrum voor Algemeen Welzijnswerk").first).to_be_visible()
    expect(consents.get_by_text("Gegeven op:").first).to_be_visible()
    context.close()
