"""Scans and photos read by Tesseract (French and English), once turned upright and straightened.

Orientation: Tesseract's own detection (OSD) first when the page lies on its
side (wider than high), after a poor first reading otherwise (upside down);
skew: the angle at which the text rows are sharpest (the rows' ink profile
varies most), found on a small copy of the page. Tesseract runs on one thread:
the platform's workers already share the machine's cores.
"""

import io
import os
import re

import pytesseract
from PIL import Image, ImageOps

from einvoice.errors import UnreadableError
from einvoice.recognition.layout import Box, Page, Segment

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
LANGUAGES = "fra+eng"
OCR_WIDTH = 1400  # pixels across an A4 page (about 170 dpi): as exact as 200 dpi on invoice text, and faster
POOR_READING = 55  # mean word confidence under which the orientation is checked


def read_image(image, number=0):
    """A page image (Pillow) read into segments, turned and straightened first."""
    image = prepared(image)
    rotation = orientation(image) if image.width > image.height else 0  # a page lying on its side
    image = straightened(image, 0, rotation)
    skew = skew_angle(image)
    image = straightened(image, skew)
    page = ocr(image, number)
    if not rotation and mean_confidence(page) < POOR_READING:  # upside down, perhaps
        rotation = orientation(image)
        if rotation:
            image = straightened(image, 0, rotation)
            page = ocr(image, number)
    page.rotation, page.skew = rotation, skew
    return page


def straightened(image, skew, rotation=0):
    """The page image as it was read: turned ``rotation`` degrees clockwise to upright, then by ``skew``."""
    if rotation:
        image = image.rotate(-rotation, expand=True, fillcolor=255)
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return image


def prepared(image):
    """Grey, upright as its EXIF says (photos), scaled to the width Tesseract reads best."""
    image = ImageOps.exif_transpose(image).convert("L")
    if image.width > OCR_WIDTH * 1.3 or image.width < OCR_WIDTH * 0.6:
        image = image.resize((OCR_WIDTH, round(image.height * OCR_WIDTH / image.width)), Image.LANCZOS)
    return ImageOps.autocontrast(image, cutoff=1)


def skew_angle(image, limit=6.0, step=0.5):
    """The small rotation (degrees) that makes the text rows horizontal, 0 when already so."""
    small = image.resize((400, round(image.height * 400 / image.width))).point(lambda v: 255 if v < 140 else 0)

    def sharpness(angle):
        profile = small.rotate(angle, resample=Image.BILINEAR).resize((1, small.height), Image.BOX)
        values = profile.tobytes()
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values)

    coarse = max((a * step for a in range(int(-limit / step), int(limit / step) + 1)), key=sharpness)
    fine = max((coarse + d / 10 for d in range(-4, 5)), key=sharpness)
    return round(fine, 1) if abs(fine) >= 0.3 else 0.0


def orientation(image):
    """Degrees clockwise the page is turned (0, 90, 180, 270) as Tesseract's OSD sees it; 0 if unsure."""
    try:
        found = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=20")
    except pytesseract.TesseractError:
        return 0
    match = re.search(r"Rotate: (\d+)", found)
    return int(match.group(1)) % 360 if match else 0


def ocr(image, number):
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGES, config="--oem 1 --psm 3",
                                         output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError) as error:
        raise UnreadableError(f"OCR failed: {error}") from None
    return Page(number, segments(data, image.width, image.height, number), from_ocr=True)


def segments(data, width, height, number):
    """Tesseract's words joined into segments: words of a line closer than a wide gap belong together."""
    result, current = [], None
    for i, text in enumerate(data["text"]):
        text = text.strip()
        confidence = float(data["conf"][i])
        if not text or confidence < 0:
            continue
        left, top, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if current and current["key"] == key and left - current["right"] < max(h, current["height"]) * 1.2:
            current["words"].append(text)
            current["right"], current["bottom"] = left + w, max(current["bottom"], top + h)
            current["top"], current["conf"] = min(current["top"], top), current["conf"] + [confidence]
            continue
        if current:
            result.append(current)
        current = {"key": key, "words": [text], "left": left, "top": top, "right": left + w,
                   "bottom": top + h, "height": h, "conf": [confidence]}
    if current:
        result.append(current)
    return [Segment(" ".join(s["words"]), Box(number, s["left"] / width, s["top"] / height,
                                                 s["right"] / width, s["bottom"] / height),
                    min(s["conf"]) / 100) for s in result]


def mean_confidence(page):
    if len(page.segments) < 5:
        return 0
    return 100 * sum(s.confidence for s in page.segments) / len(page.segments)


def open_image(data):
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise UnreadableError(f"unreadable image: {error}") from None
    return image
