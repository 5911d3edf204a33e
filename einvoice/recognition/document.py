"""A document's pages, read the way each needs: the PDF text layer, else OCR of the page image."""

from einvoice.recognition import ocr, pdftext

OCR_DPI = 170  # a scanned page rendered at about the width OCR reads (ocr.OCR_WIDTH)
JPEG, PNG = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"


def is_image(data):
    return data.startswith((JPEG, PNG))


def recognisable(data):
    """Whether ``data`` is something recognition reads: a PDF, a JPEG or a PNG."""
    return data.lstrip()[:5] == b"%PDF-" or is_image(data)


def read_document(data, progress=None):
    """The pages of ``data``; ``progress(done, total)`` is called after each page."""
    if is_image(data):
        page = ocr.read_image(ocr.open_image(data), 0)
        if progress:
            progress(1, 1)
        return [page]
    document = pdftext.open_pdf(data)
    try:
        pages = []
        for number in range(len(document)):
            page = document[number]
            read = pdftext.text_page(page, number)
            if read is None:
                read = ocr.read_image(pdftext.render(page, OCR_DPI), number)
            pages.append(read)
            page.close()
            if progress:
                progress(number + 1, len(document))
        return pages
    finally:
        document.close()


def count_pages(data):
    return 1 if is_image(data) else pdftext.page_count(data)


def page_image(data, number, *, ocr_read=False, skew=0.0, rotation=0):
    """Page ``number`` as a Pillow image in the frame its boxes were read in (straightened when OCR read it)."""
    if is_image(data):
        if number != 0:
            raise IndexError(number)
        return ocr.straightened(ocr.prepared(ocr.open_image(data)), skew, rotation)
    if not ocr_read:
        return pdftext.page_image(data, number)
    document = pdftext.open_pdf(data)
    try:
        if not 0 <= number < len(document):
            raise IndexError(number)
        return ocr.straightened(ocr.prepared(pdftext.render(document[number], OCR_DPI)), skew, rotation)
    finally:
        document.close()
