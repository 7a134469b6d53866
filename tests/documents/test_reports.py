"""Rectification reports: figures, ledgers and open items, recorded with their SHA-256."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from docx import Document

from application.errors import NotFound, PermissionDenied
from application.paperwork import Paragraph
from application.ports import FixedClock
from infrastructure.audit import AuditDesk
from tests.builders import World, build_world, write_signing_key
from tests.conftest import CAMPAIGN_NOW
from tests.documents.conftest import LEADER, LIAISON
from tests.documents.reading import docx_text, pdf_lines, pdf_text


@pytest.fixture
def office_cases(world: World) -> dict[str, object]:
    """bj: one closed issue, one open with a plan; tj (bj's sub-office): one open issue."""
    closed_issue, closed_item = world.rectified_item()
    world.app.record_verification(world["coord"], closed_item, passed=True, comment="整改到位")
    open_issue = world.issue(
        title="房产未办理权证", category="real_estate", subtype="no_certificate"
    )
    open_item = world.item(open_issue.id, measure="补办不动产权证书", responsible="王芳")
    tj_issue = world.issue(
        by="tj-clerk", office="tj", title="天津办未定期盘点", subtype="no_stocktake"
    )
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)
    return {
        "closed_issue": closed_issue,
        "closed_item": closed_item,
        "open_issue": open_issue.id,
        "open_item": open_item.id,
        "tj_issue": tj_issue.id,
    }


def test_an_office_report_reads_back_with_its_figures_ledger_and_open_plans(
    world: World, office_cases: dict[str, object]
) -> None:
    result = world.app.submit_report(world["bj-clerk"], office="bj")

    docx_bytes, _ = world.app.report_file(world["bj-clerk"], result.id, "docx")
    pdf_bytes, _ = world.app.report_file(world["bj-clerk"], result.id, "pdf")
    for text in (docx_text(docx_bytes), pdf_text(pdf_bytes)):
        assert "北京办事处关于省政府驻外办事处资产管理存在问题专项集中整治整改情况的报告" in text
        assert "共排查发现问题3个，制定整改措施2项" in text
        assert "已销号问题1个，核查通过的整改事项1项，整改完成率50.0%" in text
        assert "天津办事处" in text
        assert "天津办未定期盘点" in text
        assert "补办不动产权证书" in text
        assert "王芳" in text
        assert "尚未完成整改的事项及整改计划" in text
        assert "张建国" in text
        assert "李明" in text
        assert "2026年10月10日" in text
        assert "按问题类别统计" in text
        assert "房地产管理" in text


def test_a_docx_report_table_has_a_row_per_category_with_its_counts(
    world: World, office_cases: dict[str, object]
) -> None:
    result = world.app.submit_report(world["bj-clerk"], office="bj")
    data, _ = world.app.report_file(world["bj-clerk"], result.id, "docx")

    tables = Document(io.BytesIO(data)).tables
    by_category = next(t for t in tables if t.rows[0].cells[0].text == "问题类别")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in by_category.rows[1:]}
    assert rows["基础管理"] == ["2", "1", "1", "1", "0", "100.0%"]
    assert rows["房地产管理"] == ["1", "0", "1", "0", "0", "0.0%"]
    assert rows["合计"][:4] == ["3", "1", "2", "1"]


def test_submitting_a_report_records_its_hash_and_marks_closed_issues_reported(
    world: World, office_cases: dict[str, object]
) -> None:
    result = world.app.submit_report(world["bj-clerk"], office="bj")

    report = world.app.get_report(world["coord"], result.id)
    for ref in report.files:
        data, _ = world.app.report_file(world["coord"], result.id, ref["format"])
        assert hashlib.sha256(data).hexdigest() == ref["sha256"]
    assert report.covers == ["bj", "sd", "tj", "xa"]
    closed = office_cases["closed_issue"]
    assert report.reported_issue_ids == [closed]
    assert world.app.get_issue(world["coord"], closed).status == "reported"  # type: ignore[arg-type]
    assert world.app.get_item(world["coord"], office_cases["closed_item"]).status == "reported"  # type: ignore[arg-type]
    assert world.app.get_issue(world["coord"], office_cases["open_issue"]).status == "open"  # type: ignore[arg-type]
    milestones = {(m.office, m.code): m for m in world.app.milestones(world["coord"])}
    assert milestones[("bj", "office_reports_due")].done_on == date(2026, 10, 10)
    assert milestones[("tj", "office_reports_due")].status == "met"
    assert milestones[("sh", "office_reports_due")].status == "pending"


def test_the_consolidated_report_covers_every_office_and_says_when_no_digest_exists(
    world: World, office_cases: dict[str, object]
) -> None:
    world.issue(by="sh-clerk", office="sh", title="上海办账外资产", subtype="off_book_assets")

    with pytest.raises(PermissionDenied):
        world.app.submit_report(world["bj-clerk"], office=None)
    result = world.app.submit_report(world["coord"], office=None)

    data, _ = world.app.report_file(world["auditor"], result.id, "pdf")
    text = pdf_text(data)
    assert "关于省政府驻外办事处资产管理存在问题专项集中整治情况的报告" in text
    assert "省政府办公厅：" in text
    assert "上海办事处" in text
    assert "深圳办事处" in text
    assert "上海办账外资产" in text
    assert "共排查发现问题4个" in text
    assert "审计日志尚无签名摘要" in text
    assert "省机关事务管理局" in text
    assert world.app.get_issue(world["coord"], office_cases["closed_issue"]).status == "reported"  # type: ignore[arg-type]


def paragraphs(world: World, by: str, office: str | None) -> list[str]:
    document = world.app.preview_report(world[by], office=office)
    return [block.text for block in document.body if isinstance(block, Paragraph)]


def test_a_sub_office_is_reported_as_covered_by_its_parents_work_group(
    world: World, office_cases: dict[str, object]
) -> None:
    """bj named its work group on 10-10; tj (bj's sub-office) named none: bj's covers it,
    as its milestones count it, in bj's report, tj's own and the consolidated one."""
    covered = "天津办事处由北京办事处于2026年10月10日成立的工作专班统筹开展整治工作。"
    for by, office in (("bj-clerk", "bj"), ("tj-clerk", "tj"), ("coord", None)):
        said = paragraphs(world, by, office)

        assert covered in said, (office, said)
        assert "天津办事处尚未报送工作专班名单。" not in said
    consolidated = paragraphs(world, "coord", None)
    assert any(p.startswith("北京办事处于2026年10月10日成立工作专班") for p in consolidated)
    assert "上海办事处尚未报送工作专班名单。" in consolidated  # no parent to answer for it


def test_a_report_says_when_the_work_group_was_changed_and_who_leads_it_now(
    world: World, office_cases: dict[str, object]
) -> None:
    world.clock.set(CAMPAIGN_NOW + timedelta(days=20))
    new_leader = {**LEADER, "name": "王五"}
    world.app.name_work_group(
        world["bj-clerk"], office="bj", leader=new_leader, liaison=LIAISON, reason="人员调整"
    )

    said = paragraphs(world, "bj-clerk", "bj")

    stated = next(p for p in said if p.startswith("北京办事处于2026年10月10日成立工作专班"))
    assert stated.startswith("北京办事处于2026年10月10日成立工作专班，2026年10月30日调整，由")
    assert "王五任分管领导" in stated


def test_an_office_cannot_report_for_another_office(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.submit_report(world["sh-clerk"], office="bj")
    assert world.app.reports(world["coord"]) == []


@pytest.fixture
def signing_world(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """A store that signs digests, with one rectified item in it."""
    monkeypatch.setenv("RECTIFY_SIGNING_KEY_FILE", str(write_signing_key(tmp_path)))
    world = build_world(f"sqlite:///{tmp_path / 'rectify.sqlite3'}", clock)
    try:
        world.rectified_item()
        yield world
    finally:
        world.container.close()


def test_the_consolidated_report_prints_the_latest_signed_digest(signing_world: World) -> None:
    world = signing_world
    digest = AuditDesk.of(world.container).issue_digest(world["auditor"])

    result = world.app.submit_report(world["coord"], office=None)

    data, _ = world.app.report_file(world["auditor"], result.id, "docx")
    text = docx_text(data)
    assert f"事件序号{digest.position}" in text
    assert digest.hash in text
    assert digest.signature in text
    assert "审计日志尚无签名摘要" not in text


def test_the_digest_is_dated_in_the_campaigns_time_zone_to_the_minute(
    signing_world: World,
) -> None:
    """Signed at 02:00 UTC, read in Shanghai: 10:00, no ISO stamp, no microseconds."""
    world = signing_world
    AuditDesk.of(world.container).issue_digest(world["auditor"])

    document = world.app.preview_report(world["coord"], office=None)

    pdf = pdf_text(world.app.renderer.render(document, "pdf"))
    docx = docx_text(world.app.renderer.render(document, "docx"))
    assert "签名时间2026年10月10日 10:00，" in docx
    assert "签名时间2026年10月10日10:00，" in pdf
    for text in (pdf, docx):
        assert "+00:00" not in text
        assert "T02:00" not in text


def test_the_ledger_keeps_row_numbers_dates_and_labels_each_on_one_line(
    memory_world: World,
) -> None:
    deadlines = []
    for n in range(1, 12):
        issue = memory_world.issue(title=f"第{n}处办公用房资产台账不健全，账实不符")
        deadline = memory_world.today() + timedelta(days=20 + n)
        memory_world.item(issue.id, deadline=deadline, measure="全面清查并补登台账，逐项核对")
        deadlines.append(deadline.isoformat())
    document = memory_world.app.preview_report(memory_world["bj-clerk"], office="bj")

    lines = [line.text for line in pdf_lines(memory_world.app.renderer.render(document, "pdf"))]

    ledger = lines[lines.index("三、整改台账") : lines.index("四、尚未完成整改的事项及下一步计划")]
    # poppler joins neighbouring cells whose text fills them into one line, with a space
    cells = {text for line in ledger for text in line.split()}
    assert set(deadlines) <= cells
    assert {"1", "10", "11"} <= cells
    assert {"北京办事处", "基础管理", "待报审"} <= cells


def test_a_report_counts_the_measures_extended_past_the_rectification_phase(
    world: World,
) -> None:
    """An extension past the phase's end is the coordination office's call, with its reason;
    the report says how many measures it carried beyond, not only that none is overdue."""
    _, item_id = world.approved_item()
    end = world.app.campaign.rectification_end
    world.app.extend_deadline(
        world["coord"], item_id, new_deadline=end + timedelta(days=45), reason="等待产权登记"
    )
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)

    result = world.app.submit_report(world["bj-clerk"], office="bj")

    text = docx_text(world.app.report_file(world["bj-clerk"], result.id, "docx")[0])
    day = f"{end.year}年{end.month}月{end.day}日"
    assert "逾期未完成整改措施0项；另有1项整改措施经批准延期，" in text
    assert f"完成时限晚于分类整改阶段结束日（{day}）" in text
    assert f"{(end + timedelta(days=45)).isoformat()}（已延期）" in text


def test_a_measure_extended_past_the_phase_and_overdue_again_is_counted_once(
    world: World,
) -> None:
    _, item_id = world.approved_item()
    end = world.app.campaign.rectification_end
    world.app.extend_deadline(
        world["coord"], item_id, new_deadline=end + timedelta(days=2), reason="等待产权登记"
    )
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)
    world.clock.set(datetime.combine(end + timedelta(days=10), time(10), UTC))

    result = world.app.submit_report(world["bj-clerk"], office="bj")

    text = docx_text(world.app.report_file(world["bj-clerk"], result.id, "docx")[0])
    assert "逾期未完成整改措施1项。" in text
    assert "经批准延期" not in text


def test_a_report_with_no_measure_past_the_phase_says_nothing_of_it(world: World) -> None:
    world.approved_item()
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)

    result = world.app.submit_report(world["bj-clerk"], office="bj")

    text = docx_text(world.app.report_file(world["bj-clerk"], result.id, "docx")[0])
    assert "逾期未完成整改措施0项。" in text
    assert "经批准延期" not in text


def test_a_report_marks_a_measure_found_falsified(world: World) -> None:
    _, item_id = world.rectified_item()
    world.app.record_verification(world["coord"], item_id, passed=True)
    world.app.flag_falsification(world["auditor"], item_id, reason="照片系整改前拍摄")
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)

    result = world.app.submit_report(world["bj-clerk"], office="bj")

    text = docx_text(world.app.report_file(world["bj-clerk"], result.id, "docx")[0])
    assert "重新整改\n（认定弄虚作假1次）" in text  # the status column's phrases kept whole
