"""A campaign's event log at scale: many offices, cases in a realistic mix of states.

Cases arrive over the self-inspection and spot-check phases and move through the item
lifecycle (DESIGN §4) in time order: planned, approval asked, some rejected and re-planned,
approved (with Finance for disposal and lease), some deadlines extended, rectified, some
verifications failed once or twice, verified (the issue closes), some reported, a few
flagged as falsified. Each case stops at a target stage drawn from a fixed mix, or where the
campaign's clock runs out. The aggregates are the domain's own (its rules check every step);
they are saved in batches through the application (so the hash chain is written), which
builds a million events in minutes rather than the hours that one command per save takes.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.campaign import Campaign
from domain.issue import Issue
from domain.item import RectificationItem
from domain.recording import Actor, recording
from domain.taxonomy import CATEGORIES, MEASURE_TYPES, SOURCES

SAVE_EVERY = 2000  # events per transaction
SAMPLE_EVERY = 7  # keep one case in so many for the read benchmarks

# The last step a case takes (share of cases): planned, approval requested, approved,
# rectified, verified, reported — the campaign's state mix near its end.
TARGETS: tuple[tuple[str, float], ...] = (
    ("plan", 0.05),
    ("request", 0.07),
    ("approve", 0.13),
    ("rectify", 0.12),
    ("pass", 0.38),
    ("report", 0.25),
)
STAGES = tuple(stage for stage, _ in TARGETS)
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


@dataclass
class Generated:
    """What was built, and what the read benchmarks need to ask for."""

    events: int = 0
    cases: int = 0
    seconds: float = 0.0
    first: datetime | None = None
    last: datetime | None = None
    sample_issues: list[UUID] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    clerks: list[str] = field(default_factory=list)  # actor ids of office staff

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class CampaignGenerator:
    """Builds ``target`` events (a few more: the last case step finishes) into ``app``."""

    def __init__(self, app: Application[UUID], campaign: Campaign, *, seed: int = 6) -> None:
        self.app = app
        self.campaign = campaign
        self.tz = ZoneInfo(campaign.timezone)
        self.rng = random.Random(seed)
        self.offices = [u.code for u in campaign.offices()]
        self.cast = Cast.of(self.offices)
        year = campaign.rectification_end.year
        self.opens = datetime(year, 8, 25, 9, tzinfo=self.tz)
        self.arrivals_end = datetime(year, 10, 25, 18, tzinfo=self.tz)
        self.closes = datetime.combine(
            campaign.rectification_end - timedelta(days=1), datetime.min.time(), self.tz
        ) + timedelta(hours=20)
        self._pending: dict[UUID, Aggregate] = {}
        self._pending_events = 0
        self._actor = self.cast.coordinators[0]
        self._steps: dict[str, Callable[[Case, int, datetime], None]] = {
            "found": self._found,
            "plan": self._plan,
            "request": self._request,
            "reject": self._reject,
            "replan": self._replan,
            "approve": self._approve,
            "approve_finance": self._approve_finance,
            "ask_extension": self._ask_extension,
            "extend": self._extend,
            "rectify": self._rectify,
            "fail": self._fail,
            "pass": self._pass,
            "flag": self._flag,
            "report": self._report,
        }

    # Driving ------------------------------------------------------------------------------

    def run(self, target: int) -> Generated:
        result = Generated(
            offices=self.offices, clerks=[a.id for c in self.cast.clerks.values() for a in c]
        )
        started = time.perf_counter()
        cases_wanted = max(1, target // 9)
        span = (self.arrivals_end - self.opens).total_seconds()
        arrivals = sorted(self.rng.random() * span for _ in range(cases_wanted))
        queue: list[tuple[datetime, int, Case | None]] = []
        order = count()
        for offset in arrivals:
            heapq.heappush(queue, (self.opens + timedelta(seconds=offset), next(order), None))
        while queue and result.events < target:
            moment, _, case = heapq.heappop(queue)
            if case is None:
                case = self._new_case()
                result.cases += 1
            if moment > self.closes:
                continue
            kind, index = case.steps.pop(0)
            result.events += self._apply(case, kind, index, moment)
            result.first = result.first or moment
            result.last = moment
            if kind == "found" and result.cases % SAMPLE_EVERY == 0:
                assert case.issue is not None
                result.sample_issues.append(case.issue.id)
            if case.steps:
                heapq.heappush(queue, (moment + self._delay(case.steps[0][0]), next(order), case))
            if self._pending_events >= SAVE_EVERY:
                self._save()
        self._save()
        result.seconds = time.perf_counter() - started
        return result

    def _apply(self, case: Case, kind: str, index: int, moment: datetime) -> int:
        """Take one step as the right actor at ``moment``; answers how many events it made."""
        self._actor = self._actor_for(case, kind)
        before = self._case_events(case)
        with recording(self._actor, request_id=f"bench-{kind}", now=moment.astimezone(UTC)):
            self._steps[kind](case, index, moment)
        made = self._case_events(case) - before
        self._pending_events += made
        return made

    @staticmethod
    def _case_events(case: Case) -> int:
        issue = len(case.issue.pending_events) if case.issue is not None else 0
        return issue + sum(len(item.pending_events) for item in case.items)

    def _touch(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._pending[aggregate.id] = aggregate

    def _save(self) -> None:
        if self._pending:
            self.app.save(*self._pending.values())
        self._pending.clear()
        self._pending_events = 0

    def _delay(self, kind: str) -> timedelta:
        low, high = {
            "plan": (0.5, 5),
            "request": (0.2, 3),
            "reject": (1, 5),
            "replan": (1, 4),
            "approve": (1, 6),
            "approve_finance": (1, 5),
            "ask_extension": (3, 10),
            "extend": (1, 3),
            "rectify": (4, 25),
            "fail": (1, 4),
            "pass": (1, 5),
            "flag": (2, 10),
            "report": (2, 10),
        }[kind]
        return timedelta(days=self.rng.uniform(low, high))

    # Cases ----------------------------------------------------------------------------------

    def _new_case(self) -> Case:
        rng = self.rng
        office = rng.choice(self.offices)
        category = rng.choice(list(CATEGORIES))
        subtype = rng.choice(list(CATEGORIES[category][1]))
        involves = (
            "disposal"
            if category == "disposal"
            else "lease"
            if subtype == "lease_without_approval"
            else "none"
        )
        target = rng.choices([t for t, _ in TARGETS], weights=[w for _, w in TARGETS])[0]
        n_items = 2 if rng.random() < 0.2 else 1
        paths = [self._item_path(involves, target) for _ in range(n_items)]
        steps: list[tuple[str, int]] = [("found", 0)]
        for n in range(max(len(p) for p in paths)):  # the items move side by side
            steps.extend((p[n], i) for i, p in enumerate(paths) if n < len(p))
        if target == "report":
            steps.append(("report", 0))
        return Case(
            office=office,
            clerk=rng.choice(self.cast.clerks[office]),
            category=category,
            subtype=subtype,
            involves=involves,
            steps=steps,
        )

    def _item_path(self, involves: str, target: str) -> list[str]:
        rng = self.rng
        path = ["plan", "request"]
        if rng.random() < 0.08:
            path += ["reject", "replan", "request"]
        path.append("approve")
        if involves != "none":
            path.append("approve_finance")
        if rng.random() < 0.10:
            path += ["ask_extension", "extend"]
        path.append("rectify")
        failures = rng.choices([0, 1, 2], weights=[82, 13, 5])[0]
        path += ["fail", "rectify"] * failures
        path.append("pass")
        if rng.random() < 0.02:
            path += ["flag", "rectify", "pass"]
        stop = STAGES.index(target if target != "report" else "pass")
        last = max(i for i, kind in enumerate(path) if kind in STAGES[: stop + 1])
        return path[: last + 1]

    def _actor_for(self, case: Case, kind: str) -> Actor:
        rng = self.rng
        if kind in ("approve", "reject", "extend", "pass", "fail"):
            return rng.choice(self.cast.coordinators)
        if kind == "approve_finance":
            return rng.choice(self.cast.finance)
        if kind == "flag":
            return rng.choice(self.cast.auditors)
        if kind == "found" and case.issue is None and rng.random() < 0.3:
            return rng.choice(self.cast.coordinators)  # a spot-check finding
        return case.clerk

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
            measure="针对问题制定整改措施并落实，完善制度、补登台账",
            measure_type=case.category if case.category in MEASURE_TYPES else "conduct",
            responsible=self.rng.choice(PEOPLE),
            deadline=self._deadline(moment),
            involves=case.involves,
            today=self._today(moment),
            campaign_end=self.campaign.rectification_end,
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
            measure="细化整改措施：逐项清查、补登台账、建立盘点制度",
            measure_type=item.measure_type,
            responsible=item.responsible,
            deadline=self._deadline(moment),
            involves=item.involves,
            today=self._today(moment),
            campaign_end=self.campaign.rectification_end,
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
