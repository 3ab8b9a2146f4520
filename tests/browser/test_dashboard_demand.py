"""A coordinator finds the busiest district for school registrations last
March and plans a mobile deployment from the suggestion."""

import time_machine

from digibank.roles import sync_role_permissions
from points.models import MobileDeployment
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_district, make_point, make_resident, make_user
from tests.points.factories import brussels, make_mobile_point, make_topic, make_visit

PASSWORD = "correct horse battery"


def test_coordinator_plans_a_mobile_deployment_where_school_registrations_peaked(
        page, transactional_db):
    sync_role_permissions()
    make_user("coordinator", username="cora", password=PASSWORD)
    battel = make_district("Battel", population=2000)
    mechelen = make_district("Mechelen", population=60000)
    point = make_point("Bib", district=mechelen)
    school = make_topic("Schoolinschrijving")
    for n, day in enumerate((10, 11, 12)):
        resident = make_resident(phone=f"047000000{n}", district=battel)
        make_visit(point, resident=resident,
                   arrived_at=brussels(2025, 3, day, 10)).topics.add(school)
    make_visit(point, arrived_at=brussels(2025, 3, 10, 11)).topics.add(school)
    bus = make_mobile_point("Digibus")

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
        assert_no_serious_axe_violations(page)

        page.get_by_role("button", name="Plan in Battel").click()
        assert page.get_by_text("Inzet van het mobiele punt gepland").is_visible()
    deployment = MobileDeployment.objects.get()
    assert (deployment.point, deployment.district) == (bus, battel)
    assert deployment.starts_at == brussels(2026, 3, 9, 10)
