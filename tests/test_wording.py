"""Dutch number formats, no "@" in what people read, consistent labels,
and labels that start with a capital."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from atelier.forms import HoursForm
from points.forms import DeploymentForm
from tests.atelier.factories import make_worker
from tests.points.factories import make_deployment, make_mobile_point

pytestmark = pytest.mark.django_db


def test_the_hours_form_says_a_quarter_of_an_hour_with_a_decimal_comma():
    worker = make_worker()
    with translation.override("nl"):
        form = HoursForm({"worker": worker.pk, "day": "2026-03-02", "hours": "0,1",
                          "tasks": "Wissen"})
        assert not form.is_valid()
        assert form.errors["hours"] == ["Geef minstens een kwartier op (0,25)."]
        accepted = HoursForm({"worker": worker.pk, "day": "2026-03-02", "hours": "0,25",
                              "tasks": "Wissen"})
        accepted.is_valid()
        assert accepted.cleaned_data["hours"] == Decimal("0.25")


def test_a_mobile_deployment_is_named_without_an_at_sign():
    brussels = ZoneInfo("Europe/Brussels")
    deployment = make_deployment(make_mobile_point("Digibus"),
                                 datetime(2026, 3, 2, 9, tzinfo=brussels),
                                 datetime(2026, 3, 2, 12, tzinfo=brussels), place="Markt")
    assert "@" not in str(deployment)
    assert str(deployment) == "Digibus, Markt (02/03/2026)"


def test_the_deployment_form_labels_start_with_a_capital():
    with translation.override("nl"):
        form = DeploymentForm()
        assert str(form["starts_at"].label) == "Begint"
        assert str(form["ends_at"].label) == "Eindigt"
