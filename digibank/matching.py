"""How people are matched: one normalisation for the search, the duplicate
warning and the identity that the one door for new residents locks on.

Names are folded (lower case, accents and punctuation away, ``œ`` → ``oe``)
and each word is reduced to a loose key: doubled letters once, a final
``e`` dropped (``Josée`` → ``jos``, ``Jose`` → ``jos``, ``Janssens`` →
``jansens``). The search column holds the keys of every word of the first
and last name, plus each multi-word name written as one word (``Van den
Berg`` also as ``vandenberg``), between spaces, so a typed word matches the
start of a word (``LIKE '% jos%'``), in any order. Phone numbers are read
with the ``phonenumbers`` library (Belgium by default) and kept as E.164
for matching (``+32474556677``), whatever notation was typed.
"""

import re
import unicodedata

import phonenumbers

DEFAULT_REGION = "BE"

# Letters NFKD does not take apart.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th", "ı": "i"})
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"(.)\1+")
# A typed word this long or longer may match inside a word ("berghe" in
# "vandenberghe"); shorter ones only at the start of a word.
INFIX_FROM = 4


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_A_LETTER.sub(" ", text).strip()


def word_key(word: str) -> str:
    """The loose key of one folded word: doubled letters once, a final ``e``
    dropped (keys of three letters or more)."""
    word = _DOUBLED.sub(r"\1", word)
    if len(word) >= 3 and word.endswith("e") and not word.isdigit():
        word = word[:-1]
    return word


def name_keys(text: str) -> list[str]:
    return [word_key(word) for word in fold(text).split() if not word.isdigit()]


def search_name(first_name: str, last_name: str) -> str:
    """The value of ``Resident.search_name``: the keys of every word of both
    names, and each multi-word name as one word, between spaces."""
    keys: list[str] = []
    for name in (first_name, last_name):
        words = fold(name).split()
        keys += [word_key(word) for word in words]
        if len(words) > 1:
            keys.append(word_key("".join(words)))
    unique = list(dict.fromkeys(key for key in keys if key))
    return f" {' '.join(unique)} " if unique else ""


def identity_name(first_name: str, last_name: str) -> str:
    """The name part of a resident's identity: the keys of all words, sorted,
    so word order, accents and case do not make a second person."""
    return " ".join(sorted(name_keys(f"{first_name} {last_name}")))


def parse_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    """A valid phone number in any Belgian or international notation, else None."""
    if not raw or not any(ch.isdigit() for ch in raw):
        return None
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def phone_e164(raw: str) -> str:
    """``+32474556677`` for any notation of a valid number, else ""."""
    number = parse_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number \
        else ""


def normalise_phone(raw: str) -> str:
    """The phone number as stored: Belgian numbers as national digits
    (0470123456), others in E.164 (+31612345678), whatever notation was
    typed. What is no valid number keeps its digits (forms refuse it)."""
    number = parse_phone(raw)
    if number is None:
        return re.sub(r"\D", "", raw or "")
    if number.country_code == 32:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL
                                          ).replace(" ", "")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits_for_search(text: str) -> str:
    """The digits of a typed (part of a) phone number as they appear in
    E.164 without the plus: a whole number becomes its E.164 digits, a part
    loses its leading zeros (``0474 55`` → ``47455``, ``0032 474`` → ``32474``)."""
    full = phone_e164(text)
    if full:
        return full[1:]
    return "".join(ch for ch in text if ch.isdigit()).lstrip("0")


def split_query(text: str) -> tuple[list[str], str]:
    """A typed search: the name keys and the phone digits (either may be empty)."""
    names = name_keys(text)
    phone = re.sub(r"[^\d+]", "", text)
    digits = phone.replace("+", "")
    return names, (phone_digits_for_search(phone) if len(digits) >= 3 else "")
