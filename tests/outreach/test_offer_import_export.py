"""Offers go in and out through django-import-export in the admin: a dry run
first, row errors reported, nothing half-imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.admin import OfferResource
from outreach.models import Offer
from tests.factories import make_partner, make_user
from tests.outreach.factories import make_offer
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db
HEADER = ("id,title,description,kind,provider,topics,address,cost_eur,languages,valid_from,"
          "valid_until\n")


@pytest.fixture
def coordinator(client):
    from digibank.roles import sync_role_permissions

    sync_role_permissions()
    user = make_user("coordinator")
    client.force_login(user)
    return user


def _upload(client, csv: str):
    return client.post(reverse("admin:outreach_offer_import"), {
        "import_file": SimpleUploadedFile("offers.csv", csv.encode(), content_type="text/csv"),
        "format": "0", "resource": "0",
    })


def test_offer_import_is_a_dry_run_until_confirmed(client, coordinator):
    make_partner("bib")
    make_topic("itsme")
    response = _upload(client, HEADER + ",Itsme-les,Leer itsme,training,bib,itsme,"
                                        "\"Melaan 20, Mechelen\",0,nl,,\n")
    assert response.status_code == 200
    assert not response.context["result"].has_errors()
    assert not response.context["result"].has_validation_errors()
    assert not Offer.objects.exists()


def test_offer_import_reports_a_bad_row_and_saves_nothing(client, coordinator):
    response = _upload(client, HEADER
                       + ",Goed,Uitleg,helpdesk,,,Melaan 20,0,nl,,\n"
                       + ",Fout,Uitleg,helpdesk,,,Melaan 20,0,nl,2026-12-01,2026-01-01\n")
    result = response.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    assert not Offer.objects.exists()


def test_offer_export_has_topics_and_provider_by_slug():
    offer = make_offer("Vragenuurtje", provider=make_partner("bib"),
                       topics=[make_topic("itsme")])
    dataset = OfferResource().export(Offer.objects.filter(pk=offer.pk))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["provider"] == "bib" and row["topics"] == "itsme"
