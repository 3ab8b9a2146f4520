"""Issue 14, problem 5: the counter on a phone and a tablet. The search and
then pick, topics and finish before the queue at 375 px (the queue one tap
away), the day's finished visits folded,
no sideways scrolling at 320 px, and the keyboard focus where the host was
after a step and after the queue's refresh. axe-core after each htmx swap."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from points.models import Visit, VisitOutcome, VisitStatus
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.points.factories import make_topic, make_visit

PASSWORD = "correct horse battery"
TOPICS = ["itsme en eID", "Bankapp", "Tax-on-web en overheidsformulieren",
          "Goedkoop internet en sociaal tarief", "Schoolinschrijving", "Apps van het ziekenfonds"]


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Bibliotheek Het Predikheren")
    other = make_point("Digibank Huis")
    for name in TOPICS:
        make_topic(name)
    now = timezone.now()
    for minutes in range(12):  # a busy morning behind us
        make_visit(point, status=VisitStatus.DONE, outcome=VisitOutcome.SOLVED,
                   arrived_at=now - timedelta(minutes=60 + minutes), finished_at=now)
    waiting = make_visit(point, resident=make_resident("Maria", "Peeters"),
                         arrived_at=now - timedelta(minutes=5))
    return {"point": point, "waiting": waiting,
            "host": make_user("host", username="hanne", points=[point, other])}


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", timezone_id="Europe/Brussels",
        viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_search_pick_topics_and_finish_come_before_the_queue_at_375_px(phone_page, counter):
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/")
    height = phone_page.viewport_size["height"]
    assert _bottom(phone_page.locator("header")) < 80
    assert _bottom(phone_page.get_by_label("Zoek een bezoeker die al eens kwam")) < height
    # The queue is one tap away from the first screen.
    to_queue = phone_page.get_by_role("link", name="Naar de wachtrij")
    assert _bottom(to_queue) < height
    first_topic = phone_page.locator("#visit-topics input").first
    finish = phone_page.get_by_role("button", name="Nu afronden")
    queue_title = phone_page.get_by_role("heading", name="Vandaag", exact=True)
    assert first_topic.bounding_box()["y"] < height * 1.5
    assert first_topic.bounding_box()["y"] < finish.bounding_box()["y"]
    assert _bottom(finish) < queue_title.bounding_box()["y"]
    assert finish.bounding_box()["y"] < height * 3
    assert _page_width(phone_page) <= 375
    to_queue.click()
    expect(phone_page).to_have_url(re.compile(r"#queue-title$"))
    assert queue_title.bounding_box()["y"] < height


def test_from_the_picked_visitor_the_first_topic_is_a_tab_away(phone_page, counter):
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/")
    phone_page.get_by_label("Zoek een bezoeker die al eens kwam").fill("Maria")
    picked = phone_page.get_by_role("radio", name=re.compile("Maria Peeters"))
    picked.check()
    expect(picked).to_be_focused()
    first_topic = phone_page.locator("#visit-topics input").first
    tabs = 0
    while tabs < 10 and not first_topic.evaluate("el => el === document.activeElement"):
        phone_page.keyboard.press("Tab")
        tabs += 1
    expect(first_topic).to_be_focused()
    assert tabs <= 2
    # Focus order = visual order: the topics, then the finish, then the queue.
    finish = phone_page.get_by_role("button", name="Nu afronden")
    queue_title = phone_page.get_by_role("heading", name="Vandaag", exact=True)
    assert first_topic.bounding_box()["y"] < finish.bounding_box()["y"] \
        < queue_title.bounding_box()["y"]


def test_the_menu_folds_on_a_phone_and_opens_with_one_tap(phone_page, counter):
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/")
    nav = phone_page.get_by_role("navigation", name="Hoofdnavigatie")
    expect(nav).to_be_hidden()
    phone_page.get_by_text("Menu", exact=True).click()
    expect(nav.get_by_role("link", name="Inwoners")).to_be_visible()
    expect(phone_page.get_by_label("Punt waar je nu werkt")).to_be_visible()
    assert _page_width(phone_page) <= 375
    assert_no_serious_axe_violations(phone_page)


def test_the_menu_stays_open_on_a_wide_screen(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")
           .get_by_role("link", name="Inwoners")).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()


def test_the_days_finished_visits_are_folded_under_the_newest_three(phone_page, counter):
    login(phone_page, "hanne", PASSWORD)
    phone_page.goto("/balie/")
    visible = phone_page.get_by_test_id("closed-visit").filter(visible=True)
    expect(visible).to_have_count(3)
    phone_page.get_by_text("Eerder vandaag afgerond").click()
    expect(visible).to_have_count(10)  # one page of the finished list


def test_no_sideways_scrolling_at_320_px(narrow_page, counter):
    login(narrow_page, "hanne", PASSWORD)
    narrow_page.goto("/balie/")
    assert _page_width(narrow_page) <= 320
    narrow_page.get_by_text("Nieuwe inwoner").click()
    narrow_page.get_by_text("Menu", exact=True).click()
    narrow_page.get_by_text("Eerder vandaag afgerond").click()
    assert _page_width(narrow_page) <= 320
    narrow_page.get_by_text("Tax-on-web en overheidsformulieren").click()
    narrow_page.get_by_test_id("waiting-visit").get_by_role("button", name="Nu helpen").click()
    narrow_page.get_by_test_id("visit-with-host").wait_for()
    assert _page_width(narrow_page) <= 320
    assert_no_serious_axe_violations(narrow_page)


def test_the_focus_stays_on_the_control_through_the_queue_refresh(page, counter):
    page.clock.install()
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    hand_over = page.locator(f"#handover-{counter['waiting'].pk}")
    hand_over.focus()
    # Something changes at the point, so the next poll brings a new queue.
    make_visit(counter["point"], arrived_at=timezone.now())
    with page.expect_response(lambda response: "/balie/?versie=" in response.url):
        page.clock.run_for(16_000)
    expect(page.get_by_test_id("waiting-visit")).to_have_count(2)
    expect(hand_over).to_be_focused()
    assert_no_serious_axe_violations(page)


def test_after_help_now_the_focus_is_on_that_visits_next_step(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    visit = counter["waiting"]
    page.locator(f"#take-{visit.pk}").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("visit-with-host").wait_for()
    expect(page.locator(f"#finish-{visit.pk}-solved")).to_be_focused()
    assert_no_serious_axe_violations(page)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("visit-with-host")).to_have_count(0)
    # Finished, the visit is on top of the finished list: the focus is there.
    finished = page.locator(f'[data-testid="closed-visit"][data-visit="{visit.pk}"]')
    expect(finished.locator(":focus")).to_have_count(1)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DONE


def test_after_a_new_visit_is_saved_the_focus_is_on_the_search(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_text("Bankapp", exact=True).click()
    page.get_by_role("button", name="Nu afronden", exact=True).click()
    page.get_by_text("Bezoek geregistreerd").wait_for()
    expect(page.get_by_label("Zoek een bezoeker die al eens kwam")).to_be_focused()


def test_axe_finds_nothing_serious_after_the_counters_swaps(page, counter):
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    page.get_by_label("Zoek een bezoeker die al eens kwam").fill("Peeters")
    expect(page.get_by_label("Maria Peeters")).to_be_visible()
    assert_no_serious_axe_violations(page)
    with page.expect_response(lambda response: "/balie/aanbod/" in response.url):
        page.get_by_text("Bankapp", exact=True).click()
    page.wait_for_timeout(200)
    assert_no_serious_axe_violations(page)
