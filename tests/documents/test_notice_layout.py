"""How a notice is laid out: GB/T 9704's order (附件说明 under the body, 抄送 last), the
signature kept with the body, one face for the body, and the Chinese line-breaking rules."""

from __future__ import annotations

import io
import re
from uuid import UUID

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.builders import World
from tests.documents.reading import docx_text, pdf_lines, pdf_text


def test_the_body_names_its_appendix_and_the_copy_line_closes_the_document(
    world: World, cases: dict[str, UUID]
) -> None:
    """As GB/T 9704 lays a document out: 附件说明 under the body, above the signature; the
    appendix on its own pages; the 抄送 line (版记) last, after the appendix."""
    notice_id = world.app.draft_notice(
        world["coord"], record_ids=[f"lagging:{cases['lagging']}"]
    ).id
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕7号")

    docx = docx_text(world.app.render_notice(world["coord"], notice_id, "docx"))
    pdf = pdf_text(world.app.render_notice(world["coord"], notice_id, "pdf"))

    for text in (docx, pdf):
        note = text.index("附件：通报事项及事件依据")
        signed = text.index("协调推进机制办公室", note)
        appendix = text.index("通报事项及事件依据", signed)  # its title, under 附件
        assert note < signed < appendix < text.index("抄送：省财政厅")
        assert text.count("通报事项及事件依据") == 2  # the table repeats no caption under it


@pytest.mark.parametrize("paragraphs", [15, 24, 33])
def test_the_signature_never_stands_on_a_page_without_the_bodys_last_paragraph(
    world: World, cases: dict[str, UUID], paragraphs: int
) -> None:
    """附件说明 under the body is kept with the signature, and both with the body's last
    paragraph: a page holding only 附件说明, the issuer and the date is not a page."""
    notice_id = world.app.draft_notice(
        world["coord"], record_ids=[f"lagging:{cases['lagging']}"]
    ).id
    body = "\n".join(f"第{n}段：" + "整改工作要求" * 12 for n in range(1, paragraphs + 1))
    world.app.edit_notice(world["coord"], notice_id, body=body, reason="正文")

    lines = pdf_lines(world.app.render_notice(world["coord"], notice_id, "pdf"))

    start = next(n for n, line in enumerate(lines) if f"第{paragraphs}段" in line.text)
    note = next(n for n, line in enumerate(lines) if line.text.startswith("附件："))
    issuer = [line.page for line in lines if line.text.endswith("协调推进机制办公室")]
    signed = issuer[-1]  # the signature (the masthead, on page 1, names it too)
    assert lines[note].page == signed
    assert lines[note - 1].page == signed  # the body's last line, over the note
    assert start < note


def notice_of_every_case(world: World, cases: dict[str, UUID]) -> UUID:
    chosen = [f"{kind}:{item_id}" for kind, item_id in cases.items()]
    return world.app.draft_notice(world["coord"], record_ids=chosen).id


def test_numbered_paragraphs_are_set_in_the_body_face_as_the_rest_of_the_body(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = notice_of_every_case(world, cases)

    lines = pdf_lines(world.app.render_notice(world["coord"], notice_id, "pdf"))
    docx = Document(io.BytesIO(world.app.render_notice(world["coord"], notice_id, "docx")))

    body = next(line for line in lines if line.text.startswith("按照《"))
    numbered = [line for line in lines if line.text.startswith(("（一）", "（二）"))]
    assert numbered
    assert {line.faces for line in numbered} == {body.faces}
    faces = {
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        for p in docx.paragraphs
        if p.text.startswith(("（一）", "（二）", "按照《"))
        for run in p.runs
    }
    assert faces == {"仿宋"}


def test_no_line_of_the_notice_breaks_the_chinese_line_breaking_rules(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = notice_of_every_case(world, cases)

    lines = pdf_lines(world.app.render_notice(world["coord"], notice_id, "pdf"))

    texts = [line.text for line in lines]
    assert [t for t in texts if t[0] in "，。；：、）」』”！？" or t[-1] in "（「『“"] == []
    assert [t for t in texts if re.fullmatch(r"[\u4e00-\u9fff]", t)] == []  # 室 alone
    issuer = "省政府驻外办事处资产管理存在问题专项集中整治协调推进机制办公室"
    assert [t for t in texts if t and t in issuer and len(t) > 2][-2:] == [issuer[:16], issuer[16:]]
