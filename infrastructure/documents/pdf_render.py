"""A FormalDocument as PDF (reportlab), the same layout as the DOCX, CJK fonts embedded."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
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
from infrastructure.documents.linebreak import Measure
from infrastructure.documents.pdf_paragraph import (
    CjkParagraph,
    KeepWithFirst,
    KeepWithLast,
    PhrasedParagraph,
    paragraph,
    paragraphs,
)
from infrastructure.documents.table_layout import column_widths, label_rows

RED = colors.Color(0.9, 0.0, 0.07)
_TEXT_WIDTH = 156 * mm
_CELL_PADDING = 3
_HEADINGS = ("heading", "subheading")


class _Styles:
    def __init__(self) -> None:
        serif, sans = register_fonts()
        body: dict[str, Any] = {"fontName": serif, "fontSize": 14, "leading": 24, "wordWrap": "CJK"}
        self.body = ParagraphStyle("body", **body, firstLineIndent=28)
        self.plain = ParagraphStyle("plain", **body)
        self.heading = ParagraphStyle("heading", **{**body, "fontName": sans}, firstLineIndent=28)
        self.plain_heading = ParagraphStyle("plain_heading", **{**body, "fontName": sans})
        self.subheading = ParagraphStyle(
            "subheading", **{**body, "fontName": sans, "fontSize": 14}, firstLineIndent=28
        )
        self.masthead = ParagraphStyle(
            "masthead",
            fontName=sans,
            fontSize=22,
            leading=30,
            alignment=TA_CENTER,
            textColor=RED,
            wordWrap="CJK",
        )
        self.number = ParagraphStyle("number", **body, alignment=TA_CENTER)
        self.title = ParagraphStyle(
            "title", fontName=sans, fontSize=20, leading=30, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.right = ParagraphStyle("right", **body, alignment=TA_RIGHT)
        self.caption = ParagraphStyle(
            "caption", fontName=sans, fontSize=12, leading=20, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.cell = ParagraphStyle(
            "cell", fontName=serif, fontSize=8, leading=11, alignment=TA_LEFT, wordWrap="CJK"
        )
        self.head_cell = ParagraphStyle(
            "head_cell", fontName=sans, fontSize=8, leading=11, alignment=TA_CENTER, wordWrap="CJK"
        )
        self.draft = ParagraphStyle(
            "draft", fontName=sans, fontSize=11, alignment=TA_RIGHT, wordWrap="CJK"
        )
        self.small = ParagraphStyle("small", **{**body, "fontSize": 12})


def _measure(style: ParagraphStyle) -> Measure:
    def measure(text: str) -> float:
        return float(stringWidth(text, style.fontName, style.fontSize))

    return measure


def _table(table: Table, styles: _Styles) -> list[Any]:
    widths = column_widths(
        table,
        _TEXT_WIDTH,
        head=_measure(styles.head_cell),
        cell=_measure(styles.cell),
        padding=2 * _CELL_PADDING,
    )
    rows = label_rows(table, [w - 2 * _CELL_PADDING for w in widths], _measure(styles.cell))
    data = [[paragraphs(h, styles.head_cell) for h in table.headers]]
    data += [[paragraphs(c, styles.cell) for c in row] for row in rows]
    grid = PdfTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ]
        )
    )
    caption = [paragraph(table.caption, styles.caption)] if table.caption else []
    return [Spacer(1, 4), *caption, grid, Spacer(1, 8)]


def _blocks(blocks: list[Block], styles: _Styles) -> list[Any]:
    flow: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            style = {HEADING: styles.heading, SUBHEADING: styles.subheading}.get(
                block.level, styles.body
            )
            flow += paragraphs(block.text, style)
        else:
            flow += _table(block, styles)
    return flow


def _heading(flowable: Any) -> bool:
    return isinstance(flowable, CjkParagraph) and flowable.style.name in _HEADINGS


def _kept(body: list[Any], signature: list[Any]) -> list[Any]:
    """The body and the signature, a heading kept with the paragraph under it and the
    signature with the last paragraph: neither stands alone on a page."""
    if body and isinstance(body[-1], CjkParagraph) and not _heading(body[-1]):
        lead = body[-2:-1] if len(body) > 1 and _heading(body[-2]) else []
        end: list[Any] = [KeepWithLast(lead, body[-1], signature)]
        body = body[: len(body) - 1 - len(lead)]
    else:
        end = [KeepTogether(signature)]
    kept: list[Any] = []
    for flowable in body:
        if kept and _heading(kept[-1]) and isinstance(flowable, CjkParagraph):
            kept[-1] = KeepWithFirst(kept[-1], flowable)
        else:
            kept.append(flowable)
    return [*kept, *end]


def _signature(document: FormalDocument, styles: _Styles) -> list[Any]:
    return [
        Spacer(1, 24),
        paragraph(document.issuer, styles.right, kind=PhrasedParagraph),
        paragraph(chinese_date(document.dated), styles.right),
    ]


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
    if document.stamp:
        flow.append(paragraph(document.stamp, styles.draft))
    if document.masthead:
        flow.append(paragraph(document.masthead, styles.masthead, kind=PhrasedParagraph))
        flow.append(Spacer(1, 10))
        flow.append(paragraph(document.number or " ", styles.number))
        flow.append(HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=4))
    flow += [
        Spacer(1, 18),
        paragraph(document.title, styles.title, kind=PhrasedParagraph),
        Spacer(1, 18),
        paragraph(document.addressee, styles.plain),
    ]
    signed = _signature(document, styles)
    if document.appendix:  # 附件说明: the body names its appendix, a line under its last
        note = [Spacer(1, 12), paragraph(document.appendix_title, styles.body)]
        signed = [*note, *signed]  # kept with the body's last paragraph, as the signature is
    flow += _kept(_blocks(document.body, styles), signed)
    if document.appendix:  # 附件 alone at the top left, the appendix's title centred under it
        flow += [
            PageBreak(),
            paragraph("附件", styles.plain_heading),
            paragraph(
                document.appendix_title.removeprefix("附件："), styles.title, kind=PhrasedParagraph
            ),
        ]
        flow += _blocks(document.appendix, styles)
    if document.copy_to:  # 版记: on the last page, after the appendix
        flow += [
            Spacer(1, 24),
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
            paragraph(document.copy_to, styles.small),
            HRFlowable(width="100%", thickness=0.8, color=colors.black),
        ]
    pdf.build(flow, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()
