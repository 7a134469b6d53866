"""reportlab paragraphs broken by the Chinese rules of ``linebreak``, and keeping rules.

reportlab's own CJK wrapping lets a line start with ，；：！？” and end with （“, and leaves a
last character alone on its line. Each paragraph here is one run of plain text in one font
(a line break starts another paragraph), so the lines are computed from the text alone.

A heading keeps with the first lines of the paragraph after it, and the signature (落款,
date) with the last lines of the paragraph before it: neither is left alone at the foot or
the head of a page, and the paragraph still breaks across pages where it must.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from infrastructure.documents.linebreak import break_lines, phrased_lines


class CjkParagraph(Paragraph):
    """Plain text set by the Chinese line-breaking rules (made by ``paragraph``)."""

    lines_of = staticmethod(break_lines)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        frags = self.frags
        if len(frags) != 1 or getattr(self, "_splitpara", False) or hasattr(frags[0], "cbDefn"):
            return super().breakLinesCJK(maxWidths)
        frag = frags[0]
        # The rest of a paragraph split across pages holds its lines' words, not its text.
        text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]

        def measure(run: str) -> float:
            return float(stringWidth(run, frag.fontName, frag.fontSize))

        lines = self.lines_of(text, widths, measure)
        return frag.clone(
            kind=0,
            lines=[
                (widths[min(n, len(widths) - 1)] - measure(line), [line])
                for n, line in enumerate(lines)
            ],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )


class PhrasedParagraph(CjkParagraph):
    """A title, a masthead, a signature: lines as even as can be, two broken after a
    phrase, not inside a word."""

    lines_of = staticmethod(phrased_lines)


def paragraph(
    text: str, style: ParagraphStyle, *, kind: type[CjkParagraph] = CjkParagraph
) -> CjkParagraph:
    """One paragraph: a line break in the text (a title recorded before titles were held to
    one line) is set as a space, never a failed document."""
    text = " ".join(part.strip() for part in text.splitlines()) if "\n" in text else text
    return kind(escape(text), style)


def paragraphs(text: str, style: ParagraphStyle) -> list[CjkParagraph]:
    """A paragraph per line of the text (a table cell, a block with line breaks)."""
    return [paragraph(line, style) for line in text.split("\n")]


_KEPT_LINES = 2


class KeepWithLast(KeepTogether):
    """A paragraph (with the heading over it, if any) and what follows it, the signature,
    on one page: when they do not fit, the paragraph breaks so that its last lines go over
    with what follows."""

    _H: float  # the content's height, set by KeepTogether.wrap

    def __init__(self, lead: list[Flowable], last: Paragraph, following: list[Flowable]) -> None:
        super().__init__([*lead, last, *following])
        self.lead, self.last, self.following = lead, last, following

    def split(self, width: float, height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (width, height):
            self.wrap(width, height)
        if height < self._H:
            lead = sum(f.wrap(width, height)[1] + f.getSpaceAfter() for f in self.lead)
            leading = self.last.style.leading
            lines = round(self.last.wrap(width, height)[1] / leading)
            here = min(int((height - lead) // leading), lines - _KEPT_LINES)
            parts = self.last.split(width, here * leading + 0.01) if here >= _KEPT_LINES else []
            if len(parts) == 2:
                return [*self.lead, parts[0], KeepTogether([parts[1], *self.following])]
        result: list[Flowable] = super().split(width, height)
        return result


class KeepWithFirst(KeepTogether):
    """A heading and the paragraph after it: the heading goes to the next page unless the
    paragraph's first lines fit under it."""

    _H: float  # the content's height, set by KeepTogether.wrap

    def __init__(self, heading: Paragraph, first: Paragraph) -> None:
        super().__init__([heading, first])
        self.heading, self.first = heading, first

    def split(self, width: float, height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (width, height):
            self.wrap(width, height)
        _, heading = self.heading.wrap(width, height)
        if height < self._H and heading + _KEPT_LINES * self.first.style.leading <= height:
            return [self.heading, self.first]
        result: list[Flowable] = super().split(width, height)
        return result
