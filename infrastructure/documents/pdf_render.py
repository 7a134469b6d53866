"""A FormalDocument as PDF (reportlab), the same layout as the DOCX, CJK fonts embedded."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    HRFlowable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from application.paperwork import (
    HEADING,
    SUBHEADING,
    Block,
    FormalDocument,
    Paragraph,
    Table,
    chinese_date,
)
from infrastructure.documents.fonts import register_fonts

RED = colors.Color(0.9, 0.0, 0.07)
_TEXT_WIDTH = 156 * mm


class _Styles:
    def __init__(self) -> None:
        serif, sans = register_fonts()
        body: dict[str, Any] = {"fontName": serif, "fontSize": 14, "leading": 24}
        self.body = ParagraphStyle("body", **body, firstLineIndent=28, wordWrap="CJK")
        self.plain = ParagraphStyle("plain", **body, wordWrap="CJK")
        self.heading = ParagraphStyle("heading", **{**body, "fontName": sans}, firstLineIndent=28)
        self.subheading = ParagraphStyle(
            "subheading", **{**body, "fontName": sans, "fontSize": 14}, firstLineIndent=28
        )
        self.masthead = ParagraphStyle(
            "masthead", fontName=sans, fontSize=22, leading=30, alignment=TA_CENTER, textColor=RED
        )
        self.number = ParagraphStyle("number", **body, alignment=TA_CENTER)
        self.title = ParagraphStyle(
            "title", fontName=sans, fontSize=20, leading=30, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.right = ParagraphStyle("right", **body, alignment=TA_RIGHT)
        self.caption = ParagraphStyle(
            "caption", fontName=sans, fontSize=12, leading=20, alignment=TA_CENTER
        )
        self.cell = ParagraphStyle(
            "cell", fontName=serif, fontSize=8, leading=11, alignment=TA_LEFT, wordWrap="CJK"
        )
        self.head_cell = ParagraphStyle(
            "head_cell", fontName=sans, fontSize=8, leading=11, alignment=TA_CENTER
        )
        self.draft = ParagraphStyle("draft", fontName=sans, fontSize=11, alignment=TA_RIGHT)
        self.small = ParagraphStyle("small", **{**body, "fontSize": 12}, wordWrap="CJK")


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _table(table: Table, styles: _Styles) -> list[Any]:
    widths = table.widths or tuple(1 for _ in table.headers)
    total = sum(widths)
    data = [[PdfParagraph(_text(h), styles.head_cell) for h in table.headers]]
    data += [[PdfParagraph(_text(c), styles.cell) for c in row] for row in table.rows]
    grid = PdfTable(data, colWidths=[_TEXT_WIDTH * w / total for w in widths], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ]
        )
    )
    return [Spacer(1, 4), PdfParagraph(_text(table.caption), styles.caption), grid, Spacer(1, 8)]


def _blocks(blocks: list[Block], styles: _Styles) -> list[Any]:
    flow: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            style = {HEADING: styles.heading, SUBHEADING: styles.subheading}.get(
                block.level, styles.body
            )
            flow.append(PdfParagraph(_text(block.text), style))
        else:
            flow += _table(block, styles)
    return flow


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    serif, _ = register_fonts()
    canvas.saveState()
    canvas.setFont(serif, 12)
    canvas.drawCentredString(A4[0] / 2, 18 * mm, f"— {doc.page} —")
    canvas.restoreState()


def render_pdf(document: FormalDocument) -> bytes:
    styles = _Styles()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=30 * mm,
        bottomMargin=30 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=document.title,
        author=document.issuer,
    )
    flow: list[Any] = []
    if document.draft:
        flow.append(PdfParagraph("草稿 · 未印发", styles.draft))
    if document.masthead:
        flow.append(PdfParagraph(_text(document.masthead), styles.masthead))
        flow.append(Spacer(1, 10))
        flow.append(PdfParagraph(_text(document.number or " "), styles.number))
        flow.append(HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=4))
    flow += [Spacer(1, 18), PdfParagraph(_text(document.title), styles.title), Spacer(1, 18)]
    flow.append(PdfParagraph(_text(document.addressee), styles.plain))
    flow += _blocks(document.body, styles)
    flow += [
        Spacer(1, 24),
        PdfParagraph(_text(document.issuer), styles.right),
        PdfParagraph(chinese_date(document.dated), styles.right),
    ]
    if document.copy_to:
        flow += [
            Spacer(1, 24),
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
            PdfParagraph(_text(document.copy_to), styles.small),
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
        ]
    if document.appendix:
        flow += [PageBreak(), PdfParagraph(_text(document.appendix_title), styles.heading)]
        flow += _blocks(document.appendix, styles)
    pdf.build(flow, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()
