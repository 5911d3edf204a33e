"""What recognition reads a page as: text segments with their place on the page.

Positions are fractions of the page (0..1, origin top left), so a box found on
a text layer at 72 dpi or on a scan at 200 dpi is drawn the same way over the
page image, and a supplier's remembered layout applies whatever the resolution.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def as_list(self):
        return [self.page, round(self.x0, 4), round(self.y0, 4), round(self.x1, 4), round(self.y1, 4)]

    @classmethod
    def from_list(cls, values):
        return cls(int(values[0]), *(float(v) for v in values[1:5]))

    @property
    def middle_y(self):
        return (self.y0 + self.y1) / 2

    def overlaps(self, other, margin=0.0):
        return (self.page == other.page and self.x0 - margin < other.x1 and other.x0 < self.x1 + margin
                and self.y0 - margin < other.y1 and other.y0 < self.y1 + margin)


@dataclass(frozen=True)
class Segment:
    """A run of text read as one piece (a table cell, a phrase), with how sure the reading is (0..1)."""

    text: str
    box: Box
    confidence: float = 1.0


@dataclass
class Line:
    segments: list = field(default_factory=list)

    @property
    def text(self):
        return "  ".join(segment.text for segment in self.segments)

    @property
    def page(self):
        return self.segments[0].box.page

    @property
    def top(self):
        return min(segment.box.y0 for segment in self.segments)


@dataclass
class Page:
    number: int
    segments: list
    from_ocr: bool = False
    rotation: int = 0  # degrees the page image was turned before reading (OCR)
    skew: float = 0.0

    def lines(self):
        """Segments grouped into lines: those whose vertical middles fall within each other's height."""
        lines = []
        for segment in sorted(self.segments, key=lambda s: (s.box.middle_y, s.box.x0)):
            last = lines[-1] if lines else None
            if last is not None and abs(last.segments[-1].box.middle_y - segment.box.middle_y) < max(
                    (segment.box.y1 - segment.box.y0) * 0.6, 0.002):
                last.segments.append(segment)
            else:
                lines.append(Line([segment]))
        for line in lines:
            line.segments.sort(key=lambda s: s.box.x0)
        return lines
