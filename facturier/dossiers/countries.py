"""Country choices for the client form, named in the reader's language.

pycountry ships the ISO 3166 names with their gettext catalogues, so the list
follows the interface language without a hand-kept table.
"""

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation

from facturier.collation import collated


@lru_cache(maxsize=8)
def _country_names(language):
    try:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        catalogue = gettext.NullTranslations()
    names = {c.alpha_2: catalogue.gettext(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}
    return names


def country_choices():
    """France first (most clients are French), then every country by name, in French order (Égypte by Espagne)."""
    names = _country_names(translation.get_language() or "fr")
    others = collated(((code, name) for code, name in names.items() if code != "FR"), key=lambda item: item[1])
    return [("FR", names["FR"]), *others]
