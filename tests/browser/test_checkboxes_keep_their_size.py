"""Checkboxes keep their size when their label wraps (a long topic name at
375 px and at 1280 px)."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import login
from tests.factories import make_point, make_user
from tests.points.factories import make_topic

PASSWORD = "correct horse battery"
LONG = ["Tax-on-web en overheidsformulieren", "Veilig online: herken oplichting",
        "Goedkoop internet en sociaal tarief", "itsme en eID"]


@pytest.fixture
def counter(transactional_db):
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point = make_point("Digibank Huis")
    for name in LONG:
        make_topic(name)
    make_user("host", username="hanne", points=[point])


def _box_sizes(page) -> list[tuple[float, float]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#visit-topics input'))
        .map(el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })""")


@pytest.mark.parametrize("width", [375, 320, 1280])
def test_topic_checkboxes_keep_their_size_when_the_label_wraps(page, counter, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "hanne", PASSWORD)
    page.goto("/balie/")
    sizes = _box_sizes(page)
    assert len(sizes) == len(LONG)
    widths = {round(w) for w, _ in sizes}
    heights = {round(h) for _, h in sizes}
    assert len(widths) == 1 and len(heights) == 1, sizes
    assert min(widths) >= 20
