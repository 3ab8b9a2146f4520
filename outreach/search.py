"""Search the offer guide in residents' own words.

A search is a list of *concepts*, one per word the resident typed (Dutch
stop words left out), each with its alternatives: the word itself and what
the coordinators' synonym list (``SearchSynonym``, edited in the admin)
gives for it, so "gsm" also looks for "smartphone" and "goedkoop" for
"sociaal tarief" and "gratis". An offer matches a concept when it matches
one of its alternatives; the results are the offers that match every
concept, or, when none does, those that match some, best first.

What is searched: the title (weighted most), the topics with their
e-services and the target groups, then the description and the
provider. Each offer keeps this text, normalised (lower case, no accents),
in ``search_text`` and on PostgreSQL as a ``tsvector`` in ``search_vector``
(text search configuration ``digibank_dutch``: the ``dutch`` stemmer after
``unaccent``, so "belastingen" finds "belasting" and "cafe" finds "café").
Each word is also a prefix ("belasting" finds "belastingaangifte").
SQLite, for development, matches word starts in ``search_text`` after
stripping a plural ending: simpler, and close enough.

Residents' forms: every word also has a *key* (``dutch_key``: inflection
off, long vowels written once), so "goedkope", "goedkoper" and "goedkoopste"
all look for "goedkoop" on both databases (PostgreSQL's stemmer leaves
"goedkoper" alone), and synonyms are looked up by key. A hyphenated word is
also one word ("e-mail" is "email"), and words of one or two letters are
left out unless the search has nothing else ("tax on web" does not look for
"on"). A word that matches no offer is repaired once: a compound made of
two known words is split ("computercursus": computer and cursus), else the
closest known word is searched too ("interent": internet, by pg_trgm's
similarity on PostgreSQL and difflib on SQLite) and the page asks "Did you
mean …?".

``index_offers`` rebuilds the stored text: the offer services, the admin,
the import and the demo call it; saving a partner, topic or target group
reindexes its offers (``connect_search_signals``)."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.signals import post_delete, post_save, pre_delete

CONFIG = "digibank_dutch"

# PostgreSQL's (Snowball's) Dutch stop words: the same on both databases.
_STOP_WORDS = """
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren
was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# A search of more words than this keeps the first ones.
MAX_CONCEPTS = 8


def normalise(text: str) -> str:
    """Lower case, accents off, words separated by single spaces; a
    hyphenated word is one word ("e-mail": "email")."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _simple_stem(word: str) -> str:
    """The SQLite fallback's stemming: drop a plural ending."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s"):
        return word[:-1]
    return word


def dutch_key(word: str) -> str:
    """A word without its Dutch inflection, long vowels written once:
    goedkoop, goedkope, goedkoper, goedkoopste → goedkop; lessen, les → les;
    computers → comput. Only compared with other keys."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ere", "ste", "en", "er", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            break
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    if len(word) >= 4 and word[-2] == word[-3] and word[-2] in "aeou" and (
            word[-1] not in "aeiou"):
        word = word[:-3] + word[-2:]
    return word


def keys_text(text: str) -> str:
    """The keys of a normalised text's words (the stored text's second part)."""
    return " ".join(dutch_key(word) for word in text.split())


def _expand_compounds(text: str) -> str:
    """"e-mail" as "email e mail": the stored text has the hyphenated word
    as one word and as its parts."""
    return re.sub(r"\b(\w+(?:-\w+)+)\b",
                  lambda m: f"{m.group(1).replace('-', '')} {m.group(1).replace('-', ' ')}", text)


@dataclass(frozen=True)
class Alternative:
    label: str  # as shown ("sociaal tarief", "Tax-on-web")
    words: tuple[str, ...]  # normalised


@dataclass(frozen=True)
class Concept:
    said: str  # what the resident typed
    alternatives: tuple[Alternative, ...]  # the first is what they typed


@dataclass
class Search:
    text: str
    concepts: list[Concept] = field(default_factory=list)
    # False when no offer matched every word and the results match some.
    matched_all: bool = True
    # Only stop words or signs were typed: nothing to search for.
    nothing_to_search: bool = False
    # A known word close to a word that matched nothing ("internet").
    suggestion: str = ""

    def __bool__(self) -> bool:
        return bool(self.concepts)


def synonym_table() -> dict[tuple[str, ...], list[Alternative]]:
    """The coordinators' synonyms, by the normalised words of their term."""
    from outreach.models import SearchSynonym

    table: dict[tuple[str, ...], list[Alternative]] = {}
    for term, alternatives in SearchSynonym.objects.values_list("term", "alternatives"):
        key = _key(normalise(term).split())
        if not key:
            continue
        for label in alternatives.split(","):
            words = tuple(normalise(label).split())
            if words:
                table.setdefault(key, []).append(Alternative(label.strip(), words))
    return table


def _key(words) -> tuple[str, ...]:
    """A synonym's term as looked up: "belasting" and "belastingen" alike."""
    return tuple(dutch_key(word) for word in words)


def parse(text: str, synonyms: dict[tuple[str, ...], list[Alternative]]) -> Search:
    """The concepts of a resident's search: the longest synonym term at
    each place first ("sociaal tarief" before "sociaal"), then single words
    that are not stop words."""
    words = normalise(text).split()
    if any(len(word) > 2 for word in words):
        # One or two letters ("on" in "tax on web") only when nothing else is typed.
        words = [word for word in words if len(word) > 2 or (word,) in synonyms]
    longest = max((len(key) for key in synonyms), default=1)
    concepts: list[Concept] = []
    position = 0
    while position < len(words) and len(concepts) < MAX_CONCEPTS:
        for size in range(min(longest, len(words) - position), 0, -1):
            said_words = tuple(words[position:position + size])
            if _key(said_words) in synonyms or size == 1:
                break
        position += size
        key = _key(said_words)
        if size == 1 and said_words[0] in STOP_WORDS and key not in synonyms:
            continue
        said = " ".join(said_words)
        own = Alternative(said, said_words)
        extra = [alt for alt in synonyms.get(key, []) if alt.words != said_words]
        concepts.append(Concept(said, (own, *extra)))
    return Search(text=text, concepts=concepts, nothing_to_search=not concepts)


def backend() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "simple"


def _tsquery(words: tuple[str, ...]) -> str:
    """Each word a prefix, and also without a plural ending: the Dutch
    stemmer leaves English loanwords' "-s" ("smartphones") alone. The
    words are [a-z0-9]+ (``normalise``), so they cannot inject syntax."""
    def one(word: str) -> str:
        forms = dict.fromkeys([word, _simple_stem(word)])
        key = dutch_key(word)
        if len(key) >= 5:
            forms[key] = None
        return "(" + " | ".join(f"{form}:*" for form in forms) + ")"

    return " <-> ".join(one(word) for word in words)


def _alternative_q(alternative: Alternative, using: str) -> Q:
    if using == "postgresql":
        return Q(search_vector=SearchQuery(_tsquery(alternative.words), search_type="raw",
                                           config=CONFIG))
    words = [*alternative.words[:-1], _simple_stem(alternative.words[-1])]
    return Q(search_text__contains=" " + " ".join(words)) | Q(
        search_text__contains=" " + " ".join(dutch_key(word) for word in alternative.words))


def _concept_q(concept: Concept, using: str) -> Q:
    query = Q()
    for alternative in concept.alternatives:
        query |= _alternative_q(alternative, using)
    return query


def _hit(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def search_offers(offers: QuerySet, search: Search, using: str | None = None) -> QuerySet:
    """``offers`` that match ``search``, best first: those matching more of
    its words, then (PostgreSQL) the text-search rank or (SQLite) a match in
    the title, then by title. Sets ``search.matched_all``. Two queries are
    spent here at most when some offer matches every word (the check)."""
    using = using or backend()
    if not search:
        return offers
    _repair(offers, search, using)
    concepts = [_concept_q(concept, using) for concept in search.concepts]
    matched = sum((_hit(condition) for condition in concepts), Value(0))
    if using == "postgresql":
        whole = " | ".join(f"({_tsquery(alt.words)})" for concept in search.concepts
                           for alt in concept.alternatives)
        rank = SearchRank(F("search_vector"),
                          SearchQuery(whole, search_type="raw", config=CONFIG))
    else:
        rank = sum((_hit(Q(title__icontains=" ".join(alt.words)))
                    for concept in search.concepts for alt in concept.alternatives), Value(0))
    every = Q()
    for condition in concepts:
        every &= condition
    found = offers.filter(every)
    search.matched_all = found.exists()
    if not search.matched_all:
        some = Q()
        for condition in concepts:
            some |= condition
        found = offers.filter(some)
    return found.annotate(search_matched=matched, search_rank=rank).order_by(
        "-search_matched", "-search_rank", "title", "pk")


def _repair(offers: QuerySet, search: Search, using: str) -> None:
    """Give a word that matches no offer a second chance: split a compound
    of two known words into two (each with its synonyms), or add the
    closest known word (and set ``search.suggestion``). One query when
    every word matches something."""
    counts = offers.aggregate(**{
        f"c{index}": Sum(_hit(_concept_q(concept, using)))
        for index, concept in enumerate(search.concepts)})
    missing = [index for index in range(len(search.concepts)) if not counts[f"c{index}"]]
    if not missing:
        return
    vocabulary = _vocabulary(offers)
    table = None
    repaired: list[Concept] = []
    for index, concept in enumerate(search.concepts):
        word = concept.said
        if index not in missing or " " in word or len(word) < 4:
            repaired.append(concept)
            continue
        parts = _split_compound(word, vocabulary)
        if parts:
            table = table if table is not None else synonym_table()
            repaired.extend(concept for part in parts for concept in parse(part, table).concepts
                            or [Concept(part, (Alternative(part, (part,)),))])
            continue
        close = _closest(word, vocabulary, offers, using)
        if close:
            search.suggestion = search.suggestion or close
            repaired.append(Concept(word, (*concept.alternatives, Alternative(close, (close,)))))
        else:
            repaired.append(concept)
    search.concepts = repaired[:MAX_CONCEPTS]


def _vocabulary(offers: QuerySet) -> set[str]:
    """The words of the offers' stored text (not the keys) and the synonyms'
    terms and alternatives."""
    from outreach.models import SearchSynonym

    words: set[str] = set()
    for text in offers.values_list("search_text", flat=True):
        words.update(text.split("|", 1)[0].split())
    for term, alternatives in SearchSynonym.objects.values_list("term", "alternatives"):
        words.update(normalise(f"{term} {alternatives.replace(',', ' ')}").split())
    return {word for word in words if len(word) > 2 and not word.isdigit()}


def _split_compound(word: str, vocabulary: set[str]) -> tuple[str, str] | None:
    """Two known words that make ``word``, with a linking s or e between
    them or without: computercursus → computer, cursus."""
    for cut in range(len(word) - 3, 2, -1):
        first, second = word[:cut], word[cut:]
        if second not in vocabulary or first in STOP_WORDS:
            continue
        for head in (first, first[:-1] if first[-1] in "se" else None):
            if head and len(head) >= 3 and head in vocabulary:
                return head, second
    return None


def _closest(word: str, vocabulary: set[str], offers: QuerySet, using: str) -> str:
    """The known word closest to a typo: pg_trgm's similarity on
    PostgreSQL, difflib's ratio elsewhere; "" when none is close."""
    if using == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM unnest(%s::text[]) AS word "
                "WHERE similarity(word, %s) >= 0.3 ORDER BY similarity(word, %s) DESC, word "
                "LIMIT 1", [sorted(vocabulary), word, word])
            row = cursor.fetchone()
        return row[0] if row else ""
    close = difflib.get_close_matches(word, sorted(vocabulary), n=1, cutoff=0.75)
    return close[0] if close else ""


def matching_words(offer_ids, search: Search, using: str | None = None) -> dict[int, list[str]]:
    """Per offer, the words of ``search`` it matched, as the resident reads
    them: "gsm (smartphone)" when only a synonym matched. One query."""
    using = using or backend()
    if not search or not offer_ids:
        return {}
    from outreach.models import Offer

    names, hits = [], {}
    for c_index, concept in enumerate(search.concepts):
        for a_index, alternative in enumerate(concept.alternatives):
            name = f"hit_{c_index}_{a_index}"
            names.append((c_index, a_index, name))
            hits[name] = _hit(_alternative_q(alternative, using))
    rows = Offer.objects.filter(pk__in=list(offer_ids)).annotate(**hits).values("pk", *hits)
    words: dict[int, list[str]] = {}
    for row in rows:
        shown = []
        for c_index, concept in enumerate(search.concepts):
            found = [concept.alternatives[a].label for c, a, name in names
                     if c == c_index and row[name]]
            if not found:
                continue
            if found[0] == concept.said:
                shown.append(concept.said)
            else:
                shown.append(f"{concept.said} ({', '.join(found)})")
        words[row["pk"]] = shown
    return words


def offers_for(offers: QuerySet, text: str) -> tuple[QuerySet, Search]:
    """The guide's and the counter's search: parse ``text`` with the
    current synonyms and return the matching ``offers``, best first."""
    search = parse(text, synonym_table())
    return search_offers(offers, search), search


def attach_matching_words(offers: list, search: Search) -> list:
    """Set ``matching_words`` on each offer of a page (one query)."""
    words = matching_words([offer.pk for offer in offers], search)
    for offer in offers:
        offer.matching_words = words.get(offer.pk, [])
    return offers


# --- keeping the stored text current ---


def _document(offer) -> tuple[str, str, str]:
    """The searched text of an offer, in three weights: title; topics,
    their e-services and target groups; description and provider. (Not the
    kind: its name, "Internetabonnement of sociaal tarief", would make every
    subscription a match for "sociaal tarief"; the guide filters by kind.)
    Uses only fields that the migration's historical model also has."""
    topics = [f"{topic.name} {topic.external_service}" for topic in offer.topics.all()]
    groups = [group.name for group in offer.target_groups.all()]
    provider = offer.provider.name if offer.provider_id else "Digibank"
    return tuple(_expand_compounds(text) for text in (
        offer.title, " ".join(topics + groups), f"{offer.description} {provider}"))


_UPDATE = f"""
UPDATE {{table}} SET search_text = %s, search_vector =
    setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B')
    || setweight(to_tsvector('{CONFIG}', %s), 'C')
WHERE id = %s"""


def index_offers(offers: QuerySet) -> int:
    """Rebuild the stored search text of ``offers`` (a queryset of the
    current or of a migration's historical ``Offer``). Returns how many."""
    model = offers.model
    rows = []
    for offer in offers.select_related("provider").prefetch_related(
            "topics", "target_groups").iterator(chunk_size=1000):
        title, tags, body = _document(offer)
        words = normalise(f"{title} {tags} {body}")
        # The words, then their keys (outreach.search.dutch_key).
        rows.append((f" {words} | {keys_text(words)} ", title, tags, body, offer.pk))
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(_UPDATE.format(table=model._meta.db_table), rows)
    else:
        model.objects.bulk_update([model(pk=row[4], search_text=row[0]) for row in rows],
                                  ["search_text"], batch_size=500)
    return len(rows)


def _related_saved(sender, instance, **kwargs) -> None:
    from outreach.models import Offer

    index_offers(Offer.objects.filter(pk__in=_offer_ids(sender, instance)))


def _related_deleting(sender, instance, **kwargs) -> None:
    instance._search_offer_ids = list(_offer_ids(sender, instance))


def _related_deleted(sender, instance, **kwargs) -> None:
    from outreach.models import Offer

    index_offers(Offer.objects.filter(pk__in=getattr(instance, "_search_offer_ids", [])))


def _offer_ids(sender, instance):
    from outreach.models import Offer, Partner

    relation = "provider" if sender is Partner else (
        "topics" if sender._meta.model_name == "questiontopic" else "target_groups")
    return Offer.objects.filter(**{relation: instance}).values_list("pk", flat=True)


def connect_search_signals() -> None:
    """Reindex the offers of a partner, topic or target group whose name
    changes (the admin and the points' topic screens have no service)."""
    from digibank.models import TargetGroup
    from outreach.models import Partner
    from points.models import QuestionTopic

    for model in (Partner, QuestionTopic, TargetGroup):
        uid = f"offer-search:{model._meta.label}"
        post_save.connect(_related_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_related_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_related_deleted, sender=model, dispatch_uid=uid)
