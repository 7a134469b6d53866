"""The milestone rules at their boundary dates: due on the day, missed after it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.campaign import Campaign
from domain.milestones import (
    LATE,
    MET,
    MISSED,
    PENDING,
    campaign_milestones,
    milestone_status,
    office_milestones,
)
from infrastructure.campaign_file import load_campaign


@pytest.fixture
def campaign() -> Campaign:
    return load_campaign(None, timezone="Asia/Shanghai", this_year=2026)


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("work_group_named", date(2026, 8, 20)),
        ("self_inspection_submitted", date(2026, 9, 15)),
        ("office_reports_due", date(2026, 12, 10)),
    ],
)
def test_a_milestone_is_pending_through_its_due_day_and_missed_the_day_after(
    campaign: Campaign, code: str, due: date
) -> None:
    def status_on(today: date) -> str:
        statuses = office_milestones(campaign, office="bj", done={}, today=today)
        return next(s.status for s in statuses if s.code == code)

    assert campaign.milestone(code).due == due
    assert status_on(date.fromordinal(due.toordinal() - 1)) == PENDING
    assert status_on(due) == PENDING
    assert status_on(date.fromordinal(due.toordinal() + 1)) == MISSED


def test_done_on_the_due_day_is_met_and_a_day_later_is_late() -> None:
    due = date(2026, 8, 20)
    today = date(2026, 10, 10)

    assert milestone_status(due=due, done_on=due, today=today) == MET
    assert milestone_status(due=due, done_on=date(2026, 8, 21), today=today) == LATE


def test_late_and_missed_both_count_as_missed_with_the_days_late(campaign: Campaign) -> None:
    statuses = office_milestones(
        campaign,
        office="sh",
        done={"work_group_named": date(2026, 8, 25)},
        today=date(2026, 9, 20),
    )
    by_code = {s.code: s for s in statuses}

    assert by_code["work_group_named"].missed
    assert by_code["work_group_named"].days_late == 5
    assert by_code["self_inspection_submitted"].status == MISSED
    assert by_code["self_inspection_submitted"].days_late == 5  # due 09-15, still undone
    assert by_code["office_reports_due"].status == PENDING
    assert not by_code["office_reports_due"].missed


def test_a_parent_office_acts_for_its_sub_offices_unless_they_acted_earlier(
    campaign: Campaign,
) -> None:
    acts = {
        "bj": {"work_group_named": date(2026, 8, 18)},
        "tj": {"work_group_named": date(2026, 8, 10)},
    }

    statuses = campaign_milestones(campaign, acts=acts, today=date(2026, 8, 21))
    named = {s.office: s for s in statuses if s.code == "work_group_named"}

    assert named["tj"].done_on == date(2026, 8, 10)
    assert named["xa"].done_on == date(2026, 8, 18)
    assert named["sd"].status == MET
    assert named["sh"].status == MISSED
    assert named["cq"].status == MISSED


def test_the_units_above_a_sub_office_are_listed_nearest_first(campaign: Campaign) -> None:
    assert campaign.above("tj") == ["bj"]  # 北京办事处（含天津、西安、山东）
    assert campaign.above("cq") == ["sh"]
    assert campaign.above("bj") == []
