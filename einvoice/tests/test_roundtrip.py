"""Read → write → read keeps every business term, for the corpus and generated invoices."""

from functools import cache

import pytest
from hypothesis import given

from einvoice.detect import Syntax
from einvoice.read import read_invoice
from einvoice.tests import strategies
from einvoice.tests.samples import assert_same, corpus_samples, without_extended_terms
from einvoice.write import EN16931, EXTENDED_CTC_FR, to_cii, to_ubl


@cache
def read_sample(path):
    return read_invoice(path.read_bytes())


@pytest.mark.parametrize("path", corpus_samples())
def test_corpus_sample_round_trips_in_its_own_syntax(path):
    invoice = read_sample(path)
    if invoice.source_syntax == Syntax.UBL:
        assert_same(invoice, read_invoice(to_ubl(invoice)))
    else:
        again = read_invoice(to_cii(invoice, EXTENDED_CTC_FR))
        expected = invoice if "extended-ctc-fr" in invoice.specification_id else _with_ctc_fr_id(invoice)
        assert_same(expected, again)


# A UBL source written as CII is a conversion, tested in test_convert.
@pytest.mark.parametrize("path", corpus_samples(syntaxes={Syntax.CII, Syntax.FACTURX}))
def test_corpus_cii_sample_round_trips_through_en16931_cii(path):
    invoice = read_sample(path)
    assert_same(without_extended_terms(invoice), read_invoice(to_cii(invoice, EN16931)))


def _with_ctc_fr_id(invoice):
    import copy

    invoice = copy.deepcopy(invoice)
    invoice.specification_id = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
    return invoice


PROPERTY_SETTINGS = strategies.INVOICE_SETTINGS


@PROPERTY_SETTINGS
@given(strategies.invoices())
def test_generated_invoice_round_trips_through_en16931_cii(invoice):
    assert_same(invoice, read_invoice(to_cii(invoice, EN16931)))


@PROPERTY_SETTINGS
@given(strategies.invoices(extended=True))
def test_generated_extended_invoice_round_trips_through_extended_ctc_fr_cii(invoice):
    assert_same(invoice, read_invoice(to_cii(invoice, EXTENDED_CTC_FR)))


@PROPERTY_SETTINGS
@given(strategies.invoices())
def test_generated_invoice_round_trips_through_ubl(invoice):
    from einvoice.tests.samples import portable

    assert_same(portable(invoice), portable(read_invoice(to_ubl(invoice))))
