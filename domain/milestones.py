"""Milestone rules: which office met, is still within, or missed each deadline.

Pure functions of the campaign calendar, the dates each office met its milestones and
today's date (read from the application's clock). A milestone is due *on* its date: it is
met when its act happens on or before that day, and missed from the next day while it has
not happened. An act after the due date still counts as done, late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.campaign import Campaign

# The milestones each office must meet itself, in calendar order.
OFFICE_MILESTONES: Final = ("work_group_named", "self_inspection_submitted", "office_reports_due")

MET: Final = "met"
LATE: Final = "late"
PENDING: Final = "pending"
MISSED: Final = "missed"

STATUS_LABELS: Final = {MET: "按时完成", LATE: "逾期完成", PENDING: "未到期", MISSED: "逾期未完成"}


@dataclass(frozen=True)
class MilestoneStatus:
    office: str
    code: str
    label: str
    due: date
    done_on: date | None
    status: str
    today: date  # the day the status was judged on

    @property
    def missed(self) -> bool:
        """Missed, whether still outstanding or done late (工作明显滞后)."""
        return self.status in (MISSED, LATE)

    @property
    def days_late(self) -> int:
        """Days past the due date: to the day it was done, or to today while it is not."""
        return max(0, ((self.done_on or self.today) - self.due).days) if self.missed else 0


def milestone_status(*, due: date, done_on: date | None, today: date) -> str:
    if done_on is not None:
        return MET if done_on <= due else LATE
    return PENDING if today <= due else MISSED


def office_milestones(
    campaign: Campaign, *, office: str, done: Mapping[str, date], today: date
) -> list[MilestoneStatus]:
    """One office's three milestones; ``done`` maps a milestone code to the day it was met."""
    statuses = []
    for code in OFFICE_MILESTONES:
        milestone = campaign.milestone(code)
        done_on = done.get(code)
        statuses.append(
            MilestoneStatus(
                office=office,
                code=code,
                label=milestone.label,
                due=milestone.due,
                done_on=done_on,
                status=milestone_status(due=milestone.due, done_on=done_on, today=today),
                today=today,
            )
        )
    return statuses


def covered_dates(
    campaign: Campaign, acts: Mapping[str, Mapping[str, date]]
) -> dict[str, dict[str, date]]:
    """When each office's milestones were met, counting what a parent office did for it.

    ``acts`` maps an office to the first day it did each milestone's act itself. A parent
    office answers for its sub-offices (北京办事处（含天津、西安、山东）): its work group,
    self-inspection and report cover them, unless the sub-office acted earlier itself.
    """
    covered: dict[str, dict[str, date]] = {u.code: {} for u in campaign.offices()}
    for actor, dates in acts.items():
        for office in campaign.subtree(actor):
            if office not in covered:
                continue
            for code, day in dates.items():
                earlier = covered[office].get(code)
                if earlier is None or day < earlier:
                    covered[office][code] = day
    return covered


def campaign_milestones(
    campaign: Campaign, *, acts: Mapping[str, Mapping[str, date]], today: date
) -> list[MilestoneStatus]:
    """Every office's milestones, in the campaign's unit order."""
    covered = covered_dates(campaign, acts)
    return [
        status
        for unit in campaign.offices()
        for status in office_milestones(
            campaign, office=unit.code, done=covered[unit.code], today=today
        )
    ]
