"""A campaign's event log at scale: many offices, cases in a realistic mix of states.

Cases arrive over the self-inspection and spot-check phases and move through the item
lifecycle in time order: planned, approval asked, some rejected and re-planned,
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
from datetime import UTC, datetime, timedelta
from itertools import count
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from bench.case_steps import Case, CaseSteps, Cast
from domain.campaign import Campaign
from domain.recording import Actor, recording
from domain.taxonomy import CATEGORIES

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


class CampaignGenerator(CaseSteps):
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
