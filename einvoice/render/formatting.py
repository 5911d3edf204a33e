"""Numbers, dates and identifiers written the way a French or English reader expects."""

from decimal import Decimal

NARROW_NBSP = "\u202f"


def number(value, lang, min_places=0):
    """``1234.5`` → ``1 234,50`` (fr, with ``min_places=2``) or ``1,234.50`` (en); never rounds."""
    value = Decimal(value)
    exponent = value.normalize().as_tuple().exponent if value else 0
    places = max(min_places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    text = f"{value:,.{places}f}"
    if lang == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def money(value, lang, currency=None):
    text = number(value, lang, min_places=2)
    return f"{text}\u00a0{currency}" if currency else text


def percent(value, lang):
    return f"{number(value, lang)}\u00a0%"


def date(value, lang):
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def grouped(account):
    """An IBAN in groups of four characters, as printed on paper."""
    compact = account.replace(" ", "")
    if len(compact) > 14 and compact[:2].isalpha():
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return account
