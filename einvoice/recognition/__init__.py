"""Recognition of invoices that carry no structured data: text PDFs, scans and photos.

    pages = read_document(data)                     # text layer, or OCR for scans and photos
    result = recognise(pages, buyer_ids={"356000000"}, memory_for=lambda seller: {...})
    result.fields["total_incl_vat"].value, .confidence, .box

A PDF's text layer is read with its positions (pdfium); a page without one, or
an image, goes through Tesseract (French and English) after its orientation and
skew are set right. Fields are found by their labels, identifiers checked with
python-stdnum, amounts cross-checked (lines, totals, VAT, total), and a
supplier's remembered layout (boxes a person pointed at) read first. This
package imports no Django: the platform stores what it returns.
"""

from einvoice.recognition.document import is_image, read_document, recognisable
from einvoice.recognition.recognise import Recognition, learn, recognise

__all__ = ["Recognition", "is_image", "learn", "read_document", "recognisable", "recognise"]
