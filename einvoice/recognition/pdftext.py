"""A PDF's pages: their text layer with positions (pdfium), or their image for OCR and review."""

import pypdfium2 as pdfium

from einvoice.errors import UnreadableError
from einvoice.recognition.layout import Box, Page, Segment

# A page with fewer characters than this on its text layer is a scan: it goes through OCR.
MIN_TEXT_CHARS = 20


def open_pdf(data):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableError(f"unreadable PDF: {error}") from None


def page_count(data):
    document = open_pdf(data)
    try:
        return len(document)
    finally:
        document.close()


def text_page(page, number):
    """The page's text layer as segments, or None when it has (next to) no text: a scanned page."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        if textpage.count_chars() < MIN_TEXT_CHARS:
            return None
        segments = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
            if text:
                box = Box(number, left / width, 1 - top / height, right / width, 1 - bottom / height)
                segments.append(Segment(text, box))
        return Page(number, segments)
    finally:
        textpage.close()


def render(page, dpi):
    """The page as a Pillow image at ``dpi``."""
    return page.render(scale=dpi / 72).to_pil()


def page_image(data, number, dpi=110):
    """Page ``number`` (from 0) of a PDF as a Pillow image, for the review page."""
    document = open_pdf(data)
    try:
        if not 0 <= number < len(document):
            raise IndexError(number)
        return render(document[number], dpi)
    finally:
        document.close()
