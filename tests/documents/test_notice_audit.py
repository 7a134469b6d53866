"""A notice in the audit log: each edit says what it changed, the 文号 names its notice."""

from __future__ import annotations

import json
from dataclasses import replace
from uuid import UUID

from domain.notice import Notice
from projections.summaries import summarize
from tests.builders import World
from tests.documents.conftest import lagging_notice


def _summaries(world: World, event_type: str) -> list[str]:
    world.container.projections.catch_up()
    rows = world.container.read_models.audit_events(page_size=200).items  # newest first
    return [r.summary for r in rows if r.event_type == event_type]


def test_an_edit_names_what_it_changed_and_the_number_names_its_notice(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = lagging_notice(world, cases)
    drafted = world.app.get_notice(world["coord"], notice_id)
    world.app.edit_notice(
        world["coord"], notice_id, title="关于整改工作滞后问题的通报", reason="标题更准确"
    )
    world.app.edit_notice(
        world["coord"],
        notice_id,
        body=drafted.body + "\n请于十日内报送整改情况。",
        recipients=["bj", "sh"],
        copy_to=[],
        reason="补充要求",
    )
    world.app.issue_notice(world["coord"], notice_id, number="机管国资[2026]7号")

    second, first = _summaries(world, "Edited")  # newest first
    assert first == (
        f"修改通报「关于整改工作滞后问题的通报」（标题原为「{drafted.title}」）：标题更准确"
    )
    assert second == (
        "修改通报「关于整改工作滞后问题的通报」（正文有修改，"
        "主送由省政府各驻外办事处改为北京办事处、上海办事处，"
        "抄送由省财政厅改为（无））：补充要求"
    )
    assert _summaries(world, "Reserved") == [
        "文号机管国资〔2026〕7号分配给通报「关于整改工作滞后问题的通报」"
    ]


def test_an_edit_recorded_before_edits_kept_what_they_replaced_still_reads(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = lagging_notice(world, cases)
    drafted = world.app.get_notice(world["coord"], notice_id)
    world.app.edit_notice(world["coord"], notice_id, title="关于整改滞后的通报", reason="改标题")
    mapper = world.app.mapper
    stored = mapper.to_stored_event(list(world.app.repository.event_store.get(notice_id))[-1])
    state = json.loads(stored.state)
    assert (state.pop("class_version"), state.pop("previous")) == (2, {"title": drafted.title})
    as_first_recorded = replace(stored, state=json.dumps(state, ensure_ascii=False).encode())

    earlier = mapper.to_domain_event(as_first_recorded)

    assert isinstance(earlier, Notice.Edited)
    assert earlier.previous == {}
    before = world.app.repository.get(notice_id, version=earlier.originator_version - 1)
    assert earlier.mutate(before).title == "关于整改滞后的通报"
    campaign = world.app.campaign  # the audit sentence of such an edit names only the notice
    assert summarize(earlier, drafted.title, campaign) == "修改通报「关于整改滞后的通报」：改标题"
    summary = _summaries(world, "Edited")  # as recorded now, with what it replaced
    assert summary == [f"修改通报「关于整改滞后的通报」（标题原为「{drafted.title}」）：改标题"]
