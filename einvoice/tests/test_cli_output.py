"""render, convert and extract through the real entry point: one-line errors and exit 1, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from einvoice.read import read_invoice
from einvoice.tests.corpus import corpus_file
from einvoice.tests.invoice_samples import rich_invoice
from einvoice.write import to_cii

ROOT = Path(__file__).resolve().parents[2]


def facturier(*args):
    return subprocess.run([sys.executable, "-m", "facturier", *map(str, args)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
                          check=False)


def assert_one_line_error(result, *expected):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.fixture
def cii_file(tmp_path):
    path = tmp_path / "invoice.xml"
    path.write_bytes(to_cii(rich_invoice()))
    return path


@pytest.mark.parametrize("command", [
    ["render", "{invoice}", "-o", "{out}.html"],
    ["render", "{invoice}", "-o", "{out}.pdf"],
    ["convert", "{invoice}", "--to", "ubl", "-o", "{out}.xml"],
    ["extract", "{pdf}", "-o", "{out}.xml"],
], ids=["render-html", "render-pdf", "convert", "extract"])
def test_an_unwritable_output_is_one_line_and_exit_1(command, cii_file, tmp_path):
    out = tmp_path / "no-such-directory" / "out"
    pdf = corpus_file("facturx-lib-fixtures/pdf/invoice_EN16931.pdf") if "{pdf}" in command else None
    argv = [arg.format(invoice=cii_file, pdf=pdf, out=out) for arg in command]
    assert_one_line_error(facturier(*argv), "No such file or directory", str(out.parent))


def written(invoice, tmp_path):
    path = tmp_path / "incomplete.xml"
    path.write_bytes(to_cii(invoice))
    return path


def test_an_invoice_missing_mandatory_terms_still_renders(tmp_path):
    invoice = rich_invoice()
    invoice.lines[0].quantity = invoice.lines[0].vat_category = invoice.payment_instructions.means_code = None
    out = tmp_path / "out.html"
    result = facturier("render", written(invoice, tmp_path), "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Prestation 1" in out.read_text(encoding="utf-8")


def test_factur_x_of_an_invoice_without_issue_date_is_refused_in_one_line(tmp_path):
    invoice = rich_invoice()
    invoice.issue_date = None
    source = written(invoice, tmp_path)
    assert read_invoice(source.read_bytes()).issue_date is None
    result = facturier("convert", source, "--to", "facturx", "-o", tmp_path / "out.pdf")
    assert_one_line_error(result, "write-error", "issue date (BT-2)")
    assert not (tmp_path / "out.pdf").exists()
