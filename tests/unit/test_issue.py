"""Issue (问题): found, items added, closed when every item is verified, reopened, reported."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidInput, InvalidTransition, IssueNotOpen
from tests.unit.domain_builders import (
    TODAY,
    carry_through,
    flag,
    item_in,
    new_issue,
    new_item,
    pass_verification,
    rectify,
)


def test_a_found_issue_is_open_and_keeps_its_facts() -> None:
    issue = new_issue(title="  账实不符  ", assets=[{"code": "A-001", "name": "办公楼"}])

    assert issue.status == "open"
    assert issue.title == "账实不符"
    assert issue.assets == [{"code": "A-001", "name": "办公楼"}]
    assert issue.items == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "   "),
        ("category", "parking"),
        ("subtype", "long_idle"),  # a real_estate subtype, not a basic_management one
        ("source", "rumour"),
        ("found_on", TODAY + timedelta(days=1)),
        ("found_on", date(1969, 12, 31)),
        ("assets", [{"code": "", "name": ""}]),
        ("assets", [{"code": "A-1", "owner": "x"}]),
    ],
)
def test_finding_an_issue_refuses_bad_input_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        new_issue(**{field: value})

    assert refused.value.field == field


def test_items_added_to_an_open_issue_are_listed_in_order() -> None:
    issue = new_issue()

    first, second = new_item(issue), new_item(issue)

    assert issue.items == [first.id, second.id]
    assert issue.status == "open"


def test_an_issue_stays_open_while_any_item_is_unverified() -> None:
    issue = new_issue()
    first, _ = new_item(issue), new_item(issue)

    carry_through(issue, first)

    assert issue.status == "open"


def test_an_issue_closes_when_every_item_is_verified() -> None:
    issue = new_issue()
    first, second = new_item(issue), new_item(issue)

    carry_through(issue, first)
    carry_through(issue, second)

    assert issue.status == "closed"
    assert len(issue.verified_items) == 2


def test_an_item_from_another_issue_does_not_count() -> None:
    with pytest.raises(InvalidInput):
        new_issue().note_item_verified(uuid4())


def test_no_item_is_added_to_a_closed_issue() -> None:
    issue, _ = item_in("verified")

    with pytest.raises(InvalidTransition):
        issue.add_item(uuid4())
    with pytest.raises(IssueNotOpen):
        new_item(issue)


def test_a_closed_issue_reopens_with_a_reason() -> None:
    issue, _ = item_in("verified")

    issue.reopen(reason="年度监督检查再次发现")

    assert issue.status == "open"
    assert issue.reopen_count == 1


def test_reopening_needs_a_reason() -> None:
    issue, _ = item_in("verified")

    with pytest.raises(InvalidInput) as refused:
        issue.reopen(reason=" ")

    assert refused.value.field == "reason"
    assert issue.status == "closed"


def test_an_open_issue_cannot_be_reopened() -> None:
    with pytest.raises(InvalidTransition):
        new_issue().reopen(reason="再次发现")


def test_a_reported_issue_can_be_reopened() -> None:
    issue, _ = item_in("reported")

    issue.reopen(reason="巡视再次发现")

    assert issue.status == "open"


def test_a_reopened_issue_takes_new_items_and_closes_again_when_they_are_verified() -> None:
    issue, _ = item_in("verified")
    issue.reopen(reason="再次发现")

    carry_through(issue, new_item(issue))

    assert issue.status == "closed"


def test_only_a_closed_issue_is_reported() -> None:
    issue, _ = item_in("verified")

    issue.mark_reported()

    assert issue.status == "reported"


@pytest.mark.parametrize("item_status", ["approved", "rectified", "reported"])
def test_an_issue_that_is_not_closed_is_not_reported(item_status: str) -> None:
    issue, _ = item_in(item_status)

    with pytest.raises(InvalidTransition):
        issue.mark_reported()


def test_falsification_of_the_verified_item_reopens_a_closed_issue() -> None:
    issue, item = item_in("verified")

    flag(issue, item)

    assert issue.status == "open"
    assert item.id not in issue.verified_items


def test_falsification_of_a_reported_item_reopens_a_reported_issue() -> None:
    issue, item = item_in("reported")

    flag(issue, item)

    assert issue.status == "open"


def test_falsification_of_a_verified_item_on_an_open_issue_uncounts_it() -> None:
    issue, item = item_in("verified")
    issue.reopen(reason="再次发现")
    other = new_item(issue)

    flag(issue, item)

    assert issue.status == "open"
    assert issue.verified_items == []
    assert issue.items == [item.id, other.id]


def test_an_issue_whose_flagged_item_is_verified_again_closes_again() -> None:
    issue, item = item_in("rectifying")

    rectify(item)
    pass_verification(issue, item)

    assert issue.status == "closed"


@pytest.mark.parametrize(
    ("assets", "field"),
    [
        ([{"code": "ZC-1\x07", "name": "电脑"}], "assets[0].code"),
        ([{"code": "ZC-1", "name": "电\u202e脑"}], "assets[0].name"),
        ([{"code": "ZC-1", "name": "电脑"}, {"code": "ZC\n2", "name": ""}], "assets[1].code"),
        ([{"code": "ZC-1", "name": "名" * 101}], "assets[0].name"),
        ([{"code": f"ZC-{n}", "name": "电脑"} for n in range(101)], "assets"),
        (
            [{"code": "ZC-1", "name": "电脑"}, {"code": " ZC-1 ", "name": "打印机"}],
            "assets[1].code",
        ),
    ],
)
def test_an_asset_line_is_held_to_the_rules_of_every_text_field(
    assets: list[dict[str, str]], field: str
) -> None:
    """The domain refuses what no request could send: the console's form, a sheet and the
    API all record problems through it."""
    with pytest.raises(InvalidInput) as refused:
        new_issue(assets=assets)

    assert refused.value.field == field


def test_assets_named_alike_or_by_name_alone_are_not_repeats() -> None:
    assets = [
        {"code": "ZC-1", "name": "电脑"},
        {"code": "ZC-2", "name": "电脑"},
        {"code": "", "name": "办公楼"},
        {"code": "", "name": "车库"},
    ]

    assert new_issue(assets=assets).assets == assets


def test_a_hundred_clean_asset_lines_are_kept() -> None:
    assets = [{"code": f" ZC-{n} ", "name": "电脑"} for n in range(100)]

    issue = new_issue(assets=assets)

    assert issue.assets[0] == {"code": "ZC-0", "name": "电脑"}
    assert len(issue.assets) == 100


def test_an_issue_aggregate_refuses_a_found_on_in_the_future_on_correction() -> None:
    issue = new_issue()
    with pytest.raises(InvalidInput) as refused:
        issue.correct(
            category=issue.category,
            subtype=issue.subtype,
            title=issue.title,
            description=issue.description,
            assets=issue.assets,
            found_on=TODAY + timedelta(days=1),
            reason="更正",
            today=TODAY,
        )
    assert refused.value.field == "found_on"


def test_a_problem_recorded_with_an_asset_code_twice_is_still_corrected_keeping_them() -> None:
    """An earlier release let a code be listed twice: a correction of the title leaves the
    assets as recorded, where a new list must hold each code once."""
    issue = new_issue()
    twice = [{"code": "ZC-1", "name": "电脑"}, {"code": "ZC-1", "name": "打印机"}]
    issue.assets = twice  # as an earlier release's Found event left it

    def correct(title: str, assets: list[dict[str, str]]) -> None:
        issue.correct(
            category=issue.category,
            subtype=issue.subtype,
            title=title,
            description=issue.description,
            assets=assets,
            found_on=issue.found_on,
            reason="更正",
            today=TODAY,
        )

    correct("新标题", twice)
    assert (issue.title, issue.assets) == ("新标题", twice)
    with pytest.raises(InvalidInput) as refused:
        correct("又一个标题", [*twice, {"code": "ZC-2", "name": "空调"}])
    assert refused.value.field == "assets[1].code"
