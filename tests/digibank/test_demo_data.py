from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from digibank.models import District, Resident, User

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in {"digibank", "points", "trainings", "devices",
                                         "atelier", "soundboard", "outreach"}
            and model._meta.label not in {"digibank.AuditEvent"}}


def test_demo_data_refuses_to_load_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())


def test_demo_data_creates_one_user_per_role():
    call_command("seed_demo", force=True, stdout=StringIO())
    roles = {user.username: user.primary_role for user in User.objects.all()}
    assert roles == {"host": "host", "coach": "coach", "atelier": "atelier",
                     "coordinator": "coordinator", "partner": "partner"}


def test_loading_the_demo_data_twice_changes_nothing():
    call_command("seed_demo", force=True, stdout=StringIO())
    before = _counts()
    call_command("seed_demo", force=True, stdout=StringIO())
    assert _counts() == before


def test_demo_data_has_wijken_of_mechelen_with_a_resident():
    call_command("seed_demo", force=True, stdout=StringIO())
    wijken = District.objects.filter(parent__slug="mechelen")
    assert {wijk.slug for wijk in wijken} == {"nekkerspoel", "mechelen-noord"}
    for wijk in wijken:
        wijk.full_clean()
    assert Resident.objects.filter(district__slug="nekkerspoel").exists()
