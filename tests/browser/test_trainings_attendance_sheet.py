"""The printed attendance sheet: trainer, course, series and blank rows for
walk-ins, on one A4 page (rendered to PDF by Chromium)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from digibank.roles import sync_role_permissions
from tests.browser.conftest import assert_no_serious_axe_violations, login
from tests.factories import make_point, make_resident, make_user
from tests.trainings.factories import make_course, make_enrolment, make_run
from trainings.models import EnrolmentStatus

PASSWORD = "correct horse battery"


@pytest.fixture
def point(transactional_db):
    sync_role_permissions()
    cache.clear()
    return make_point("Digibank Huis van de Mechelaar", street="Grote Markt 21",
                      postcode="2800")


def test_attendance_sheet_of_a_full_series_session_prints_on_one_a4_page(page, point, tmp_path):
    coach = make_user("coach", username="karim", password=PASSWORD, points=[point],
                      first_name="Karim", last_name="Benali")
    run = make_run(make_course("Je smartphone veilig gebruiken"), weeks=4, point=point,
                   capacity=14, trainer=coach, room="Zaal Dijle, eerste verdieping",
                   starts_at=timezone.now() + timedelta(days=1))
    session = run.sessions.order_by("starts_at")[1]
    for n in range(14):
        make_enrolment(session, make_resident("Anna-Maria Josephina", f"Van den Bossche-{n:02}",
                                              phone=f"04701234{n:02}"))
    for n in range(3):
        make_enrolment(session, make_resident("Mohammed", f"El Amrani-{n}"),
                       status=EnrolmentStatus.WAITING)
    login(page, "karim", PASSWORD)
    page.goto(f"/opleidingen/sessies/{session.pk}/aanwezigheidslijst/")
    page.get_by_role("heading",
                     name="Aanwezigheidslijst: Je smartphone veilig gebruiken").wait_for()
    assert_no_serious_axe_violations(page)
    page.pdf(path=tmp_path / "lijst.pdf", format="A4")
    reader = PdfReader(tmp_path / "lijst.pdf")
    assert len(reader.pages) == 1, repr(reader.pages[-1].extract_text())
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Karim Benali" in text and "Sessie 2 van 4" in text
    assert "Binnenlopers: naam en telefoonnummer" in text
    assert "Van den Bossche-13" in text and "El Amrani-2" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert height > width  # portrait


def test_a_walk_in_mark_prints_smaller_than_the_name(page, point):
    from trainings.models import EnrolmentChannel

    coach = make_user("coach", username="karim", password=PASSWORD, points=[point])
    run = make_run(make_course("Je smartphone veilig gebruiken"), weeks=1, point=point,
                   trainer=coach)
    session = run.sessions.get()
    make_enrolment(session, make_resident("Anna", "Wouters"), channel=EnrolmentChannel.WALK_IN,
                   status=EnrolmentStatus.ATTENDED)
    login(page, "karim", PASSWORD)
    page.emulate_media(media="print")
    page.goto(f"/opleidingen/sessies/{session.pk}/aanwezigheidslijst/")
    mark = page.locator(".walk-in-mark")
    name_size = mark.evaluate("el => parseFloat(getComputedStyle(el.parentElement).fontSize)")
    mark_size = mark.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert mark_size < name_size
