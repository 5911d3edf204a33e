"""CII ↔ UBL conversion keeps what both syntaxes carry; the convert command's contract."""

import argparse
from functools import cache

import pytest
from hypothesis import given

from einvoice import pdf
from einvoice.cli import convert as convert_command
from einvoice.convert import convert
from einvoice.detect import Profile, Syntax, detect
from einvoice.errors import InvoiceWriteError, UnreadableError, UnsupportedFormatError
from einvoice.read import read_invoice
from einvoice.tests import strategies
from einvoice.tests.samples import CORPUS, assert_same, corpus_samples, portable
from einvoice.write import EXTENDED_CTC_FR, to_cii, to_ubl

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")


@cache
def read_sample(path):
    return read_invoice(path.read_bytes())


@pytest.mark.parametrize("path", corpus_samples(with_lines=True))  # MINIMUM and BASIC WL: no UBL equivalent
def test_corpus_sample_converted_to_the_other_syntax_keeps_common_terms(path):
    invoice = read_sample(path)
    if invoice.source_syntax == Syntax.UBL:
        converted = read_invoice(convert(path.read_bytes(), "cii"))
        assert converted.source_syntax == Syntax.CII
    else:
        converted = read_invoice(convert(path.read_bytes(), "ubl"))
        assert converted.source_syntax == Syntax.UBL
    assert_same(portable(invoice), portable(converted))


@pytest.mark.parametrize("path", corpus_samples(with_lines=True))  # MINIMUM and BASIC WL: no UBL equivalent
def test_corpus_sample_survives_cii_ubl_cii(path):
    invoice = read_sample(path)
    back = read_invoice(to_cii(read_invoice(to_ubl(invoice)), EXTENDED_CTC_FR))
    assert_same(portable(invoice), portable(back))


@strategies.INVOICE_SETTINGS
@given(strategies.invoices())
def test_generated_invoice_cii_to_ubl_and_back(invoice):
    ubl = convert(to_cii(invoice), "ubl")
    assert detect(ubl).syntax is Syntax.UBL
    cii = convert(ubl, "cii")
    assert_same(portable(invoice), portable(read_invoice(cii)))


@needs_corpus
@pytest.mark.parametrize(("sample", "profile"), [
    ("facturx-lib-fixtures/xml/factur-x-extended.xml", "EXTENDED"),
    ("facturx-lib-fixtures/xml/factur-x-en16931.xml", "EN 16931"),
    ("facturx-lib-fixtures/xml/ubl-21-en16931.xml", "EN 16931"),
])
def test_cii_output_and_the_cii_inside_factur_x_keep_the_profile_of_the_source(sample, profile):
    data = (CORPUS / sample).read_bytes()
    cii = convert(data, "cii")
    assert str(detect(cii).profile) == profile
    assert pdf.extract_invoice_xml(convert(data, "facturx"))[1] == cii


@needs_corpus
def test_an_extended_ctc_fr_invoice_stays_so_as_cii_and_travels_as_extended_in_factur_x():
    """EXTENDED-CTC-FR is a CII profile, not a Factur-X level: the PDF carries the same terms as EXTENDED."""
    data = (CORPUS / "facturx-lib-fixtures/xml/ubl-21-extended-ctc-fr.xml").read_bytes()
    assert detect(convert(data, "cii")).profile is Profile.EXTENDED_CTC_FR
    facturx = convert(data, "facturx")
    assert detect(facturx).profile is Profile.EXTENDED
    assert read_invoice(facturx).lines == read_invoice(data).lines


@needs_corpus
@pytest.mark.parametrize("sample", ["facturx-lib-fixtures/xml/factur-x-minimum.xml",
                                    "facturx-lib-fixtures/xml/factur-x-basicwl.xml"])
def test_an_invoice_without_lines_is_refused_as_ubl(sample):
    with pytest.raises(InvoiceWriteError, match="BG-25"):
        convert((CORPUS / sample).read_bytes(), "ubl")


@needs_corpus
def test_credit_note_converts_to_a_ubl_credit_note():
    path = next((CORPUS / "afnor-examples").rglob("UC5b_F202500011_00-CN_20250703_CII.xml"))
    assert detect(convert(path.read_bytes(), "ubl")).is_credit_note


def test_unknown_target_is_refused():
    with pytest.raises(InvoiceWriteError, match="unknown target"):
        convert(b"<x/>", "pdf")


def test_unreadable_and_unsupported_inputs_raise_engine_errors():
    with pytest.raises(UnreadableError):
        convert(b"<rsm:CrossIndustryInvoice", "ubl")
    with pytest.raises(UnsupportedFormatError):
        convert(b"<?xml version='1.0'?><Order xmlns='urn:example'/>", "ubl")


# The command, run through its own parser so that it is tested whatever other commands exist.

def run(argv):
    parser = argparse.ArgumentParser(prog="facturier")
    convert_command.add_parser(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    return args.run(args)


@needs_corpus
def test_convert_command_writes_the_target(tmp_path):
    output = tmp_path / "out.xml"
    source = CORPUS / "en16931/cii-examples/CII_example1.xml"
    assert run(["convert", str(source), "--to", "ubl", "-o", str(output)]) == 0
    assert detect(output.read_bytes()).syntax is Syntax.UBL
    assert read_invoice(output.read_bytes()).number == read_invoice(source.read_bytes()).number


@pytest.mark.parametrize("content,rule", [
    (b"<rsm:CrossIndustryInvoice", "unreadable"),
    (b"<?xml version='1.0'?><Order xmlns='urn:example'/>", "unsupported-format"),
    (b"%PDF-1.4\nnot really a pdf", "unreadable"),
])
def test_convert_command_reports_bad_input_in_one_line(tmp_path, capsys, content, rule):
    source = tmp_path / "in.xml"
    source.write_bytes(content)
    assert run(["convert", str(source), "--to", "cii", "-o", str(tmp_path / "out.xml")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"{source}: {rule}:" in error
    assert not (tmp_path / "out.xml").exists()


def test_convert_command_missing_file_and_usage(tmp_path, capsys):
    assert run(["convert", str(tmp_path / "absent.xml"), "--to", "ubl", "-o", str(tmp_path / "o.xml")]) == 1
    assert "absent.xml" in capsys.readouterr().err
    assert run(["convert", "x.xml", "--to", "pdf", "-o", "o.xml"]) == 2
    assert run(["convert", "x.xml", "--to", "ubl"]) == 2


def test_convert_command_is_registered():
    cli = pytest.importorskip("einvoice.cli")
    try:
        parser = cli.build_parser()
    except ModuleNotFoundError as missing:
        pytest.skip(f"another engine command is not in this branch yet: {missing.name}")
    assert parser.parse_args(["convert", "f.xml", "--to", "cii", "-o", "o.xml"]).to == "cii"


@needs_corpus
def test_facturx_target_without_the_pdf_module_is_a_clear_error(monkeypatch, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "einvoice.facturx", None)
    source = CORPUS / "en16931/cii-examples/CII_example1.xml"
    with pytest.raises(InvoiceWriteError, match="Factur-X output is not available"):
        convert(source.read_bytes(), "facturx")
    assert run(["convert", str(source), "--to", "facturx", "-o", str(tmp_path / "o.pdf")]) == 1
    assert "write-error: Factur-X output is not available" in capsys.readouterr().err
