"""A draft set aside (作废): drafted twice, or overtaken. It stays on record with its reason,
is marked 已作废 wherever notices are listed, and is neither edited nor issued again."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.errors import PermissionDenied
from domain.errors import InvalidInput, InvalidTransition
from domain.notice import DISCARDED
from tests.builders import World
from tests.documents.conftest import lagging_notice
from tests.documents.reading import docx_text, pdf_text


def test_a_discarded_draft_stays_on_record_and_is_neither_edited_nor_issued(
    world: World, cases: dict[str, UUID]
) -> None:
    twice = lagging_notice(world, cases)
    kept = lagging_notice(world, cases)

    world.app.discard_notice(world["coord"], twice, reason="重复起草，以另一份为准")

    notice = world.app.get_notice(world["coord"], twice)
    assert (notice.status, notice.discard_reason) == (DISCARDED, "重复起草，以另一份为准")
    with pytest.raises(InvalidTransition, match="discarded"):
        world.app.edit_notice(world["coord"], twice, title="关于整改工作的通报", reason="改")
    with pytest.raises(InvalidTransition, match="discarded"):
        world.app.issue_notice(world["coord"], twice, number="机管国资〔2026〕8号")
    with pytest.raises(InvalidTransition, match="discarded"):
        world.app.discard_notice(world["coord"], twice, reason="再作废")
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):  # a copy says what it is
        text = read(world.app.render_notice(world["coord"], twice, fmt))
        assert "已作废·不印发" in text.replace(" ", "")
        assert "未印发" not in text.replace("已作废 · 不印发", "").replace("已作废·不印发", "")
    world.app.issue_notice(world["coord"], kept, number="机管国资〔2026〕8号")
    assert {n.id: n.status for n in world.app.notices(world["coord"])} == {
        twice: "discarded",
        kept: "issued",
    }
    world.container.projections.catch_up()
    rows = world.container.read_models.audit_events(page_size=50).items
    assert "作废通报草稿「关于" in next(r.summary for r in rows if r.event_type == "Discarded")
    assert "：重复起草，以另一份为准" in next(
        r.summary for r in rows if r.event_type == "Discarded"
    )


def test_an_issued_notice_stays_issued_and_a_reason_is_required(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = lagging_notice(world, cases)

    with pytest.raises(InvalidInput, match="reason"):
        world.app.discard_notice(world["coord"], notice_id, reason="  ")
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕9号")
    with pytest.raises(InvalidTransition, match="stays issued"):
        world.app.discard_notice(world["coord"], notice_id, reason="不要了")
    with pytest.raises(PermissionDenied, match="allow manage_notices"):
        world.app.discard_notice(world["bj-clerk"], notice_id, reason="不要了")
