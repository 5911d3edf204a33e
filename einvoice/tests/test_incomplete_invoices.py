"""Incomplete invoices: the engine renders what is there or refuses with an engine error, never a traceback.

Each variant is a corpus sample with one element removed. To stay fast, every
kind of element (its path with positions dropped) is removed once, in the
first sample that has it: about a thousand variants cover each element of
every CEN example and Factur-X fixture. Factur-X output costs a PDF layout
(about half a second), so it runs on one variant per distinct set of missing
mandatory terms.
"""

import contextlib
import dataclasses
import re
import traceback
from functools import cache

import pytest
from lxml import etree

from einvoice.errors import EInvoiceError, InvoiceWriteError
from einvoice.facturx import to_facturx
from einvoice.read import read_invoice
from einvoice.render import render_html
from einvoice.tests.corpus import CORPUS, corpus_files
from einvoice.tests.samples import UNSUPPORTED_SAMPLES
from einvoice.write import flavour_for, to_cii, to_ubl

SAMPLE_DIRS = ("en16931/cii-examples", "en16931/ubl-examples", "facturx-lib-fixtures/xml")
# Terms without which to_facturx refuses (see einvoice.facturx).
FACTURX_IDENTITY = {"invoice.number", "invoice.issue_date", "invoice.seller.name"}


def samples():
    found = [path for directory in SAMPLE_DIRS for path in corpus_files(directory, "*.[xX][mM][lL]")
             if not any(marker in path.name for marker in UNSUPPORTED_SAMPLES)]
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}"))]
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in found]


def elements(root):
    return [element for element in root.iter() if isinstance(element.tag, str) and element is not root]


def kind(tree, element):
    """The element's path with positions and namespaces dropped: one kind of element."""
    return re.sub(r"\[\d+\]|\{[^}]*\}", "", tree.getpath(element))


@cache
def removal_plan():
    """For each sample, the positions of the elements of a kind no earlier sample had."""
    seen, plan = set(), {}
    for param in samples():
        (path,) = param.values
        if path is None:
            continue
        tree = etree.parse(str(path))
        plan[path] = []
        for position, element in enumerate(elements(tree.getroot())):
            if kind(tree, element) not in seen:
                seen.add(kind(tree, element))
                plan[path].append(position)
    return plan


def variants(path):
    """``(removed element kind, XML bytes)`` for each planned removal in ``path``."""
    data = path.read_bytes()
    for position in removal_plan()[path]:
        tree = etree.ElementTree(etree.fromstring(data))
        element = elements(tree.getroot())[position]
        removed = kind(tree, element)
        element.getparent().remove(element)
        yield removed, etree.tostring(tree)


def read_or_refuse(data):
    """The invoice, or None when the reader refuses it with an engine error."""
    try:
        return read_invoice(data)
    except EInvoiceError:
        return None


def render_and_convert(invoice):
    page = render_html(invoice)
    printed_none = re.search(r".{0,60}\bNone\b", page)
    assert printed_none is None, f"an absent term is printed as 'None': {printed_none.group(0)!r}"
    for write in (lambda: to_cii(invoice, flavour_for(invoice)), lambda: to_ubl(invoice)):
        with contextlib.suppress(InvoiceWriteError):
            write()


def failure(removed, error):
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"without {removed}: {type(error).__name__}: {error} ({frame.filename}:{frame.lineno})"


@pytest.mark.parametrize("path", samples())
def test_sample_missing_any_element_reads_renders_and_converts_or_is_refused(path):
    failures = []
    for removed, data in variants(path):
        try:
            invoice = read_or_refuse(data)
            if invoice is not None:
                render_and_convert(invoice)
        except Exception as error:
            failures.append(failure(removed, error))
    assert not failures, "\n".join(failures)


def missing_mandatory_terms(value, path="invoice"):
    """Paths (positions dropped) of model fields without a default that are None or blank, and of BT-27."""
    if path == "invoice" and not value.seller.name:
        yield "invoice.seller.name"
    for field in dataclasses.fields(value):
        term = getattr(value, field.name)
        where = f"{path}.{field.name}"
        if term in (None, ""):
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                yield where
        elif dataclasses.is_dataclass(term):
            yield from missing_mandatory_terms(term, where)
        elif isinstance(term, list):
            for item in term:
                if dataclasses.is_dataclass(item):
                    yield from missing_mandatory_terms(item, f"{where}[]")


@cache
def facturx_cases():
    """One incomplete invoice per distinct set of missing mandatory terms, over every planned variant."""
    cases = {}
    for path in removal_plan():
        for removed, data in variants(path):
            invoice = read_or_refuse(data)
            if invoice is not None:
                missing = frozenset(missing_mandatory_terms(invoice))
                if missing and missing not in cases:
                    cases[missing] = (f"{path.name} without {removed}", invoice)
    return cases


def test_facturx_of_an_invoice_missing_mandatory_terms_is_written_or_refused_by_term():
    if not removal_plan():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    cases = facturx_cases()
    assert cases, "no variant lacks a mandatory term: the plan no longer removes them"
    failures = []
    for missing, (name, invoice) in cases.items():
        try:
            data = to_facturx(invoice)
        except InvoiceWriteError as error:
            if not missing & FACTURX_IDENTITY:
                failures.append(f"{name}: refused although only {sorted(missing)} are missing: {error}")
        except Exception as error:
            failures.append(failure(name, error))
        else:
            if missing & FACTURX_IDENTITY:
                failures.append(f"{name}: written although {sorted(missing & FACTURX_IDENTITY)} are missing")
            elif not data.startswith(b"%PDF-"):
                failures.append(f"{name}: not a PDF")
    assert not failures, "\n".join(failures)
