"""Typed values out of untrusted XML: a malformed one is an UnreadableError, never a traceback."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from einvoice.errors import UnreadableError
from einvoice.model import Identifier

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def clean(value):
    """Stripped text, or None when empty."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def to_decimal(value, where):
    value = clean(value)
    if value is None:
        return None
    if not _DECIMAL.match(value):
        raise UnreadableError(f"{where}: {value!r} is not a decimal number")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already guards
        raise UnreadableError(f"{where}: {value!r} is not a decimal number") from None


def to_date(value, where, fmt="102"):
    """A date in UN/CEFACT format 102 (CCYYMMDD) or ISO 8601 (CCYY-MM-DD)."""
    value = clean(value)
    if value is None:
        return None
    try:
        if fmt == "102" and len(value) == 8 and value.isdigit():
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if fmt in ("102", "iso") and len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise UnreadableError(f"{where}: {value!r} is not a valid date")


def to_bool(value, where):
    value = clean(value)
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise UnreadableError(f"{where}: {value!r} is not a boolean")


class Reader:
    """Small XPath-free accessors over an lxml element with fixed prefixes."""

    def __init__(self, namespaces):
        self.ns = namespaces

    def find(self, element, path):
        return None if element is None else element.find(path, self.ns)

    def findall(self, element, path):
        return [] if element is None else element.findall(path, self.ns)

    def text(self, element, path):
        found = self.find(element, path)
        return None if found is None else clean(found.text)

    def attr(self, element, path, name):
        found = self.find(element, path)
        return None if found is None else clean(found.get(name))

    def decimal(self, element, path):
        found = self.find(element, path)
        return None if found is None else to_decimal(found.text, _where(found))

    def date(self, element, path, fmt="102"):
        found = self.find(element, path)
        return None if found is None else to_date(found.text, _where(found), fmt)

    def bool(self, element, path):
        found = self.find(element, path)
        return None if found is None else to_bool(found.text, _where(found))

    def exemption_code(self, element, path):
        """A VAT exemption reason code (VATEX), upper case as its code list spells it: CEN's
        rules accept "vatex-eu-132-1g", Factur-X's code lists only "VATEX-EU-132-1G"."""
        code = self.text(element, path)
        return None if code is None else code.upper()


def _where(element):
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else "?"
    return f"{tag} (line {element.sourceline})"


def identifier(element):
    """An identifier element (text and its ``schemeID``), in either syntax; None when absent or blank."""
    value = None if element is None else clean(element.text)
    return None if value is None else Identifier(value, element.get("schemeID"))


def none_if_empty(group):
    """A business group whose terms are all absent is itself absent."""
    if group is None:
        return None
    return group if any(value not in (None, "", []) for value in vars(group).values()) else None
