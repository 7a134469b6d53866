"""Planning a rectification item: against an open issue of the same office, within the campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import (
    DeadlineOutOfRange,
    DuplicateMeasure,
    InvalidInput,
    IssueNotOpen,
    OfficeMismatch,
)
from domain.item import RectificationItem
from tests.unit.domain_builders import (
    CAMPAIGN_END,
    STEPS,
    TODAY,
    carry_through,
    item_in,
    new_issue,
    new_item,
    plan_values,
)


def test_a_planned_item_takes_its_issues_office_and_records_the_plan() -> None:
    issue = new_issue(office="tj")

    item = RectificationItem.plan(issue=issue, office=None, **plan_values(involves="lease"))

    assert item.status == "planned"
    assert item.office == "tj"
    assert item.issue_id == issue.id
    assert item.involves == "lease"
    assert item.deadline == item.original_deadline == TODAY + timedelta(days=20)


def test_an_item_for_another_office_than_its_issue_is_refused() -> None:
    with pytest.raises(OfficeMismatch) as refused:
        RectificationItem.plan(issue=new_issue(office="bj"), office="sh", **plan_values())

    assert refused.value.field == "office"


@pytest.mark.parametrize("issue_status", ["verified", "reported"])
def test_an_item_is_planned_only_against_an_open_issue(issue_status: str) -> None:
    issue, _ = item_in(issue_status)

    with pytest.raises(IssueNotOpen):
        RectificationItem.plan(issue=issue, office=None, **plan_values())


@pytest.mark.parametrize("deadline", [TODAY, CAMPAIGN_END], ids=["today", "campaign-end"])
def test_a_deadline_from_today_to_the_campaign_end_is_accepted(deadline: object) -> None:
    item = RectificationItem.plan(issue=new_issue(), office=None, **plan_values(deadline=deadline))

    assert item.deadline == deadline


@pytest.mark.parametrize(
    "deadline",
    [TODAY - timedelta(days=1), CAMPAIGN_END + timedelta(days=1)],
    ids=["yesterday", "after-campaign-end"],
)
def test_a_deadline_in_the_past_or_after_the_campaign_end_is_refused(deadline: object) -> None:
    with pytest.raises(DeadlineOutOfRange) as refused:
        RectificationItem.plan(issue=new_issue(), office=None, **plan_values(deadline=deadline))

    assert refused.value.field == "deadline"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("measure", ""),
        ("measure_type", "tidy_up"),
        ("responsible", "  "),
        ("involves", "sale"),
    ],
)
def test_a_plan_with_bad_input_is_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        RectificationItem.plan(issue=new_issue(), office=None, **plan_values(**{field: value}))

    assert refused.value.field == field


def test_a_rejected_plan_is_replanned_with_new_terms() -> None:
    _, item = item_in("rejected")

    item.replan(**plan_values(measure="细化措施", involves="disposal", responsible="王芳"))

    assert item.status == "planned"
    assert (item.measure, item.involves, item.responsible) == ("细化措施", "disposal", "王芳")


def test_a_replan_obeys_the_campaign_end_too() -> None:
    _, item = item_in("rejected")

    with pytest.raises(DeadlineOutOfRange):
        item.replan(**plan_values(deadline=CAMPAIGN_END + timedelta(days=1)))

    assert item.status == "rejected"


def test_a_measure_of_the_same_wording_is_refused_until_it_is_verified() -> None:
    issue = new_issue()
    under_way = new_item(issue, measure="全面清查并补登台账")
    done = new_item(issue, measure="建立定期盘点制度", siblings=[under_way])
    carry_through(issue, done)
    siblings = [under_way, done]

    with pytest.raises(DuplicateMeasure) as refused:
        RectificationItem.plan(
            issue=issue,
            office=None,
            **plan_values(measure=" 全面清查并补登台账 ", siblings=siblings),
        )
    assert refused.value.field == "measure"
    for measure in ("建立定期盘点制度", "处置闲置车辆"):  # verified: may recur; new
        RectificationItem.plan(
            issue=issue, office=None, **plan_values(measure=measure, siblings=siblings)
        )


def test_a_rejected_item_is_not_replanned_into_a_measure_under_way() -> None:
    issue = new_issue()
    under_way = new_item(issue, measure="全面清查并补登台账")
    rejected = new_item(issue, measure="建立定期盘点制度", siblings=[under_way])
    STEPS["request"](issue, rejected)
    STEPS["reject"](issue, rejected)
    siblings = [under_way, rejected]

    with pytest.raises(DuplicateMeasure):
        rejected.replan(**plan_values(measure="全面清查并补登台账", siblings=siblings))
    assert rejected.status == "rejected"
    rejected.replan(**plan_values(measure="建立定期盘点制度", siblings=siblings))  # its own
    assert rejected.status == "planned"
