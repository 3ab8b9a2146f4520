"""The phrasing table: what residents type and the demo offers it must
find, with PostgreSQL's Dutch text search and with the simple fallback
SQLite uses (outreach.search). The demo is seeded once for the module."""

import pytest

from outreach.models import Offer
from outreach.search import matching_words, parse, search_offers, synonym_table
from tests.outreach.conftest import search_titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_offers_module")]

# What residents type, and the demo offers they must find (among the first
# ones, and every one of them before any offer that matches fewer words).
PHRASINGS = [
    ("goedkoop internet", ["Sociaal tarief voor internet", "Sociaal tarief internet thuis",
                           "Gratis wifi in de stad", "Goedkoop mobiel: basisabonnement"]),
    ("gsm abonnement", ["Goedkoop mobiel: basisabonnement", "Mobiel internet met veel data"]),
    ("hulp belastingen", ["Hulp bij je belastingaangifte", "Zitdag Tax-on-web bij ACV"]),
    ("sociaal tarief internet", ["Sociaal tarief voor internet",
                                 "Sociaal tarief internet thuis"]),
    ("gsm", ["Smartphone voor beginners", "Smartphone met korting"]),
    ("belasting", ["Hulp bij je belastingaangifte", "Zitdag Tax-on-web bij ACV"]),
    ("pc cursus", ["Werken met de computer: de basis"]),
    ("laptop", ["Laptop lenen bij de digibank", "Opgeknapte laptop kopen met korting"]),
    ("its me", ["Leer werken met itsme"]),
    ("itsme", ["Leer werken met itsme"]),
    ("mutualiteit app", ["Apps van je ziekenfonds"]),
    ("Hérstelcafé", ["Herstelcafé: laat je toestel herstellen"]),
    ("herstelcafe", ["Herstelcafé: laat je toestel herstellen"]),
    ("email in het arabisch", ["Hulp bij e-mail in het Arabisch"]),
    ("treintickets", ["Tickets van De Lijn en NMBS op je smartphone"]),
    ("nieuwkomers", ["Digitaal Nederlands: leren en oefenen"]),
    ("VDAB", ["Hulp bij Mijn Loopbaan en jobbonus", "Solliciteren online: workshop"]),
    # Inflected, common, misspelt and compound forms (the tester's list).
    ("goedkope computer", ["Opgeknapte laptop kopen met korting", "Laptop lenen bij de digibank",
                           "Schoolpremie voor een laptop"]),
    ("goedkope laptop", ["Opgeknapte laptop kopen met korting"]),
    ("goedkope gsm", ["Goedkoop mobiel: basisabonnement", "Smartphone met korting"]),
    ("goedkoper internet", ["Sociaal tarief voor internet", "Sociaal tarief internet thuis"]),
    ("computer leren", ["Werken met de computer: de basis"]),
    ("smartphone leren", ["Smartphone voor beginners"]),
    ("telephone", ["Smartphone voor beginners", "Smartphone met korting"]),
    ("téléphone", ["Smartphone voor beginners", "Smartphone met korting"]),
    ("telefoon", ["Smartphone voor beginners", "Smartphone met korting"]),
    ("smartfone", ["Smartphone voor beginners", "Smartphone met korting"]),
    ("interent", ["Sociaal tarief voor internet", "Sociaal tarief internet thuis"]),
    ("computercursus", ["Werken met de computer: de basis",
                        "Online lessen: leer je computer kennen"]),
    ("belastingsaangifte", ["Hulp bij je belastingaangifte", "Zitdag Tax-on-web bij ACV"]),
    ("e-mail", ["Hulp bij e-mail in het Arabisch"]),
    ("tax on web", ["Zitdag Tax-on-web bij ACV"]),
]
# ... and what they must not find.
NOT_FOUND = [
    ("goedkoop internet", "Leer werken met itsme"),
    ("gsm abonnement", "Werken met de computer: de basis"),
    ("hulp belastingen", "Hulp bij e-mail in het Arabisch"),
    ("tax on web", "Gratis wifi in de stad"),
    ("e-mail", "Tickets van De Lijn en NMBS op je smartphone"),
]


@pytest.mark.parametrize("text,expected", PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_resident_phrasing_finds_its_offers_first(search_backend, text, expected):
    titles = search_titles(text, search_backend)
    assert set(expected) <= set(titles[:max(len(expected), 6)]), titles


@pytest.mark.parametrize("text,unwanted", NOT_FOUND, ids=[p[0] for p in NOT_FOUND])
def test_resident_phrasing_leaves_out_unrelated_offers(search_backend, text, unwanted):
    assert unwanted not in search_titles(text, search_backend)


def test_search_shows_which_words_matched_and_through_which_synonym(search_backend):
    search = parse("gsm abonnement", synonym_table())
    offer = Offer.objects.get(title="Mobiel internet met veel data")
    assert matching_words([offer.pk], search, search_backend) == {
        offer.pk: ["gsm (mobiel)", "abonnement"]}




@pytest.mark.parametrize("text", ["de", "?", "de het een", "!!"])
def test_a_search_of_only_stop_words_or_signs_says_there_is_nothing_to_search(text):
    search = parse(text, synonym_table())
    assert not search and search.nothing_to_search


def test_one_and_two_letter_words_are_left_out_unless_nothing_else_is_typed():
    assert [c.said for c in parse("tax on web", synonym_table()).concepts] == ["tax", "web"]
    assert [c.said for c in parse("pc", synonym_table()).concepts] == ["pc"]


def test_e_mail_is_one_word():
    assert [c.said for c in parse("e-mail", synonym_table()).concepts] == ["email"]


def test_a_typo_is_searched_with_the_closest_word_and_suggested(search_backend):
    search = parse("interent", synonym_table())
    search_offers(Offer.objects.current(), search, search_backend)
    assert search.suggestion == "internet"
