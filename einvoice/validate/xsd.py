"""XML Schema validation with libxml2 (lxml), each schema loaded once per process."""

import functools
import threading

from lxml import etree

from einvoice.validate.artefacts import ROOT
from einvoice.validate.report import Issue

# The schemas import their own modules from the package directory; nothing else.
_SCHEMA_PARSER = etree.XMLParser(no_network=True, resolve_entities=False)
_LOCK = threading.Lock()


@functools.cache
def schema(path):
    with _LOCK:
        return etree.XMLSchema(etree.parse(str(ROOT / path), _SCHEMA_PARSER))


def check(tree, path):
    """XSD issues of ``tree`` against the schema at ``path`` (relative to the artefacts)."""
    compiled = schema(path)
    with _LOCK:  # an XMLSchema keeps its error log on itself
        if compiled.validate(tree):
            return []
        log = list(compiled.error_log)
    return [
        Issue(rule="xsd", severity="fatal", message=f"line {entry.line}: {entry.message}",
              location=entry.path or None, layer="xsd")
        for entry in log
    ]
