"""The steps a generated case takes, each through the domain's own methods (its rules apply).

``CaseSteps`` holds one method per step; ``bench.generator`` decides which case takes which
step when, as which actor, and saves the aggregates touched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from domain.campaign import Campaign
from domain.issue import Issue
from domain.item import RectificationItem
from domain.recording import Actor
from domain.taxonomy import CATEGORIES, MEASURE_TYPES, SOURCES

PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "赵强", "周杰", "吴霞")
EVIDENCE_SHA = "0f" * 32


@dataclass(frozen=True)
class Cast:
    """Who acts: two clerks per office, and the coordination office, Finance and auditors."""

    clerks: dict[str, tuple[Actor, ...]]
    coordinators: tuple[Actor, ...]
    finance: tuple[Actor, ...]
    auditors: tuple[Actor, ...]

    @classmethod
    def of(cls, offices: list[str]) -> Cast:
        def actor(key: str, name: str, role: str, unit: str) -> Actor:
            return Actor(
                id=str(uuid5(NAMESPACE_URL, f"bench:{key}")), name=name, role=role, unit=unit
            )

        return cls(
            clerks={
                o: tuple(actor(f"{o}:{k}", f"{o}经办{k}", "office_staff", o) for k in (1, 2))
                for o in offices
            },
            coordinators=tuple(
                actor(f"coord:{k}", f"协调{k}", "coordinator", "admin-bureau") for k in range(24)
            ),
            finance=tuple(actor(f"fin:{k}", f"财政{k}", "finance", "finance") for k in range(6)),
            auditors=tuple(
                actor(f"aud:{k}", f"审计{k}", "auditor", "admin-bureau") for k in range(4)
            ),
        )


@dataclass
class Case:
    """One issue and its items, with the steps still to take."""

    office: str
    clerk: Actor
    category: str
    subtype: str
    involves: str
    steps: list[tuple[str, int]]
    issue: Issue | None = None
    items: list[RectificationItem] = field(default_factory=list)


class CaseSteps:
    """One method per step of a case; ``_actor`` is who takes the current one."""

    campaign: Campaign
    tz: ZoneInfo
    rng: random.Random
    cast: Cast
    _actor: Actor
    _pending: dict[UUID, Aggregate]

    def _touch(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._pending[aggregate.id] = aggregate

    def _today(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def _deadline(self, moment: datetime) -> date:
        today = self._today(moment)
        wanted = today + timedelta(days=self.rng.randint(20, 60))
        return max(today, min(wanted, self.campaign.rectification_end))

    # Steps ----------------------------------------------------------------------------------

    def _found(self, case: Case, index: int, moment: datetime) -> None:
        today = self._today(moment)
        label = CATEGORIES[case.category][1][case.subtype]
        spot = ("spot_check", "annual_supervision", "inspection_tour")
        source = "self_inspection" if self._actor.role == "office_staff" else self.rng.choice(spot)
        case.issue = Issue.find(
            office=case.office,
            category=case.category,
            subtype=case.subtype,
            source=source,
            title=f"{case.office} {label}",
            description=f"{label}：经{SOURCES[source]}发现，涉及资产若干项。",
            assets=[
                {
                    "code": f"ZC-{case.office.upper()}-{self.rng.randint(1, 999):03d}",
                    "name": "办公设备",
                }
            ],
            found_on=today,
            today=today,
        )
        self._touch(case.issue)

    def _plan(self, case: Case, index: int, moment: datetime) -> None:
        assert case.issue is not None
        item = RectificationItem.plan(
            issue=case.issue,
            office=None,
            measure=f"针对问题制定整改措施并落实，完善制度、补登台账（第{len(case.items) + 1}项）",
            measure_type=case.category if case.category in MEASURE_TYPES else "conduct",
            responsible=self.rng.choice(PEOPLE),
            deadline=self._deadline(moment),
            involves=case.involves,
            today=self._today(moment),
            campaign_end=self.campaign.rectification_end,
            siblings=case.items,
        )
        case.issue.add_item(item.id)
        case.items.append(item)
        self._touch(case.issue, item)

    def _request(self, case: Case, index: int, moment: datetime) -> None:
        case.items[index].request_approval(by=case.clerk.id)
        self._touch(case.items[index])

    def _reject(self, case: Case, index: int, moment: datetime) -> None:
        case.items[index].decide(
            unit="admin-bureau",
            approve=False,
            comment="整改措施不具体，请细化后重新报送",
            by=self._actor.id,
        )
        self._touch(case.items[index])

    def _replan(self, case: Case, index: int, moment: datetime) -> None:
        item = case.items[index]
        item.replan(
            measure=f"细化整改措施：逐项清查、补登台账、建立盘点制度（第{index + 1}项）",
            measure_type=item.measure_type,
            responsible=item.responsible,
            deadline=self._deadline(moment),
            involves=item.involves,
            today=self._today(moment),
            campaign_end=self.campaign.rectification_end,
            siblings=case.items,
        )
        self._touch(item)

    def _approve(self, case: Case, index: int, moment: datetime) -> None:
        case.items[index].decide(
            unit="admin-bureau", approve=True, comment="同意整改方案", by=self._actor.id
        )
        self._touch(case.items[index])

    def _approve_finance(self, case: Case, index: int, moment: datetime) -> None:
        case.items[index].decide(
            unit="finance", approve=True, comment="同意，按规定履行报批程序", by=self._actor.id
        )
        self._touch(case.items[index])

    def _ask_extension(self, case: Case, index: int, moment: datetime) -> None:
        item = case.items[index]
        new_deadline = min(item.deadline + timedelta(days=10), self.campaign.rectification_end)
        if new_deadline > item.deadline and new_deadline >= self._today(moment):
            item.request_extension(
                new_deadline=new_deadline,
                reason="涉及产权办理，需等待登记部门受理",
                today=self._today(moment),
            )
            self._touch(item)

    def _extend(self, case: Case, index: int, moment: datetime) -> None:
        item = case.items[index]
        if item.pending_extension is None:
            return
        asked = date.fromisoformat(item.pending_extension["new_deadline"])
        if asked < self._today(moment):
            item.refuse_extension(reason="申请的期限已过，不予延期")
        else:
            item.extend_deadline(
                new_deadline=asked, reason="理由充分，同意延期", today=self._today(moment)
            )
        self._touch(item)

    def _rectify(self, case: Case, index: int, moment: datetime) -> None:
        today = self._today(moment)
        case.items[index].rectify(
            description="已按方案完成整改，资料附后",
            evidence=[
                {
                    "file_name": "整改佐证材料.pdf",
                    "media_type": "application/pdf",
                    "size": 20480,
                    "sha256": EVIDENCE_SHA,
                }
            ],
            rectified_on=today,
            today=today,
            found_on=case.issue.found_on if case.issue is not None else today,
            by=case.clerk.id,
        )
        self._touch(case.items[index])

    def _fail(self, case: Case, index: int, moment: datetime) -> None:
        case.items[index].verify(
            passed=False, comment="佐证材料不完整，账实仍不相符", by=self._actor.id
        )
        self._touch(case.items[index])

    def _pass(self, case: Case, index: int, moment: datetime) -> None:
        item = case.items[index]
        item.verify(passed=True, comment="经核查，整改到位", by=self._actor.id)
        assert case.issue is not None
        case.issue.note_item_verified(item.id)
        self._touch(item, case.issue)

    def _flag(self, case: Case, index: int, moment: datetime) -> None:
        item = case.items[index]
        if item.flag_falsification(reason="抽查发现佐证照片系整改前拍摄，存在弄虚作假"):
            assert case.issue is not None
            case.issue.send_item_back(item_id=item.id, reason="佐证材料弄虚作假")
            self._touch(case.issue)
        self._touch(item)

    def _report(self, case: Case, index: int, moment: datetime) -> None:
        assert case.issue is not None
        if case.issue.status != "closed":
            return
        case.issue.mark_reported(report_id=None)
        for item in case.items:
            if item.status == "verified":
                item.mark_reported(report_id=None)
        self._touch(case.issue, *case.items)
