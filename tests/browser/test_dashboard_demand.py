"""A coordinator finds the busiest district for school registrations last
March, sees the unanswered demand and the evidence behind a suggestion, and
plans a mobile deployment from it, which knows its topic."""

import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from digibank.roles import sync_role_permissions
from points.models import MobileDeployment, VisitStatus
from soundboard.models import FeedbackTopic
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import (
    brussels,
    make_deployment,
    make_mobile_point,
    make_topic,
    make_visit,
)
from tests.soundboard.factories import at, make_board, make_item, make_meeting
from tests.trainings.factories import make_course
from trainings.models import InterestEntry

PASSWORD = "correct horse battery"


def test_coordinator_plans_a_mobile_deployment_where_school_registrations_peaked(
        page, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    battel = make_district("Battel", population=2000)
    mechelen = make_district("Mechelen", population=60000)
    point = make_point("Bib", district=mechelen)
    school = make_topic("Schoolinschrijving")
    # The same week of March in 2024 and 2025: a peak that comes back.
    for year, days in ((2024, (11, 12, 13)), (2025, (10, 11, 12))):
        for day in days:
            resident = make_resident(district=battel)
            make_visit(point, resident=resident,
                       arrived_at=brussels(year, 3, day, 10)).topics.add(school)
    make_visit(point, arrived_at=brussels(2025, 3, 10, 11)).topics.add(school)
    make_visit(point, resident=make_resident(district=battel), status=VisitStatus.LEFT,
               arrived_at=brussels(2025, 3, 25, 10)).topics.add(school)
    course = make_course("Online inschrijven voor school")
    course.topics.add(school)
    InterestEntry.objects.create(resident=make_resident(district=battel), course=course)
    board = make_board("Klankbord ouders")
    make_item(board, "Hulp bij het inschrijven in Battel", about="inschrijfhulp", course=course,
              meeting=make_meeting(board, starts_at=at(2026, 1, 15)),
              topic=FeedbackTopic.MISSING_SERVICE)
    bus = make_mobile_point("Digibus")
    # Where a mobile point stopped in Battel before: the suggestion stops there.
    make_deployment(bus, brussels(2025, 3, 10, 10), brussels(2025, 3, 10, 16), district=battel,
                    place="Dorpsplein Battel", street="Battelsesteenweg 400")

    with time_machine.travel("2026-02-20 09:00 +0100", tick=True):
        login(page, "cora", PASSWORD)
        page.get_by_role("link", name="Vraag en mobiele punten").first.click()
        districts = page.get_by_role("region", name="Vraag per deelgemeente")
        districts.locator("#id_start").fill("2025-03-01")
        districts.locator("#id_end").fill("2025-03-31")
        districts.get_by_label("Onderwerp").select_option(label="Schoolinschrijving")
        districts.get_by_role("button", name="Toon de cijfers").click()
        first = page.get_by_role("region", name="Vraag per deelgemeente").get_by_role(
            "row").nth(1)
        assert first.get_by_role("rowheader").inner_text() == "Battel"

        unanswered = page.get_by_role("region", name="Onbeantwoorde vraag")
        left = unanswered.get_by_role(
            "table", name="Mensen die weggingen zonder hulp, per deelgemeente en onderwerp")
        assert left.get_by_role("row").nth(1).inner_text().split() == [
            "Battel", "Schoolinschrijving", "1"]
        interest = unanswered.get_by_role("table", name="Open interesselijsten: opleidingen "
                                          "die ontbreken, per deelgemeente")
        expect(interest.get_by_role("link", name="Online inschrijven voor school")).to_be_visible()
        feedback = unanswered.get_by_role(
            "table", name="Diensten die klankbordgroepen missen, nog open")
        expect(feedback.get_by_role("link", name="inschrijfhulp")).to_be_visible()
        peaks = page.get_by_role("region", name="Pieken die terugkeren")
        assert peaks.get_by_role("row").nth(1).inner_text().split("\t") == [
            "Schoolinschrijving", "week 11", "2024 en 2025"]

        suggestion = page.get_by_role("article").filter(
            has=page.get_by_role("heading", name="Schoolinschrijving in Battel"))
        evidence = suggestion.get_by_role("list", name="Onderbouwing").get_by_role("listitem")
        assert evidence.all_inner_texts() == [
            "Bezoeken over Schoolinschrijving vanuit Battel in dezelfde week: 3 in 2025 en 3 in "
            "2024.",
            "Piek keert terug: ook in 2024.",
            "1 persoon ging weg zonder hulp in het voorbije jaar.",
            "1 inwoner staat op een interesselijst.",
            "Klankbord ouders vroeg om inschrijfhulp op 15/01/2026.",
            "2,0 bezoeken per 1.000 inwoners in het voorbije jaar.",
            "In deze deelgemeente is geen vast punt open.",
        ]
        assert_no_serious_axe_violations(page)

        # The heat map per 1,000 inhabitants: Battel's rush on the city's scale.
        districts = page.get_by_role("region", name="Vraag per deelgemeente")
        districts.get_by_label("Kleur van de warmtekaart").select_option(
            label="Bezoeken per 1.000 inwoners")
        districts.get_by_role("button", name="Toon de cijfers").click()
        expect(page.get_by_role("heading", name="Bezoeken per 1.000 inwoners per deelgemeente "
                                "en week van het jaar")).to_be_visible()
        assert_no_serious_axe_violations(page)

        suggestion = page.get_by_role("article").filter(
            has=page.get_by_role("heading", name="Schoolinschrijving in Battel"))
        suggestion.get_by_role("button", name="Plan in Battel").click()
        expect(page.get_by_text("Inzet van het mobiele punt gepland")).to_be_visible()
        assert page.get_by_role("heading", name="Schoolinschrijving in Battel").count() == 0

        # The deployment knows its topic: the coordinator's list shows it,
        # and the form lets them change it.
        page.goto(reverse("points:manage-deployments", args=[bus.pk]))
        expect(page.get_by_text("Onderwerp: Schoolinschrijving")).to_be_visible()
        page.get_by_role("link", name="Wijzigen").first.click()
        topic = page.get_by_label("Onderwerp")
        assert topic.evaluate("el => el.selectedOptions[0].text") == "Schoolinschrijving"
        assert_no_serious_axe_violations(page)
        topic.select_option(label="Geen onderwerp")
        page.get_by_role("button", name="Bewaren").click()
        assert page.get_by_text("Onderwerp: Schoolinschrijving").count() == 0
    deployment = MobileDeployment.objects.get(starts_at__year=2026)
    assert (deployment.point, deployment.district, deployment.topic) == (bus, battel, None)
    assert deployment.address == "Battelsesteenweg 400, 2800 Mechelen"
    assert deployment.starts_at == brussels(2026, 3, 9, 10)
