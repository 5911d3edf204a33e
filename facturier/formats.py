"""How the platform writes amounts and reads the numbers people type.

Amounts are written the way CLDR (through babel) writes them in the active
language: ``1 174,05 €`` in French (a narrow no-break space between thousands
and a no-break space before the symbol, as Django's own French formats do),
``€1,174.05`` in English. Typed numbers are read the same way back:
``1 174,05`` or ``1174.05`` in French, ``1,174.05`` in English.
"""

import functools
import re
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.formats import get_format, sanitize_separators
from django.utils.translation import gettext_lazy

DEFAULT_CURRENCY = "EUR"


@functools.lru_cache(maxsize=16)
def _locale(language):
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=16)
def _whole_pattern(language):
    """The language's currency pattern without cents, for round figures (chart axes)."""
    return _locale(language).currency_formats["standard"].pattern.replace(".00", "")


def money(amount, currency=DEFAULT_CURRENCY, language=None, *, whole=False):
    """``amount`` in ``currency`` as the language writes it; "" for no amount."""
    if amount is None or amount == "":
        return ""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    amount = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if whole:
        return format_currency(amount.quantize(Decimal(1)), currency or DEFAULT_CURRENCY, locale=_locale(language),
                               format=_whole_pattern(language), currency_digits=False)
    return format_currency(amount, currency or DEFAULT_CURRENCY, locale=_locale(language))


# French writes file sizes in octets: Ko, Mo, Go (not Django's "Kio", "Mio"); English in KB, MB, GB.
SIZE_UNITS = (gettext_lazy("%(size)s octets"), gettext_lazy("%(size)s Ko"), gettext_lazy("%(size)s Mo"),
              gettext_lazy("%(size)s Go"))


def file_size(size, language=None):
    """``size`` bytes as the language writes it, in steps of 1024: ``15 octets``, ``2,5 Ko``, ``20 Mo``."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    value, unit = Decimal(size or 0), 0
    while value >= 1024 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    with translation.override(language):
        return str(SIZE_UNITS[unit]) % {"size": format_decimal(value, "#,##0.#", locale=_locale(language))}


def number(value, language=None):
    """A count or quantity as the language writes it: ``100 000`` in French, ``100,000`` in English."""
    return format_decimal(value, locale=_locale(language or translation.get_language() or settings.LANGUAGE_CODE))


def canonical_decimal(text):
    """``text`` typed in the active language, rewritten as Python reads decimals ("1174.05").

    Spaces of any kind go (the French thousands mark); a mark such as the
    English comma goes only between groups of three digits, so that "5,5"
    typed in English stays wrong rather than becoming 55.
    """
    text = "".join(str(text).split())
    group = get_format("THOUSAND_SEPARATOR")
    if group.strip() and group != get_format("DECIMAL_SEPARATOR"):
        text = re.sub(rf"(?<=\d){re.escape(group)}(?=\d{{3}}(?!\d))", "", text)
    return sanitize_separators(text)


def parse_decimal(text):
    """The Decimal ``text`` stands for in the active language; ValueError when it is not a number."""
    try:
        number = Decimal(canonical_decimal(text))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return number


class LocalizedDecimalField(forms.DecimalField):
    """Django's localized DecimalField, also reading the thousands marks people type.

    Django removes them only under ``USE_THOUSAND_SEPARATOR``, which would also
    group every number the templates print (years, identifiers).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = canonical_decimal(value)
        return super().to_python(value)
