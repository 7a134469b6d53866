"""A clerk corrects a problem recorded with a mistake, on its page: the form starts from what
was recorded, asks why, and the trail shows from what to what."""

from __future__ import annotations

import re

from tests.web.conftest import Console


def _correction_form(page: str, issue_id: object) -> str:
    return page.split(f'action="/issues/{issue_id}/correction"', 1)[1].split("</form>", 1)[0]


def test_the_form_starts_from_the_record_and_a_correction_shows_in_the_trail(
    console: Console,
) -> None:
    world = console.world
    issue = world.issue(
        title="资产台帐不全", description="", assets=[{"code": "ZC-001", "name": "打印机"}]
    )
    console.settle()
    console.log_in("bj-clerk")
    page = console.client.get(f"/issues/{issue.id}").text
    form = _correction_form(page, issue.id)
    assert 'value="资产台帐不全"' in form
    assert '<option value="basic_management/ledger_incomplete" selected>' in form
    assert ">ZC-001 打印机</textarea>" in form
    version = re.search(r'name="version" value="(\d+)"', form)
    form_id = re.search(r'name="form_id" value="([^"]+)"', form)
    assert version is not None
    assert form_id is not None
    fields = {
        "version": version.group(1),
        "form_id": form_id.group(1),
        "kind": "basic_management/ledger_incomplete",
        "found_on": world.today().isoformat(),
        "title": "资产台账不全",
        "description": "",
        "assets": "ZC-001 打印机",
    }

    refused = console.post(f"/issues/{issue.id}/correction", fields)
    done = console.post(f"/issues/{issue.id}/correction", fields | {"reason": "标题错别字"})

    assert refused.status_code == 422
    assert "请填写更正理由。" in refused.text
    assert 'value="资产台账不全"' in _correction_form(refused.text, issue.id)  # kept
    assert done.status_code == 200
    assert "问题信息已更正。" in done.text
    assert "<h1>资产台账不全 <span" in done.text
    assert "更正问题「资产台账不全」的登记信息（标题原为「资产台帐不全」）：标题错别字" in done.text


def test_a_closed_problem_offers_no_correction(console: Console) -> None:
    issue_id, item_id = console.world.rectified_item()
    console.world.app.record_verification(console.world["coord2"], item_id, passed=True)
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get(f"/issues/{issue_id}").text

    assert "/correction" not in page


def test_a_title_corrected_on_the_form_changes_only_the_title(console: Console) -> None:
    """The form sends back what it showed: a description's line breaks as the browser sends
    them (CR LF) and an asset recorded by its name alone (办公楼, as a sheet records it) read
    as recorded, so the trail names only what the clerk changed."""
    world = console.world
    issue = world.issue(
        title="旧标题",
        description="第一行\n第二行",
        assets=[{"code": "", "name": "办公楼"}, {"code": "ZC-001", "name": "打印机"}],
    )
    console.settle()
    console.log_in("bj-clerk")
    form = _correction_form(console.client.get(f"/issues/{issue.id}").text, issue.id)
    assert ">办公楼\nZC-001 打印机</textarea>" in form
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version is not None

    console.post(
        f"/issues/{issue.id}/correction",
        {
            "version": version.group(1),
            "kind": "basic_management/ledger_incomplete",
            "found_on": world.today().isoformat(),
            "title": "新标题",
            "description": "第一行\r\n第二行",
            "assets": "办公楼\r\nZC-001 打印机",
            "reason": "标题有误",
        },
    )

    corrected = world.app.case_history(world["coord"], issue.id)[-1]
    assert corrected.event_type == "Corrected"
    assert corrected.data["previous"] == {"title": "旧标题"}
    assert world.app.get_issue(world["coord"], issue.id).assets == [
        {"code": "", "name": "办公楼"},
        {"code": "ZC-001", "name": "打印机"},
    ]
