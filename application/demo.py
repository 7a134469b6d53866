"""A realistic demo campaign, dated relative to today (DESIGN §2-§5).

About forty problems over every office, category and source, and items in every state:
overdue, rejected, failed verification (once and twice), verified and reported, one flagged
as falsified, deadlines extended and asked for. Events are recorded at moments spread over
the past weeks, so histories, as-of views and progress over time have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import cycle
from typing import Any, Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from application.ports import FixedClock
from application.principal import Caller
from application.service import RectifyApp
from domain.item import RectificationItem
from domain.taxonomy import CATEGORIES, SOURCES

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts exist only with RECTIFY_ENV=dev

DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "系统管理员", "admin", "admin-bureau"),
    ("coord", "王协调（国资处）", "coordinator", "admin-bureau"),
    ("coord2", "李督办（国资处）", "coordinator", "admin-bureau"),
    ("finance", "赵审核（财政厅）", "finance", "finance"),
    ("auditor", "陈审计（纪检）", "auditor", "admin-bureau"),
    ("bj-clerk", "刘经办（北京办）", "office_staff", "bj"),
    ("tj-clerk", "孙经办（天津办）", "office_staff", "tj"),
    ("sh-clerk", "周经办（上海办）", "office_staff", "sh"),
    ("gz-clerk", "吴经办（广州办）", "office_staff", "gz"),
    ("sz-clerk", "郑经办（深圳办）", "office_staff", "sz"),
)

_CLERK_FOR = {
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
_TARGETS = (
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

_MEASURE_FOR_CATEGORY = {
    "internal_control": "internal_control",
    "basic_management": "basic_management",
    "real_estate": "real_estate",
    "acquisition": "conduct",
    "use": "conduct",
    "disposal": "conduct",
}

_PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "赵强")


class EvidenceKeeper(Protocol):
    """Stores a file and answers its evidence reference (file_name, media_type, size, sha256)."""

    def __call__(
        self, data: bytes, *, media_type: str, file_name: str, account_id: UUID
    ) -> dict[str, Any]: ...


@dataclass
class _Clock:
    """Moves the application's clock through the demo's story; keeps its evidence files."""

    app: RectifyApp
    start: datetime
    limit: datetime
    keep: EvidenceKeeper

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

    def at(self, day: int, hour: int = 10) -> None:
        moment = min(self.start + timedelta(days=day, hours=hour), self.limit)
        self.app.clock.set(moment)  # type: ignore[attr-defined]


def load_demo(
    app: RectifyApp,
    *,
    today: date,
    keep_evidence: EvidenceKeeper,
    admin_password: str = DEMO_PASSWORD,
) -> bool:
    """Load the demo unless it is there already; answers whether it loaded anything.

    Evidence files are really stored (through ``keep_evidence``), so the verifier finds
    every file an event cites.
    """
    if app.account_exists("coord"):
        return False
    real_clock = app.clock
    tz = ZoneInfo(app.campaign.timezone)
    anchor = min(today, app.campaign.rectification_end - timedelta(days=3))
    start = datetime.combine(anchor - timedelta(days=60), time(0), tz).astimezone(UTC)
    app.clock = FixedClock(start)
    try:
        callers = _accounts(app, admin_password)
        _cases(
            app,
            callers,
            _Clock(app, start, real_clock.now(), keep_evidence),
            anchor=anchor,
            today=today,
        )
    finally:
        app.clock = real_clock
    return True


def _accounts(app: RectifyApp, admin_password: str) -> dict[str, Caller]:
    admin_id = app.bootstrap_admin(
        username="admin", display_name="系统管理员", password=admin_password
    )
    admin = Caller(app.principal(admin_id), request_id="demo-accounts")
    callers = {"admin": admin}
    for username, name, role, unit in DEMO_ACCOUNTS[1:]:
        result = app.create_account(
            admin,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            grants=[(role, unit)],
        )
        callers[username] = Caller(app.principal(result.id), request_id=f"demo-{username}")
    return callers


def _subtypes() -> cycle[tuple[str, str]]:
    return cycle([(c, s) for c, (_, subs) in CATEGORIES.items() for s in subs])


def _cases(
    app: RectifyApp, who: dict[str, Caller], clock: _Clock, *, anchor: date, today: date
) -> None:
    offices = [u.code for u in app.campaign.offices()]
    kinds = _subtypes()
    sources = cycle(SOURCES)
    targets = cycle(_TARGETS)
    people = cycle(_PEOPLE)
    day0 = (anchor - clock.start.astimezone(ZoneInfo(app.campaign.timezone)).date()).days
    for n in range(40):
        office = offices[n % len(offices)]
        category, subtype = next(kinds)
        source = next(sources)
        clerk = who[_CLERK_FOR.get(office, "coord")]
        finder = clerk if source == "self_inspection" else who["coord"]
        label = CATEGORIES[category][1][subtype]
        clock.at(n % 10, 9)
        issue = app.find_issue(
            finder,
            office=office,
            category=category,
            subtype=subtype,
            source=source,
            title=f"{app.campaign.unit(office).name}{label}",
            description=f"{label}：经{SOURCES[source]}发现，涉及资产{n + 3}项。",
            assets=[
                {
                    "code": f"ZC-{office.upper()}-{n:03d}",
                    "name": "办公用房" if category == "real_estate" else "办公设备",
                }
            ],
        )
        involves = (
            "disposal"
            if category == "disposal"
            else ("lease" if subtype == "lease_without_approval" else "none")
        )
        _drive(
            app,
            who,
            clock,
            clerk,
            issue.id,
            target=next(targets),
            person=next(people),
            category=category,
            involves=involves,
            day0=day0,
            n=n,
            today=today,
        )


def _deadline(app: RectifyApp, planned_day: date, wanted: date) -> date:
    return max(planned_day, min(wanted, app.campaign.rectification_end))


def _drive(
    app: RectifyApp,
    who: dict[str, Caller],
    clock: _Clock,
    clerk: Caller,
    issue_id: UUID,
    *,
    target: str,
    person: str,
    category: str,
    involves: str,
    day0: int,
    n: int,
    today: date,
) -> None:
    plan_day = 12 + n % 8
    clock.at(plan_day)
    planned_on = app.today()
    offsets = {"approved_overdue": -5, "approved_soon": 4, "extension_asked": 2}
    wanted = today + timedelta(days=offsets.get(target, 20 + n % 10))
    item = app.plan_item(
        clerk,
        issue_id,
        measure=f"针对问题制定整改措施并落实（第{n + 1}项）",
        measure_type=_MEASURE_FOR_CATEGORY[category],
        responsible=person,
        deadline=_deadline(app, planned_on, wanted),
        involves=involves,
    ).id
    if target == "planned":
        return
    clock.at(plan_day + 1)
    app.request_approval(clerk, item)
    if target == "approval_requested":
        return
    clock.at(plan_day + 3)
    if target == "rejected":
        app.decide_approval(
            who["coord"], item, approve=False, comment="整改措施不具体，请细化后重新报送"
        )
        return
    app.decide_approval(who["coord"], item, approve=True, comment="同意整改方案")
    if involves != "none":
        app.decide_approval(who["finance"], item, approve=True, comment="同意，按规定履行报批程序")
    if target.startswith("approved"):
        return
    if target in ("extended", "extension_asked"):
        clock.at(plan_day + 10)
        current = app.load(RectificationItem, item).deadline
        app.request_extension(
            clerk,
            item,
            new_deadline=current + timedelta(days=15),
            reason="涉及产权办理，需等待不动产登记部门受理",
        )
        if target == "extended":
            clock.at(plan_day + 12)
            app.extend_deadline(
                who["coord"],
                item,
                new_deadline=current + timedelta(days=15),
                reason="理由充分，同意延期",
            )
        return
    _rectify_and_verify(app, who, clock, clerk, item, target=target, plan_day=plan_day, day0=day0)


def _rectify_and_verify(
    app: RectifyApp,
    who: dict[str, Caller],
    clock: _Clock,
    clerk: Caller,
    item: UUID,
    *,
    target: str,
    plan_day: int,
    day0: int,
) -> None:
    evidence = clock.evidence(item, clerk)
    day = plan_day + 15
    for _ in range({"failed_once": 1, "failed_twice": 2}.get(target, 0)):
        clock.at(min(day, day0))
        app.record_rectification(
            clerk, item, description="已按方案完成整改，资料附后", evidence=evidence
        )
        clock.at(min(day + 2, day0))
        app.record_verification(
            who["coord2"], item, passed=False, comment="佐证材料不完整，账实仍不相符"
        )
        day += 5
    if target.startswith("failed"):
        return
    clock.at(min(day, day0))
    app.record_rectification(
        clerk, item, description="已按方案完成整改，资料附后", evidence=evidence
    )
    if target == "rectified":
        return
    clock.at(min(day + 2, day0))
    app.record_verification(who["coord2"], item, passed=True, comment="经核查，整改到位")
    clock.at(day0)
    if target == "falsified":
        app.flag_falsification(
            who["auditor"], item, reason="抽查发现佐证照片系整改前拍摄，存在弄虚作假"
        )
    elif target == "reported":
        app.mark_reported(clerk, app.load(RectificationItem, item).issue_id)
