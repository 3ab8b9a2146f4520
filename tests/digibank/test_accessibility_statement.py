"""The accessibility statement is written for the people it is for: short
sentences, `je`, no jargon outside the one line of legal references."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

pytestmark = pytest.mark.django_db
JARGON = ("WCAG", "EN 301 549", "bestuursdecreet", "axe-core", "niveau AA")


def _statement(client) -> tuple[list[str], str]:
    """The statement's paragraphs and list items as text, and the legal line."""
    html = client.get(reverse("accessibility")).content.decode()
    body = html.split('data-testid="statement">', 1)[1].split("</div>", 1)[0]
    legal = html.split('data-testid="legal">', 1)[1].split("</p>", 1)[0]
    blocks = re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", body, flags=re.S)
    return [" ".join(strip_tags(block).split()) for block in blocks], strip_tags(legal)


def test_the_statement_speaks_in_short_sentences(client):
    blocks, _legal = _statement(client)
    sentences = [part.split() for block in blocks
                 for part in re.split(r"(?<=[.?!])\s+", block) if part.strip()]
    lengths = [len(words) for words in sentences]
    assert max(lengths) <= 13
    assert sum(lengths) / len(lengths) <= 8


def test_the_statement_says_je_and_never_u(client):
    blocks, _legal = _statement(client)
    words = re.findall(r"\w+", " ".join(blocks).lower())
    assert "je" in words
    assert not {"u", "uw"} & set(words)


def test_legal_references_are_only_in_the_last_line(client):
    blocks, legal = _statement(client)
    assert not [term for term in JARGON if term in " ".join(blocks)]
    assert all(term in legal for term in ("WCAG 2.1", "EN 301 549"))
