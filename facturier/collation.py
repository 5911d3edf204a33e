"""Sorting names as a French reader expects: "Égypte" next to "Espagne", not after "Zambie".

A locale-independent key (Unicode decomposition, accents set aside, case folded, the
ligatures œ and æ spelt out) orders the letters French uses as the French collation does
for a list of names, without ICU or the system's locales (which differ between machines).
Accents and case only break ties, so the order is the same everywhere.

No import of the platform's apps, so the lowest layer can use it.
"""

import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def collation_key(text):
    text = str(text or "")
    letters = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    base = "".join(char for char in letters if not unicodedata.combining(char))
    return base.casefold(), text.casefold(), text


def collated(items, key=str):
    """``items`` sorted by ``key(item)`` with the key above."""
    return sorted(items, key=lambda item: collation_key(key(item)))
