"""A FormalDocument as DOCX, in the layout of a government document (GB/T 9704 in spirit).

Red masthead and number over a red rule, the title centred in a large Song face, the
addressee, the body in 仿宋 with two-character indents, headings in 黑体 and 楷体, tables,
the issuing unit and the date on the right, the 抄送 line, page numbers, then the appendix.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from application.paperwork import (
    HEADING,
    SUBHEADING,
    Block,
    FormalDocument,
    Paragraph,
    Table,
    chinese_date,
)
from infrastructure.documents.linebreak import Measure, phrased_lines
from infrastructure.documents.table_layout import column_widths, label_rows

RED = RGBColor(0xE6, 0x00, 0x12)
SONG, FANGSONG, HEI, KAI = "宋体", "仿宋", "黑体", "楷体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 9
_TEXT_WIDTH_MM = 156
_RIGHT, _CENTER = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
_CELL_MARGIN_PT = 3  # a side; Word's default (0.19 cm) would take a ninth of a 9-column table


def _font(run_holder: DocxParagraph, text: str, *, face: str, size: float, **style: object) -> None:
    run = run_holder.add_run(text)
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    run.font.bold = bool(style.get("bold", False))
    color = style.get("color")
    if isinstance(color, RGBColor):
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def _paragraph(
    doc: object, text: str, *, face: str = FANGSONG, size: float = BODY_PT, **style: object
) -> DocxParagraph:
    paragraph: DocxParagraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(size + 6, 28) if size >= BODY_PT else size + 6)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    align = style.pop("align", None)
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    if style.pop("indent", False):
        fmt.first_line_indent = Pt(size * 2)
    _font(paragraph, text, face=face, size=size, **style)
    return paragraph


def _phrased(doc: object, text: str, *, face: str, size: float, **style: object) -> DocxParagraph:
    """A title, masthead or signature, its lines broken by hand where ``phrased_lines``
    breaks them (Word would break a Chinese line inside a word)."""
    first, *rest = phrased_lines(text, [Mm(_TEXT_WIDTH_MM).pt], _measure(size))
    paragraph = _paragraph(doc, first, face=face, size=size, **style)
    for line in rest:
        paragraph.runs[-1].add_break(WD_BREAK.LINE)
        _font(paragraph, line, face=face, size=size, **style)
    return paragraph


def _title(doc: object, text: str) -> None:
    """A title in 二号 Song, bold, centred."""
    _phrased(doc, text, face=SONG, size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _rule(paragraph: DocxParagraph, *, where: str, color: str, size: int = 12) -> None:
    """A line under (or over) a paragraph: the red rule, the 抄送 lines."""
    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{where}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def _page_numbers(doc: object) -> None:
    footer = doc.sections[0].footer  # type: ignore[attr-defined]
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph, "— ", face=SONG, size=14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._element.append(field)
    _font(paragraph, " —", face=SONG, size=14)


def _measure(size: float) -> Measure:
    """A line's width in points, as a CJK face sets it: Han characters and full-width
    punctuation one em, Latin letters and digits half an em."""

    def measure(text: str) -> float:
        return sum(size if ord(ch) >= 0x2E80 else size / 2 for ch in text)

    return measure


def _cell_margins(table_properties: object, points: float) -> None:
    """Left and right cell margins for the whole table (before tblLook, as the schema
    orders them)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(points * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = table_properties.find(qn("w:tblLook"))  # type: ignore[attr-defined]
    if look is None:
        table_properties.append(margins)  # type: ignore[attr-defined]
    else:
        look.addprevious(margins)


def _table(doc: object, table: Table) -> None:
    if table.caption:
        caption = _paragraph(doc, table.caption, face=HEI, size=12, align=_CENTER)
        caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = column_widths(
        table,
        float(Mm(_TEXT_WIDTH_MM).pt),
        head=_measure(TABLE_PT),
        cell=_measure(TABLE_PT),
        padding=2 * _CELL_MARGIN_PT,
    )
    _cell_margins(grid._tbl.tblPr, _CELL_MARGIN_PT)
    for cells in (grid.rows[0].cells,):
        for cell, header in zip(cells, table.headers, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(cell.paragraphs[0], header, face=HEI, size=TABLE_PT)
    room = [w - 2 * _CELL_MARGIN_PT for w in widths]
    for row in label_rows(table, room, _measure(TABLE_PT)):
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _font(cell.paragraphs[0], value, face=SONG, size=TABLE_PT)
    for n, width in enumerate(widths):
        grid.columns[n].width = Pt(width)
        for cell in grid.columns[n].cells:
            cell.width = Pt(width)
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_row.append(repeat)
    _paragraph(doc, "", size=8)


def _blocks(doc: object, blocks: list[Block]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            face = HEI if block.level == HEADING else KAI if block.level == SUBHEADING else FANGSONG
            paragraph = _paragraph(doc, block.text, face=face, indent=True)
            paragraph.paragraph_format.keep_with_next = block.level in (HEADING, SUBHEADING)
        else:
            _table(doc, block)


def _signature(doc: object, document: FormalDocument) -> None:
    """The issuing unit and the date, kept on one page with the body's last paragraph."""
    if document.body and isinstance(document.body[-1], Paragraph):
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    _paragraph(doc, "").paragraph_format.keep_with_next = True
    issuer = _phrased(doc, document.issuer, face=FANGSONG, size=BODY_PT, align=_RIGHT)
    issuer.paragraph_format.keep_with_next = True
    _paragraph(doc, chinese_date(document.dated), align=_RIGHT)


def render_docx(document: FormalDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.issuer
    center = WD_ALIGN_PARAGRAPH.CENTER
    if document.stamp:
        _paragraph(doc, document.stamp, face=HEI, size=12, align=_RIGHT)
    if document.masthead:
        _phrased(
            doc, document.masthead, face=SONG, size=TITLE_PT, bold=True, color=RED, align=center
        )
        number = _paragraph(doc, document.number or " ", size=BODY_PT, align=center)
        _rule(number, where="bottom", color="E60012", size=18)
    _paragraph(doc, "", size=BODY_PT)
    _title(doc, document.title)
    _paragraph(doc, "", size=BODY_PT)
    _paragraph(doc, document.addressee)
    _blocks(doc, document.body)
    if document.appendix:  # 附件说明: the body names its appendix, a line under its last
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # with the body's last line
        for text in ("", document.appendix_title):
            note = _paragraph(doc, text, face=FANGSONG, indent=bool(text))
            note.paragraph_format.keep_with_next = True
    _signature(doc, document)
    if document.appendix:  # 附件 alone at the top left, the appendix's title centred under it
        doc.add_section(WD_SECTION.NEW_PAGE)
        _paragraph(doc, "附件", face=HEI, size=BODY_PT)
        _title(doc, document.appendix_title.removeprefix("附件："))
        _blocks(doc, document.appendix)
    if document.copy_to:  # 版记: on the last page, after the appendix
        _paragraph(doc, "", size=BODY_PT)
        copy_to = _paragraph(doc, document.copy_to, size=14)
        _rule(copy_to, where="top", color="000000", size=6)
        _rule(copy_to, where="bottom", color="000000", size=6)
    elif not document.appendix:
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.LINE)
    _page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
