"""The pages as read, kept with the recognition (JSON) so corrections can be located on them later."""

from einvoice.recognition.layout import Box, Page, Segment


def dump(pages):
    return [{"number": page.number, "ocr": page.from_ocr, "rotation": page.rotation, "skew": page.skew,
             "segments": [[s.text, s.box.as_list()[1:], round(s.confidence, 3)] for s in page.segments]}
            for page in pages]


def load(stored):
    return [Page(page["number"], [Segment(text, Box(page["number"], *box), confidence)
                                  for text, box, confidence in page["segments"]],
                 from_ocr=page["ocr"], rotation=page["rotation"], skew=page["skew"]) for page in stored]
