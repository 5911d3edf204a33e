"""Every AFNOR example and CEN example, uploaded, gets the engine's own verdict; hostile files never fail."""

import pytest

from einvoice.recognition import recognisable
from einvoice.tests.shared_files import shared_dir
from einvoice.validate import validate
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.receiving.tests.receiving_samples import purchase_cii

pytestmark = pytest.mark.usefixtures("offline_registry")

CORPUS_DIRS = ("corpus/afnor-examples", "corpus/en16931/cii-examples", "corpus/en16931/ubl-examples")


def corpus_files():
    found = [path for folder in CORPUS_DIRS for path in sorted(shared_dir().joinpath(folder).rglob("*"))
             if path.is_file() and path.suffix.lower() in (".xml", ".pdf")]
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared corpus absent under {shared_dir()}"))]
    return [pytest.param(path, id=str(path.relative_to(shared_dir()))) for path in found]


def expected_outcome(report, data):
    """The engine's verdict; a PDF without invoice data goes to recognition (a person reviews what it reads)."""
    rules = {error.rule for error in report.errors}
    if report.syntax is None and "unsupported-format" in rules:
        return "recognition" if recognisable(data) else "unsupported"
    return "unreadable" if report.syntax is None else "accepted"


@pytest.mark.parametrize("path", corpus_files())
def test_corpus_file_gets_the_engine_verdict(world, path):
    data = path.read_bytes()
    report = validate(data, "fr")
    incoming = receive_file(world.active, path.name, data)
    assert incoming.outcome == expected_outcome(report, data), incoming.message
    if incoming.invoice is not None:
        invoice = incoming.invoice
        assert invoice.is_valid == report.valid
        assert invoice.validation == report.as_dict()
        assert invoice.syntax == report.syntax and invoice.profile == report.profile
    elif incoming.outcome != "recognition":
        assert report.errors[0].message in incoming.message


def mutations(data):
    """Broken variants of a good invoice: truncated, garbled, emptied, inflated."""
    yield data[: len(data) // 2]
    yield data.replace(b"<ram:IssuerAssignedID>", b"<ram:IssuerAssignedID>" + b"9" * 500, 1)
    yield data.replace(b"20260901", b"20261399")
    yield data.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>1e30", 1)
    yield data.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>NaN", 1)
    yield data.replace(b"<rsm:ExchangedDocument>", b"<rsm:ExchangedDocument><x:y xmlns:x='urn:x'>\xff</x:y>", 1)
    yield b"\xef\xbb\xbf" + data
    yield b"%PDF-1.7\n" + data
    yield b"<?xml version='1.0'?><!DOCTYPE lol [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><r>&b;</r>"
    yield b"PK\x03\x04 zip file"


def test_broken_and_hostile_files_never_fail(world):
    good = purchase_cii(world.active.siren)
    for number, data in enumerate(mutations(good)):
        incoming = receive_file(world.active, f"m{number}.xml", data)
        assert incoming.pk and incoming.outcome and (incoming.archived or incoming.held) is not None, number
        if incoming.invoice is not None:
            assert len(incoming.invoice.number) <= 100
