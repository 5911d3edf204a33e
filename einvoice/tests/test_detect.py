"""detect(): syntax and profile of every kind of file the corpus holds, and what we refuse."""

import pytest

from einvoice.detect import Profile, Syntax, detect
from einvoice.errors import UnsupportedFormatError
from einvoice.tests.corpus import corpus_file


@pytest.mark.parametrize("relative, syntax, profile, credit_note", [
    ("facturx-lib-fixtures/xml/factur-x-minimum.xml", Syntax.CII, Profile.MINIMUM, False),
    ("facturx-lib-fixtures/xml/factur-x-basicwl.xml", Syntax.CII, Profile.BASIC_WL, False),
    ("facturx-lib-fixtures/xml/factur-x-basic.xml", Syntax.CII, Profile.BASIC, False),
    ("facturx-lib-fixtures/xml/factur-x-en16931.xml", Syntax.CII, Profile.EN16931, False),
    ("facturx-lib-fixtures/xml/factur-x-extended.xml", Syntax.CII, Profile.EXTENDED, False),
    ("facturx-lib-fixtures/xml/ubl-21-en16931.xml", Syntax.UBL, Profile.EN16931, False),
    ("facturx-lib-fixtures/xml/ubl-21-extended-ctc-fr.xml", Syntax.UBL, Profile.EXTENDED_CTC_FR, False),
    ("en16931/ubl-examples/ubl-tc434-creditnote1.xml", Syntax.UBL, Profile.EN16931, True),
    ("facturx-lib-fixtures/pdf/invoice_EN16931.pdf", Syntax.FACTURX, Profile.EN16931, False),
    ("afnor-examples/xp-z12-014-use-cases-v1.2/UC5/UC5b_F202500011_00-CN_20250703/UC5b_F202500011_00-CN_20250703_CII.xml",
     Syntax.CII, Profile.EN16931, True),
])
def test_syntax_and_profile(relative, syntax, profile, credit_note):
    found = detect(corpus_file(relative).read_bytes())
    assert (found.syntax, found.profile, found.is_credit_note) == (syntax, profile, credit_note)
    assert found.tree.getroot() is not None and found.xml_bytes.lstrip(b"\xef\xbb\xbf").startswith(b"<")


def test_a_factur_x_pdf_names_its_attachment():
    found = detect(corpus_file("facturx-lib-fixtures/pdf/invoice_EN16931.pdf").read_bytes())
    assert found.attachment_name == "factur-x.xml"


@pytest.mark.parametrize("relative, label", [
    ("facturx-lib-fixtures/xml/zugferd-comfort.xml", "ZUGFeRD 1.0"),
    ("facturx-lib-fixtures/xml/order-x-basic.xml", "Order-X"),
    ("afnor-examples/xp-z12-014-use-cases-v1.2/UC1/UC1_F202500003_01-CDV-200_Deposee.xml", "CDAR"),
])
def test_known_formats_we_do_not_handle_are_unsupported(relative, label):
    with pytest.raises(UnsupportedFormatError, match=label):
        detect(corpus_file(relative).read_bytes())


@pytest.mark.parametrize("data", [
    b'<p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"/>',
    b"<html><body>not an invoice</body></html>",
])
def test_other_xml_is_unsupported(data):
    with pytest.raises(UnsupportedFormatError):
        detect(data)
