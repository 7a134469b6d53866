"""Notices (通报): drafted from accountability records, citing the events that prove them."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from application.errors import NotFound, PermissionDenied
from application.paperwork import Table
from domain.errors import InvalidInput, InvalidTransition
from domain.notice import NoticeNumber
from tests.builders import World
from tests.documents.conftest import LEADER, LIAISON
from tests.documents.reading import docx_text, pdf_fonts, pdf_text


def test_candidates_name_lagging_ineffective_and_falsified_items_and_missed_milestones(
    world: World, cases: dict[str, UUID]
) -> None:
    ids = {c["id"] for c in world.app.accountability_candidates(world["coord"])}

    assert {f"{kind}:{item_id}" for kind, item_id in cases.items()} <= ids
    assert "lagging:sh:work_group_named" in ids


def test_a_drafted_notice_cites_the_events_that_prove_each_record(
    world: World, cases: dict[str, UUID]
) -> None:
    chosen = [f"{kind}:{item_id}" for kind, item_id in cases.items()]

    result = world.app.draft_notice(world["coord"], record_ids=chosen)

    notice = world.app.get_notice(world["coord"], result.id)
    by_kind = {r["kind"]: r for r in notice.records}
    failed = [
        c for c in by_kind["ineffective"]["citations"] if c["event_type"] == "VerificationFailed"
    ]
    assert [(c["actor_name"], c["comment"]) for c in failed] == [
        ("coord", "账实仍不相符"),
        ("coord2", "佐证不足"),
    ]
    flagged = by_kind["falsified"]["citations"][-1]
    assert (flagged["event_type"], flagged["actor_name"]) == ("FalsificationFlagged", "auditor")
    assert flagged["aggregate_id"] == str(cases["falsified"])
    history = world.app.case_history(world["auditor"], cases["falsified"])
    flagged_event = next(e for e in history if e.event_type == "FalsificationFlagged")
    assert flagged["version"] == flagged_event.version
    planned = by_kind["lagging"]["citations"][0]
    assert planned["event_type"] == "Planned"
    assert "已逾期7天" in by_kind["lagging"]["facts"]
    assert "上海办事处" in notice.body
    assert "弄虚作假" in notice.body


def test_a_notice_tells_its_records_by_kind_then_office_and_numbers_the_appendix_alike(
    world: World, cases: dict[str, UUID]
) -> None:
    asked = [
        f"falsified:{cases['falsified']}",
        f"lagging:{cases['lagging']}",
        "lagging:sh:work_group_named",
    ]

    notice = world.app.get_notice(
        world["coord"], world.app.draft_notice(world["coord"], record_ids=asked).id
    )

    assert [r["id"] for r in notice.records] == [asked[1], asked[2], asked[0]]  # bj before sh
    body = notice.body
    assert body.index("一、工作明显滞后") < body.index("二、弄虚作假")


def test_a_notice_sent_to_the_finance_department_is_not_also_copied_to_it(
    world: World, cases: dict[str, UUID]
) -> None:
    result = world.app.draft_notice(
        world["coord"], record_ids=[f"lagging:{cases['lagging']}"], recipients=["finance"]
    )

    notice = world.app.get_notice(world["coord"], result.id)
    assert (notice.recipients, notice.copy_to) == (["finance"], [])


def test_the_issued_notice_renders_as_a_formal_docx_and_pdf_in_chinese(
    world: World, cases: dict[str, UUID]
) -> None:
    chosen = [f"{kind}:{item_id}" for kind, item_id in cases.items()]
    notice_id = world.app.draft_notice(world["coord"], record_ids=chosen).id
    world.app.edit_notice(
        world["coord"], notice_id, title="关于整改工作滞后问题的通报", reason="修改标题"
    )
    world.app.issue_notice(world["coord"], notice_id, number="机管国资[2026]7号")

    docx = docx_text(world.app.render_notice(world["coord"], notice_id, "docx"))
    pdf_bytes = world.app.render_notice(world["coord"], notice_id, "pdf")
    pdf = pdf_text(pdf_bytes)

    for text in (docx, pdf):
        assert "关于整改工作滞后问题的通报" in text
        assert "机管国资〔2026〕7号" in text
        assert "省政府各驻外办事处：" in text
        assert "北京办事处" in text
        assert "上海办事处" in text
        assert "盘活闲置办公用房" in text
        assert "核查未通过" in text
        assert "认定弄虚作假" in text
        assert "协调推进机制办公室" in text
        assert "2026年10月20日" in text
        assert "抄送：省财政厅" in text
    assert "草稿" not in pdf
    fonts = pdf_fonts(pdf_bytes)
    assert "UMing" in fonts or "WenQuanYi" in fonts
    cjk = [line for line in fonts.splitlines() if "UMing" in line or "WenQuanYi" in line]
    assert all(line.split()[-5] == "yes" for line in cjk)  # emb column


def test_an_issued_notice_no_longer_changes_and_its_number_is_unique(
    world: World, cases: dict[str, UUID]
) -> None:
    first = world.app.draft_notice(world["coord"], record_ids=[f"lagging:{cases['lagging']}"])
    second = world.app.draft_notice(world["coord"], record_ids=[f"falsified:{cases['falsified']}"])
    world.app.issue_notice(world["coord"], first.id, number="机管国资〔2026〕8号")

    with pytest.raises(InvalidTransition):
        world.app.edit_notice(world["coord"], first.id, body="改写", reason="")
    spellings = (
        "机管国资〔2026〕8号",
        "机管国资〔２０２６〕８号",
        "机管国资［2026］8号",
        "机管国资〔2026〕08号",
        "机管国资 〔2026〕 8 号",
        "机管国资〔٢٠٢٦〕٨号",
    )
    for spelling in spellings:  # the last: Arabic-Indic digits, which NFKC keeps
        with pytest.raises(InvalidInput) as taken:
            world.app.issue_notice(world["coord"], second.id, number=spelling)
        assert taken.value.field == "number"
    assert world.app.get_notice(world["coord"], second.id).status == "draft"


def drafted(world: World, record: str) -> UUID:
    """A notice the coordinator drafted citing ``record``."""
    return world.app.draft_notice(world["coord"], record_ids=[record]).id


def test_a_number_stored_zero_padded_by_an_earlier_release_is_still_taken(
    world: World, cases: dict[str, UUID]
) -> None:
    """Before the one spelling, 〔2026〕05号 was stored as written: 5号 is the same number."""
    world.app.save(NoticeNumber(number="机管国资〔2026〕05号", notice_id=uuid4()))
    notice_id = drafted(world, f"lagging:{cases['lagging']}")

    with pytest.raises(InvalidInput) as taken:
        world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕5号")

    assert "is already taken" in str(taken.value)
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕50号")


def test_a_number_is_of_the_year_it_is_issued_in_and_its_serial_starts_at_one(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = drafted(world, f"lagging:{cases['lagging']}")
    year = world.today().year
    for wrong in (
        f"机管国资〔{year - 1}〕5号",
        f"机管国资〔{year + 1}〕5号",
        f"机管国资〔{year}〕0号",
    ):
        with pytest.raises(InvalidInput) as refused:
            world.app.issue_notice(world["coord"], notice_id, number=wrong)
        assert refused.value.field == "number"

    world.app.issue_notice(world["coord"], notice_id, number=f"机管国资 〔{year}〕 007号")

    assert world.app.get_notice(world["coord"], notice_id).number == f"机管国资〔{year}〕7号"


def test_a_notice_whose_record_stopped_holding_since_its_draft_is_not_issued(
    world: World, cases: dict[str, UUID]
) -> None:
    """Drafted while the item lagged; the office has done the work since: the notice would
    say 仍未完成整改 of work done, so it is drafted again instead."""
    notice_id = drafted(world, f"lagging:{cases['lagging']}")
    world.carry_through(cases["lagging"])

    with pytest.raises(InvalidInput) as refused:
        world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕6号")

    assert refused.value.field == "records"
    assert "records[0] no longer holds" in str(refused.value)
    assert world.app.get_notice(world["coord"], notice_id).status == "draft"
    again = drafted(world, "falsified:" + str(cases["falsified"]))
    world.app.issue_notice(world["coord"], again, number="机管国资〔2026〕6号")  # still free


@pytest.mark.parametrize("change", ["correct", "reassign"])
def test_a_notice_naming_a_title_or_person_changed_since_its_draft_is_not_issued(
    world: World, cases: dict[str, UUID], change: str
) -> None:
    """Still lagging, but the problem's title was corrected or the measure reassigned: the
    notice would name the old title or person, so it is drafted again."""
    item_id = cases["lagging"]
    notice_id = drafted(world, f"lagging:{item_id}")
    if change == "correct":
        issue_id = world.app.get_item(world["coord"], item_id).issue_id
        world.app.correct_issue(world["bj-clerk"], issue_id, title="更正后的标题", reason="笔误")
    else:
        world.app.reassign(world["bj-clerk"], item_id, responsible="新责任人", reason="调岗")

    with pytest.raises(InvalidInput) as refused:
        world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕6号")

    assert refused.value.field == "records"
    assert "draft it again" in str(refused.value)


def test_a_notice_citing_a_milestone_met_late_since_its_draft_is_not_issued(
    world: World, cases: dict[str, UUID]
) -> None:
    """Still lagging (done late), but the notice says 尚未完成: drafted again instead."""
    notice_id = drafted(world, "lagging:sh:work_group_named")
    world.app.name_work_group(world["sh-clerk"], office="sh", leader=LEADER, liaison=LIAISON)

    with pytest.raises(InvalidInput) as refused:
        world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕11号")

    assert refused.value.field == "records"
    assert "the events it rests on have changed" in str(refused.value)
    assert "lagging:sh:work_group_named" in {
        c["id"] for c in world.app.accountability_candidates(world["coord"])
    }


def test_only_coordinators_draft_and_offices_read_only_issued_notices(
    world: World, cases: dict[str, UUID]
) -> None:
    record = f"lagging:{cases['lagging']}"
    with pytest.raises(PermissionDenied):
        world.app.draft_notice(world["bj-clerk"], record_ids=[record])
    notice_id = world.app.draft_notice(world["coord"], record_ids=[record]).id

    with pytest.raises(NotFound):
        world.app.get_notice(world["bj-clerk"], notice_id)
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕9号")
    assert world.app.get_notice(world["bj-clerk"], notice_id).number == "机管国资〔2026〕9号"


def test_an_issued_notice_is_read_by_the_offices_it_names_or_copies_not_others(
    world: World, cases: dict[str, UUID]
) -> None:
    record = f"lagging:{cases['lagging']}"  # 北京办事处's item
    notice_id = world.app.draft_notice(
        world["coord"], record_ids=[record], recipients=["gz"], copy_to=["sh"]
    ).id
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕10号")

    for office in ("sh-clerk", "bj-clerk"):  # copied, named
        assert world.app.get_notice(world[office], notice_id).number == "机管国资〔2026〕10号"
        assert [n.id for n in world.app.notices(world[office])] == [notice_id]
    with pytest.raises(NotFound):  # 天津办事处: neither sent to, copied nor named
        world.app.get_notice(world["tj-clerk"], notice_id)
    assert world.app.notices(world["tj-clerk"]) == []


def test_a_record_that_does_not_hold_cannot_be_cited(world: World, cases: dict[str, UUID]) -> None:
    with pytest.raises(InvalidInput) as refused:
        world.app.draft_notice(world["coord"], record_ids=[f"falsified:{cases['lagging']}"])

    assert refused.value.field == "records"
    assert world.app.notices(world["coord"]) == []


def _log_position(world: World, aggregate_id: str, version: int) -> int:
    """Where the event stands in the log, as the audit log lists it."""
    notifications = world.app.recorder.select_notifications(1, 10_000)
    return next(
        n.id
        for n in notifications
        if str(n.originator_id) == aggregate_id and n.originator_version == version
    )


def test_the_appendix_cites_each_event_in_chinese_by_its_record_and_log_position(
    world: World, cases: dict[str, UUID]
) -> None:
    notice_id = drafted(world, f"falsified:{cases['falsified']}")
    citations = world.app.get_notice(world["coord"], notice_id).records[0]["citations"]
    flagged = next(c for c in citations if c["event_type"] == "FalsificationFlagged")
    position = _log_position(world, flagged["aggregate_id"], flagged["version"])
    cited = f"认定弄虚作假（整改事项记录第{flagged['version']}条，事件序号{position}）"
    # The positions are the audit log view's: the render brings it to the head first (no
    # host follows the log here), so every download of the notice cites the same positions.

    appendix = world.app.notice_document(world["coord"], notice_id).appendix[0]
    docx = docx_text(world.app.render_notice(world["coord"], notice_id, "docx"))
    pdf = pdf_text(world.app.render_notice(world["coord"], notice_id, "pdf"))

    assert isinstance(appendix, Table)
    assert cited in appendix.rows[0][-1]
    assert cited in docx
    for text in (docx, pdf):
        assert "RectificationItem" not in text
        assert flagged["aggregate_id"][:8] not in text
        assert f"事件序号{position}" in text
