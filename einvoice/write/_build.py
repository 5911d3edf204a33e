"""Building XML from the model: values formatted once, empty elements dropped.

Writers add every element the model could fill, in the schema's order, and
``finish()`` removes those that stayed empty, so optional groups need no
``if`` of their own.
"""

from decimal import Decimal

from lxml import etree

from einvoice.errors import InvoiceWriteError


def amount(value):
    """An amount with at least two decimals, never in exponent notation."""
    if value is None:
        return None
    value = Decimal(value)
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def number(value):
    """A quantity, price or rate as written, never in exponent notation."""
    return None if value is None else format(Decimal(value), "f")


def boolean(value):
    return None if value is None else ("true" if value else "false")


class Builder:
    def __init__(self, namespaces):
        self.ns = namespaces

    def _tag(self, tag):
        prefix, local = tag.split(":")
        return f"{{{self.ns[prefix]}}}{local}"

    def root(self, name, nsmap):
        return etree.Element(self._tag(name), nsmap=nsmap)

    def add(self, parent, tag, text=None, /, **attributes):
        """Append ``tag`` under ``parent``; attributes whose value is None are left out."""
        element = etree.SubElement(parent, self._tag(tag))
        try:
            if text is not None:
                element.text = str(text)
            for key, value in attributes.items():
                if value is not None:
                    element.set(key, str(value))
        except ValueError:  # NUL or control characters: XML 1.0 cannot hold them
            raise InvoiceWriteError(f"{tag}: the value contains characters XML cannot hold") from None
        return element


def finish(root, keep=()):
    """Drop empty elements (no text, no children) bottom-up, except the mandatory
    containers named in ``keep`` (Clark notation), and serialise."""
    for element in reversed(list(root.iter())):
        if element is root or element.tag in keep:
            continue
        if len(element) == 0 and not (element.text or "").strip():
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
