"""Pseudonymous visitor keys: counting unique people without a name.

A visitor who does not want to give a name may choose a word they will
remember (for example a pet's name with a birth year). With their agreement
the host types it in; we keep only an HMAC-SHA256 of the normalised word,
keyed with a secret derived from the site's SECRET_KEY. The same word gives
the same key on every visit, so the person is counted once per period; the
key cannot be turned back into the word without the server's secret, and it
is useless on another site. The word itself is never stored or logged.
"""

import unicodedata

from django.utils.crypto import salted_hmac

_SALT = "digibank.pseudonyms.visitor-key"


def normalise_word(word: str) -> str:
    """Case, accents and spaces do not matter: "Minou 1950" == "minou1950"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def visitor_key(word: str) -> str:
    """The 64-character key for a visitor's chosen word; "" for an empty word."""
    normalised = normalise_word(word)
    if not normalised:
        return ""
    return salted_hmac(_SALT, normalised, algorithm="sha256").hexdigest()
