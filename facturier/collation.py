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
goes through it, so a page and the next one agree with what the reader expects. An index
on ``french(column)`` keeps such a sort a walk of the index on large tables (the invoice
lists); on SQLite it needs the collation on every connection that writes the table, and its
order is the key below: a change of the key calls for ``REINDEX fr``.

No import of the platform's apps, so the lowest layer can use it.
"""

import functools
import unicodedata

from django.db.models import F, Func

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


class French(Func):
    """An expression compared in French order, whichever database runs the query.

    A ``Func`` of its own rather than a subclass of Django's ``Collate`` (the collation is named
    differently on each database): Django's indexes take ``Collate`` itself apart and refuse a
    subclass, and the invoice lists' sort indexes are built on this expression (``invoices.Invoice``).
    Both databases then index the column with the collation, as ``ORDER BY`` compares it.
    """

    template = "%(expressions)s COLLATE %(collation)s"

    def as_sql(self, compiler, connection, collation=POSTGRESQL_COLLATION, **extra_context):
        quoted = connection.ops.quote_name(collation)
        return super().as_sql(compiler, connection, collation=quoted, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, collation=SQLITE_COLLATION, **extra_context)


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
