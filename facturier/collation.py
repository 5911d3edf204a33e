"""Sorting names as a French reader expects: "Égypte" next to "Espagne", "élodie" with "Elodie".

In Python, ``collated(items, key)``: a locale-independent key (Unicode decomposition,
accents set aside, case folded, the ligatures œ and æ spelt out) orders the letters
French uses as the French collation does for a list of names, without ICU or the
system's locales (which differ between machines). Accents and case only break ties.

In the database, ``french("name")`` in ``order_by``: PostgreSQL compares with ICU's
French collation (``fr-x-icu``, present in every PostgreSQL built with ICU, as
Debian's and the official images are); SQLite with the same key as ``collated``,
registered on each connection as the collation ``fr`` (``register_sqlite_collation``,
connected in ``accounts.apps``). Every list sorted by a name of a company or a person
goes through it, so a page and the next one agree with what the reader expects.

No import of the platform's apps, so the lowest layer can use it.
"""

import functools
import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
POSTGRESQL_COLLATION = "fr-x-icu"
SQLITE_COLLATION = "fr"


@functools.lru_cache(maxsize=8192)  # SQLite calls it for every comparison of a sort
def collation_key(text):
    text = str(text or "")
    letters = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    base = "".join(char for char in letters if not unicodedata.combining(char))
    return base.casefold(), text.casefold(), text


def collated(items, key=str):
    """``items`` sorted by ``key(item)`` with the key above."""
    return sorted(items, key=lambda item: collation_key(key(item)))


class French(Collate):
    """An expression compared in French order, whichever database runs the query."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        extra_context["collation"] = connection.ops.quote_name(SQLITE_COLLATION)
        return super().as_sql(compiler, connection, **extra_context)


def french(field):
    """``field`` (a name or an expression) for ``order_by``, in French order: ``order_by(french("name"), "pk")``."""
    return French(F(field) if isinstance(field, str) else field)


def compare(left, right):
    """SQLite's collation callback: negative, zero or positive, like ``cmp``."""
    left, right = collation_key(left), collation_key(right)
    return (left > right) - (left < right)


def register_sqlite_collation(sender, connection, **kwargs):
    """``connection_created`` receiver: teach each new SQLite connection the ``fr`` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare)
