"""Factur-X: a PDF/A-3 view of the invoice carrying its CII as ``factur-x.xml``.

The PDF is laid out by WeasyPrint from the same HTML as ``einvoice.render``
and written in one pass: WeasyPrint embeds the CII with ``/AFRelationship
/Data`` and lists it in the catalog's ``/AF`` (PDF/A-3), and we add the
Factur-X XMP properties (and their PDF/A extension schema) to the metadata it
writes. Rewriting the finished PDF with pypdf, as the ``factur-x`` package
does, would read and write every object a second time.

An invoice without a number (BT-1), an issue date (BT-2) or a seller name
(BT-27) is refused with ``InvoiceWriteError``: every Factur-X profile, even
MINIMUM, requires them, and they are what identifies the document (its PDF
metadata name it by them). Any other missing term is left out of the CII and
shows as missing on the page, for validation to report.

The XMP conformance level is the profile of the CII written, so the two never
disagree. EXTENDED-CTC-FR is a CII profile, not a Factur-X level: an invoice
claiming it is carried as Factur-X EXTENDED, which has room for the same terms.
"""

import base64
import datetime
from xml.sax.saxutils import escape

from einvoice import detect
from einvoice.errors import InvoiceWriteError
from einvoice.render import render_document
from einvoice.write.cii import facturx_flavour_for, to_cii

FILENAME = "factur-x.xml"
FX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
XMP_LEVELS = {
    detect.Profile.MINIMUM: "MINIMUM", detect.Profile.BASIC_WL: "BASIC WL", detect.Profile.BASIC: "BASIC",
    detect.Profile.EN16931: "EN 16931", detect.Profile.EXTENDED: "EXTENDED",
}


def to_facturx(invoice, lang="fr", *, logo=None):
    """The Factur-X PDF/A-3 of ``invoice``: its readable view (with the seller's ``logo``, as
    ``(content, media_type)``, if given) with the CII embedded."""
    _require_identity(invoice)
    cii = to_cii(invoice, facturx_flavour_for(invoice))
    level = XMP_LEVELS[detect.detect_xml(cii).profile]
    document = render_document(invoice, lang, logo=logo)
    _describe(document, invoice, level)
    return document.write_pdf(pdf_variant="pdf/a-3b", attachments=[_attachment(cii)], finisher=_list_files_once)


def _require_identity(invoice):
    missing = [term for term, present in (
        ("its number (BT-1)", invoice.number),
        ("its issue date (BT-2)", invoice.issue_date),
        ("the seller's name (BT-27)", invoice.seller is not None and invoice.seller.name),
    ) if not present]
    if missing:
        raise InvoiceWriteError(f"cannot write a Factur-X invoice without {' and '.join(missing)}")


def _attachment(cii):
    from weasyprint import Attachment

    # A data: URL lets WeasyPrint record the MIME type text/xml the Factur-X specification asks for.
    url = "data:text/xml;base64," + base64.b64encode(cii).decode("ascii")
    return Attachment(url=url, name=FILENAME, description="Factur-X invoice", relationship="Data")


def _list_files_once(document, pdf):
    """WeasyPrint lists each embedded file twice in the catalog's /AF; once is what PDF/A-3 means."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))


def _describe(document, invoice, level):
    """Document information, with the Factur-X XMP properties added to WeasyPrint's own."""
    from weasyprint.pdf.metadata import DocumentMetadata

    class FacturxMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, *args):
            # One rdf:RDF per XMP packet: our descriptions go inside WeasyPrint's.
            return super().generate_rdf_metadata(*args).replace(b"</rdf:RDF>", _facturx_xmp(level) + b"</rdf:RDF>")

    metadata = FacturxMetadata(**vars(document.metadata))
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    seller = invoice.seller.name or ""
    metadata.authors = [seller] if seller else []
    metadata.description = f"{invoice.number} {invoice.issue_date.isoformat()} {seller}".strip()
    metadata.keywords = ["Factur-X", level]
    metadata.generator = "Facturier"
    metadata.created = metadata.modified = now
    document.metadata = metadata


def _facturx_xmp(level):
    """The Factur-X properties and the PDF/A extension schema that declares them (Factur-X 1.0.07, §6.2.2)."""
    properties = (
        ("DocumentFileName", "The name of the embedded XML document"),
        ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
        ("Version", "The actual version of the standard applying to the embedded XML document"),
        ("ConformanceLevel", "The conformance level of the embedded XML document"),
    )
    declared = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
        f"<pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external"
        f"</pdfaProperty:category><pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        for name, description in properties
    )
    return (
        '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{FX_NAMESPACE}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>{declared}</rdf:Seq>"
        "</pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        f'<rdf:Description rdf:about="" xmlns:fx="{FX_NAMESPACE}">'
        f"<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>{FILENAME}</fx:DocumentFileName>"
        f"<fx:Version>1.0</fx:Version><fx:ConformanceLevel>{escape(level)}</fx:ConformanceLevel>"
        "</rdf:Description>"
    ).encode()
