"""A step that cannot be taken back asks before it is sent (``data-confirm``, read by
``app.js``); the everyday steps do not. The browser's side is in tests/e2e."""

from __future__ import annotations

import re

from tests.web.conftest import Console


def _confirmations(page: str) -> dict[str, str]:
    """Each action form's question ("" for none), by its action."""
    found = {}
    for details in page.split("<details")[1:]:
        action = re.search(r'data-action="([a-z-]+)"', details)
        form = re.search(r"<form [^>]*>", details)
        if action and form:
            asked = re.search(r'data-confirm="([^"]+)"', form.group(0))
            found[action.group(1)] = asked.group(1) if asked else ""
    return found


def test_verification_falsification_and_marking_reported_ask_first(console: Console) -> None:
    world = console.world
    issue_id, item_id = world.rectified_item()
    console.settle()

    console.log_in("coord2")
    coordinator = _confirmations(console.client.get(f"/issues/{issue_id}").text)
    console.log_in("auditor")
    auditor = _confirmations(console.client.get(f"/issues/{issue_id}").text)
    world.app.record_verification(world["coord2"], item_id, passed=True)
    console.settle()
    console.log_in("bj-clerk")
    closed = _confirmations(console.client.get(f"/issues/{issue_id}").text)

    assert "提交后不能修改" in coordinator["verification"]
    assert coordinator["reassignment"] == ""  # an everyday step is sent as it is
    assert "认定不能撤回" in auditor["falsification"]
    assert "确定标记为已报告吗" in closed["report"]


def test_issuing_a_notice_and_submitting_a_report_ask_first(console: Console) -> None:
    world = console.world
    console.settle()
    console.log_in("coord")
    record = world.app.accountability_candidates(world["coord"])[0]["id"]
    notice_id = world.app.draft_notice(world["coord"], record_ids=[record]).id

    notice = console.client.get(f"/notices/{notice_id}").text
    console.log_in("bj-clerk")
    reports = console.client.get("/reports").text

    assert 'data-confirm="印发后通报不能再修改，所填文号即被占用。确定印发吗？"' in notice
    assert 'data-confirm="报送后报告文件不能再修改。确定报送吗？"' in reports
