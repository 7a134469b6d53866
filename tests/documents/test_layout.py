"""How a formal document is set: Chinese line breaking, the signature, table columns."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from application.paperwork import HEADING, FormalDocument, Paragraph, Table
from infrastructure.documents import OfficeDocumentRenderer
from infrastructure.documents.linebreak import balanced_lines, break_lines, phrased_lines
from tests.documents.reading import PdfLine, pdf_lines

ISSUER = "省政府驻外办事处资产管理存在问题专项集中整治协调推进机制办公室"
DATED = date(2026, 11, 29)
NOT_FIRST = "，。；：、）」』”！？"  # no line may start with these
NOT_LAST = "（「『“"  # nor end with these


def document(body: list[Paragraph | Table], *, issuer: str = ISSUER) -> FormalDocument:
    return FormalDocument(
        title="关于整改工作进展情况的通报",
        addressee="省政府各驻外办事处：",
        body=list(body),
        issuer=issuer,
        dated=DATED,
    )


def pdf(doc: FormalDocument) -> list[PdfLine]:
    return pdf_lines(OfficeDocumentRenderer().render(doc, "pdf"))


def broken_rules(lines: list[PdfLine]) -> list[str]:
    return [line.text for line in lines if line.text[0] in NOT_FIRST or line.text[-1] in NOT_LAST]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    """Each paragraph puts a mark at another place around the end of the first line, where
    a line breaker that knows no rules breaks before it (or after the opening one)."""
    body = [
        Paragraph("整" * n + mark + "改" * 40)
        for n in range(24, 32)
        for mark in ("，", "；", "。", "：", "、", "）", "」", "”", "！", "？", "（", "“")
    ]

    lines = pdf(document(body))

    assert broken_rules(lines) == []
    assert len([line for line in lines if line.text.startswith("整")]) >= len(body)


def test_a_long_issuing_unit_breaks_into_even_lines_never_leaving_one_character() -> None:
    lines = pdf(document([Paragraph("特此通报。")]))

    signature = [line.text for line in lines if line.text and line.text in ISSUER]
    assert "".join(signature) == ISSUER
    assert len(signature) == 2
    assert abs(len(signature[0]) - len(signature[1])) <= 1


def test_the_line_breaker_moves_the_character_before_a_closing_mark_down_with_it() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert break_lines("一二三四五，六七", [5], measure) == ["一二三四", "五，六七"]
    assert break_lines("一二三四（五六七", [5], measure) == ["一二三四", "（五六七"]
    assert break_lines("一二三四五六", [5], measure) == ["一二三四", "五六"]
    assert break_lines("截至日期为2026-11-30", [10], measure) == ["截至日期为", "2026-11-30"]


@pytest.mark.parametrize("paragraphs", range(14, 34))
def test_the_signature_is_never_alone_on_the_last_page(paragraphs: int) -> None:
    """Over a page's worth of body lengths, one of them ends where a signature kept with
    nothing would go over to a page of its own."""
    body = [Paragraph(f"第{n}段。" + "正文" * 8) for n in range(1, paragraphs)]
    body.append(Paragraph("最后一段：被通报单位要高度重视，" + "切实整改" * 20 + "。"))

    lines = pdf(document(body, issuer="省机关事务管理局"))

    last_page = [line.text for line in lines if line.page == lines[-1].page]
    assert "2026年11月29日" in last_page
    assert any(text.startswith(("切实整改", "最后一段")) for text in last_page), last_page


def test_the_docx_keeps_the_last_paragraph_and_headings_with_what_follows() -> None:
    body = [Paragraph("一、有关要求", HEADING), Paragraph("被通报单位要高度重视。")]
    data = OfficeDocumentRenderer().render(document(body), "docx")

    paragraphs = Document(io.BytesIO(data)).paragraphs
    kept = {
        p.text.replace("\n", "").strip(): bool(p.paragraph_format.keep_with_next)
        for p in paragraphs
    }
    assert kept["一、有关要求"]
    assert kept["被通报单位要高度重视。"]
    assert kept[ISSUER]
    assert not kept["2026年11月29日"]


LEDGER_HEADERS = ("序号", "单位", "问题类别", "问题", "整改措施", "责任人", "完成时限", "整改进展")


def ledger_cells(progress: str, statuses: list[str]) -> tuple[list[tuple[str, ...]], set[str]]:
    """A report's ledger table of a row per status, set in a PDF: its rows, and the text
    pieces of its lines (poppler joins neighbouring cells that fill their line with a space)."""
    rows = [
        (
            str(n),
            "北京办事处",
            "房地产管理",
            "北京办事处未建立资产内部控制管理制度，资产台账长期未更新",
            "针对问题制定整改措施并落实，建立资产内部控制管理制度",
            "王芳",
            f"2026-11-{n + 10:02d}",
            progress,
            status,
        )
        for n, status in enumerate(statuses, start=1)
    ]
    widths = (2, 5, 5, 16, 18, 3, 5, 16, 5)
    table = Table("整改台账", (*LEDGER_HEADERS, "状态"), rows, widths=widths)
    lines = pdf(document([Paragraph("台账如下："), table]))
    return rows, {text for line in lines for text in line.text.split()}


def test_table_columns_fit_numbers_dates_and_short_labels_on_one_line() -> None:
    rows, cells = ledger_cells("已按方案完成整改，资料附后，待核验", ["已批复待整改"] * 12)

    for row in rows:
        assert {row[0], row[1], row[2], row[5], row[6], row[8]} <= cells, row


def test_a_status_with_its_findings_keeps_each_phrase_whole() -> None:
    """A measure found falsified and overdue: 待重新整改（认定弄虚作假1次）（逾期） was set
    two characters a line (重新 / 整改 / （认 / 定弄…)."""
    status = "待重新整改（认定弄虚作假1次）（逾期）"

    _, cells = ledger_cells(
        "整改中（认定弄虚作假1次，须重新整改）（核查未通过1次）", [status, "整改中"] * 2
    )

    assert {"（认定弄虚作假1次）", "（逾期）"} <= cells
    assert not {"重新", "整改", "（认"} & cells


def test_a_title_recorded_with_a_line_break_is_set_on_one_paragraph() -> None:
    """Titles were held to one line only lately: an older notice's still renders."""
    doc = document([Paragraph("正文。")])
    doc = FormalDocument(
        title="关于整改工作\n进展情况的通报",
        addressee=doc.addressee,
        body=doc.body,
        issuer=doc.issuer,
        dated=doc.dated,
    )

    text = "".join(line.text for line in pdf(doc)).replace(" ", "")

    assert "关于整改工作进展情况的通报" in text


LONG_TITLE = "关于省政府驻外办事处资产管理存在问题专项集中整治工作进展情况的通报"


def test_a_two_line_title_breaks_after_a_phrase_not_inside_a_word() -> None:
    """GB/T 9704 wants a title's lines 词意完整: the evenest split breaks 问|题 and 资|产."""

    def measure(text: str) -> float:
        return float(sum(1 if ord(ch) >= 0x2E80 else 0.5 for ch in text))

    assert balanced_lines(LONG_TITLE, [22], measure)[0].endswith("存在问")
    assert phrased_lines(LONG_TITLE, [22], measure) == [
        "关于省政府驻外办事处资产管理存在问题",
        "专项集中整治工作进展情况的通报",
    ]
    assert phrased_lines("关于北京办事处等单位国有资产整改工作滞后问题的通报", [22], measure) == [
        "关于北京办事处等单位国有资产",
        "整改工作滞后问题的通报",
    ]
    # 资产管理 is one word: its 资产 is no phrase's end
    assert phrased_lines("关于上海办事处等三个单位资产管理整改工作滞后的通报", [14], measure) == [
        "关于上海办事处等三个单位",
        "资产管理整改工作滞后的通报",
    ]
    # no phrase ends near enough the middle: the even split stands
    assert phrased_lines("整改整改整改整改整改整改整改整改", [10], measure) == [
        "整改整改整改整改",
        "整改整改整改整改",
    ]
    assert phrased_lines("关于整改工作进展情况的通报", [22], measure) == [
        "关于整改工作进展情况的通报"
    ]


def test_the_pdf_and_the_docx_break_title_masthead_and_signature_after_a_phrase() -> None:
    doc = document([Paragraph("正文。")])
    doc = FormalDocument(
        title=LONG_TITLE,
        addressee=doc.addressee,
        body=doc.body,
        issuer=doc.issuer,
        dated=doc.dated,
        masthead=f"{ISSUER}文件",
        number="机管国资〔2026〕7号",
    )
    renderer = OfficeDocumentRenderer()
    expected = [
        ["关于省政府驻外办事处资产管理存在问题", "专项集中整治工作进展情况的通报"],
        ["省政府驻外办事处资产管理存在问题", "专项集中整治协调推进机制办公室文件"],
        ["省政府驻外办事处资产管理存在问题", "专项集中整治协调推进机制办公室"],
    ]

    lines = [line.text for line in pdf_lines(renderer.render(doc, "pdf"))]
    paragraphs = Document(io.BytesIO(renderer.render(doc, "docx"))).paragraphs
    broken = [split for p in paragraphs if len(split := [t for t in p.text.split("\n") if t]) > 1]

    pdf_pairs = [[line, lines[n + 1]] for n, line in enumerate(lines[:-1])]
    assert all(pair in pdf_pairs for pair in expected)
    assert sorted(broken) == sorted(expected)
