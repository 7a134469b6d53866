"""The demo campaign's story: every step at its moment, run in time order.

Each case and each office milestone adds its steps (day, hour, action); ``Story.run`` sorts
them and moves the application's clock to each step's moment before acting, so the log's
order and its timestamps agree, as they do in real use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import cycle
from typing import Any, Protocol
from uuid import UUID

from application.principal import Caller
from application.service import RectifyApp
from domain.taxonomy import CATEGORIES, SOURCES

CLERK_FOR = {
    "bj": "bj-clerk",
    "tj": "tj-clerk",
    "xa": "bj-clerk",
    "sd": "bj-clerk",
    "sh": "sh-clerk",
    "cq": "sh-clerk",
    "gz": "gz-clerk",
    "hn": "gz-clerk",
    "sz": "sz-clerk",
}

# The state each demo item is driven to, in turn.
TARGETS = (
    "verified",
    "approved_overdue",
    "rectified",
    "approval_requested",
    "rejected",
    "failed_once",
    "reported",
    "approved_soon",
    "planned",
    "failed_twice",
    "extended",
    "verified",
    "approved_green",
    "extension_asked",
    "falsified",
    "verified",
)

MEASURE_FOR_CATEGORY = {
    "internal_control": "internal_control",
    "basic_management": "basic_management",
    "real_estate": "real_estate",
    "acquisition": "conduct",
    "use": "conduct",
    "disposal": "conduct",
}

PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "赵强")

# Days relative to a milestone's due date on which each top-level office acts; None: never.
WORK_GROUP_DAYS = {"bj": -8, "sh": -6, "gz": -5, "sz": 9}
SELF_INSPECTION_DAYS: dict[str, int | None] = {"bj": -1, "sh": 0, "gz": 6, "sz": None}


class EvidenceKeeper(Protocol):
    """Stores a file and answers its evidence reference (file_name, media_type, size, sha256)."""

    def __call__(
        self, data: bytes, *, media_type: str, file_name: str, account_id: UUID
    ) -> dict[str, Any]: ...


@dataclass
class Story:
    app: RectifyApp
    start: datetime
    limit: datetime
    keep: EvidenceKeeper
    steps: list[tuple[int, int, int, int, Callable[[], object]]] = field(default_factory=list)

    def add(self, day: int, hour: int, case: int, action: Callable[[], object]) -> None:
        self.steps.append((day, hour, case, len(self.steps), action))

    def run(self) -> None:
        for day, hour, _, _, action in sorted(self.steps, key=lambda s: s[:4]):
            moment = min(self.start + timedelta(days=day, hours=hour), self.limit)
            self.app.clock.set(moment)  # type: ignore[attr-defined]
            action()

    def evidence(self, item: UUID, clerk: Caller) -> list[dict[str, Any]]:
        text = f"整改佐证材料\n整改事项：{item}\n（演示数据）\n"
        return [
            self.keep(
                text.encode(),
                media_type="text/plain",
                file_name="整改佐证材料.txt",
                account_id=clerk.principal.account_id,
            )
        ]


def milestone_steps(story: Story, who: dict[str, Caller], *, today: date) -> None:
    """Work groups named and self-inspections submitted: on time, late, or not at all."""
    app, first = story.app, story.start.date()
    group_due = app.campaign.milestone("work_group_named").due
    inspection_due = app.campaign.milestone("self_inspection_submitted").due
    for office, offset in WORK_GROUP_DAYS.items():
        on = group_due + timedelta(days=offset)
        if on <= today:
            story.add((on - first).days, 15, -1, _work_group(app, who, office))
    for office, maybe in SELF_INSPECTION_DAYS.items():
        if maybe is None:
            continue
        on = inspection_due + timedelta(days=maybe)
        if on <= today:
            clerk = who[CLERK_FOR[office]]
            story.add(
                (on - first).days, 16, -1, partial(app.submit_self_inspection, clerk, office=office)
            )


def _work_group(app: RectifyApp, who: dict[str, Caller], office: str) -> Callable[[], object]:
    name = app.campaign.unit(office).name
    leader = {"name": f"{name[:2]}主任", "title": f"{name}主任", "phone": "010-6500 0001"}
    liaison = {
        "name": f"{name[:2]}联络员",
        "title": "综合处处长",
        "phone": "010-6500 0002",
        "level": "division_chief",
    }
    return lambda: app.name_work_group(
        who[CLERK_FOR[office]], office=office, leader=leader, liaison=liaison
    )


def case_steps(story: Story, who: dict[str, Caller], *, day0: int, today: date) -> None:
    """Forty problems over every office, category and source, each item to its target."""
    app = story.app
    offices = [u.code for u in app.campaign.offices()]
    kinds = cycle([(c, s) for c, (_, subs) in CATEGORIES.items() for s in subs])
    sources, targets, people = cycle(SOURCES), cycle(TARGETS), cycle(PEOPLE)
    for n in range(40):
        office = offices[n % len(offices)]
        category, subtype = next(kinds)
        source = next(sources)
        case = _Case(
            story,
            who,
            n=n,
            office=office,
            day0=day0,
            today=today,
            target=next(targets),
            person=next(people),
        )
        finder = case.clerk if source == "self_inspection" else who["coord"]
        label = CATEGORIES[category][1][subtype]
        involves = (
            "disposal"
            if category == "disposal"
            else ("lease" if subtype == "lease_without_approval" else "none")
        )
        find = partial(
            case.find, finder, category=category, subtype=subtype, source=source, label=label
        )
        story.add(n % 10, 9, n, find)
        case.plan_steps(category=category, involves=involves)


class _Case:
    """One issue and its item, driven to a target state."""

    def __init__(
        self,
        story: Story,
        who: dict[str, Caller],
        *,
        n: int,
        office: str,
        day0: int,
        today: date,
        target: str,
        person: str,
    ) -> None:
        self.story, self.app, self.who = story, story.app, who
        self.n, self.office, self.day0, self.today = n, office, day0, today
        self.target, self.person = target, person
        self.clerk = who[CLERK_FOR[office]]
        self.issue: UUID | None = None
        self.item: UUID | None = None

    def find(self, finder: Caller, *, category: str, subtype: str, source: str, label: str) -> None:
        n, office = self.n, self.office
        self.issue = self.app.find_issue(
            finder,
            office=office,
            category=category,
            subtype=subtype,
            source=source,
            title=f"{self.app.campaign.unit(office).name}{label}",
            description=f"{label}：经{SOURCES[source]}发现，涉及资产{n + 3}项。",
            assets=[
                {
                    "code": f"ZC-{office.upper()}-{n:03d}",
                    "name": "办公用房" if category == "real_estate" else "办公设备",
                }
            ],
        ).id

    def at(self, day: int, action: Callable[[], object], hour: int = 10) -> None:
        self.story.add(min(day, self.day0), hour, self.n, action)

    def plan_steps(self, *, category: str, involves: str) -> None:
        app, who, target = self.app, self.who, self.target
        day = 14 + self.n % 8
        offsets = {"approved_overdue": -5, "approved_soon": 4, "extension_asked": 2}
        wanted = self.today + timedelta(days=offsets.get(target, 20 + self.n % 10))

        def plan() -> None:
            planned_on = app.today()
            deadline = max(planned_on, min(wanted, app.campaign.rectification_end))
            assert self.issue is not None  # found on an earlier day
            self.item = app.plan_item(
                self.clerk,
                self.issue,
                measure=f"针对问题制定整改措施并落实（第{self.n + 1}项）",
                measure_type=MEASURE_FOR_CATEGORY[category],
                responsible=self.person,
                deadline=deadline,
                involves=involves,
            ).id

        self.at(day, plan)
        if target == "planned":
            return
        self.at(day + 1, lambda: app.request_approval(self.clerk, self._item))
        if target == "approval_requested":
            return
        if target == "rejected":
            self.at(
                day + 3,
                lambda: app.decide_approval(
                    who["coord"],
                    self._item,
                    approve=False,
                    comment="整改措施不具体，请细化后重新报送",
                ),
            )
            return
        self.at(
            day + 3,
            lambda: app.decide_approval(
                who["coord"], self._item, approve=True, comment="同意整改方案"
            ),
        )
        if involves != "none":
            self.at(
                day + 3,
                lambda: app.decide_approval(
                    who["finance"], self._item, approve=True, comment="同意，按规定履行报批程序"
                ),
                hour=11,
            )
        if target.startswith("approved"):
            return
        if target in ("extended", "extension_asked"):
            self._extension_steps(day + 10)
            return
        self._rectification_steps(day + 15)

    @property
    def _item(self) -> UUID:
        assert self.item is not None  # planned on an earlier day
        return self.item

    def _extension_steps(self, day: int) -> None:
        app = self.app
        wanted: dict[str, date] = {}

        def ask() -> None:
            wanted["on"] = app.get_item(self.clerk, self._item).deadline + timedelta(days=15)
            app.request_extension(
                self.clerk,
                self._item,
                new_deadline=wanted["on"],
                reason="涉及产权办理，需等待不动产登记部门受理",
            )

        self.at(day, ask)
        if self.target == "extended":
            self.at(
                day + 2,
                lambda: app.extend_deadline(
                    self.who["coord"],
                    self._item,
                    new_deadline=wanted["on"],
                    reason="理由充分，同意延期",
                ),
            )

    def _rectification_steps(self, day: int) -> None:
        app, who, target, clerk = self.app, self.who, self.target, self.clerk

        def rectify() -> None:
            app.record_rectification(
                clerk,
                self._item,
                description="已按方案完成整改，资料附后",
                evidence=self.story.evidence(self._item, clerk),
            )

        for _ in range({"failed_once": 1, "failed_twice": 2}.get(target, 0)):
            self.at(day, rectify)
            self.at(
                day + 2,
                lambda: app.record_verification(
                    who["coord2"], self._item, passed=False, comment="佐证材料不完整，账实仍不相符"
                ),
            )
            day += 5
        if target.startswith("failed"):
            return
        self.at(day, rectify)
        if target == "rectified":
            return
        self.at(
            day + 2,
            lambda: app.record_verification(
                who["coord2"], self._item, passed=True, comment="经核查，整改到位"
            ),
        )
        if target == "falsified":
            self.at(
                day + 8,
                lambda: app.flag_falsification(
                    who["auditor"], self._item, reason="抽查发现佐证照片系整改前拍摄，存在弄虚作假"
                ),
            )
        elif target == "reported":
            self.at(
                day + 8, lambda: app.mark_reported(clerk, app.get_item(clerk, self._item).issue_id)
            )
