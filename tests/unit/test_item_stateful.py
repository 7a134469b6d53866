"""Random command sequences on one item never leave the lifecycle, and the
stored events replay to the same item and issue.

The model below is written from the brief, not from ``domain/item.py``: it says which
command applies in which state and where it leads. Every rule tries its command whether or
not the model allows it; the domain must refuse exactly what the model refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from application.service import DateAsISO
from domain.errors import DomainError
from domain.issue import Issue
from domain.item import RectificationItem
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT
from tests.unit.domain_builders import EVIDENCE, TODAY, new_issue, new_item, plan_values

LIFECYCLE_STATES = frozenset(
    {
        "planned",
        "approval_requested",
        "approved",
        "rejected",
        "rectified",
        "verified",
        "verification_failed",
        "rectifying",
        "reported",
    }
)
BEFORE_RECTIFICATION = frozenset(
    {"planned", "approval_requested", "rejected", "approved", "verification_failed", "rectifying"}
)
# A claim of work not yet flagged: rectifying is where a flag sends an item, and it is not
# flagged again until the office claims the work anew.
CLAIMED_WORK = frozenset({"rectified", "verification_failed", "verified", "reported"})

accounts = st.sampled_from(["clerk", "clerk2", "coord", "coord2", "finance"])
involvements = st.sampled_from(["none", "disposal", "lease"])
people = st.sampled_from(["张伟", "王芳", "李娜"])


class Ledger(Application[UUID]):
    """A POPO store: what was saved is what a real one would give back."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


@dataclass
class Model:
    """What the lifecycle says the item and its issue should be."""

    involves: str
    status: str = "planned"
    issue: str = "open"
    approvals: set[str] = field(default_factory=set)
    requested_by: str | None = None
    rectified_by: str | None = None
    extension_pending: bool = False
    responsible: str = "张伟"

    @property
    def required(self) -> set[str]:
        if self.involves in ("disposal", "lease"):
            return {COORDINATION_UNIT, FINANCE_UNIT}
        return {COORDINATION_UNIT}


class ItemLifecycle(RuleBasedStateMachine):
    issue: Issue
    item: RectificationItem
    model: Model

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})

    @initialize(involves=involvements)
    def plan(self, involves: str) -> None:
        self.issue = new_issue()
        self.item = new_item(self.issue, involves=involves)
        self.model = Model(involves=involves)
        self.ledger.save(self.issue, self.item)

    def attempt(self, allowed: bool, command: Callable[[], object]) -> bool:
        """Run the command; the domain refuses it exactly when the model does."""
        version = self.item.version, self.issue.version
        try:
            command()
        except DomainError:
            assert not allowed, "the domain refused a command the lifecycle allows"
            assert (self.item.version, self.issue.version) == version
            return False
        assert allowed, "the domain accepted a command the lifecycle refuses"
        self.ledger.save(self.issue, self.item)
        return True

    @rule(involves=involvements, person=people)
    def replan(self, involves: str, person: str) -> None:
        m = self.model
        allowed = m.status in ("planned", "rejected")
        terms = plan_values(involves=involves, responsible=person)
        if self.attempt(allowed, lambda: self.item.replan(**terms)):
            m.status, m.involves, m.responsible = "planned", involves, person

    @rule(who=accounts)
    def request_approval(self, who: str) -> None:
        m = self.model
        if self.attempt(m.status == "planned", lambda: self.item.request_approval(by=who)):
            m.status, m.requested_by, m.approvals = "approval_requested", who, set()

    @rule(
        unit=st.sampled_from([COORDINATION_UNIT, FINANCE_UNIT]), approve=st.booleans(), who=accounts
    )
    def decide(self, unit: str, approve: bool, who: str) -> None:
        m = self.model
        allowed = (
            m.status == "approval_requested"
            and unit in m.required
            and unit not in m.approvals
            and who != m.requested_by
        )

        def decide() -> None:
            self.item.decide(unit=unit, approve=approve, comment="意见", by=who)

        if not self.attempt(allowed, decide):
            return
        if not approve:
            m.status, m.approvals = "rejected", set()
            return
        m.approvals.add(unit)
        if m.approvals == m.required:
            m.status = "approved"

    @rule(who=accounts)
    def rectify(self, who: str) -> None:
        m = self.model
        allowed = m.status in ("approved", "verification_failed", "rectifying")

        def rectify() -> None:
            self.item.rectify(
                description="已整改",
                evidence=EVIDENCE,
                rectified_on=TODAY,
                today=TODAY,
                found_on=TODAY,
                by=who,
            )

        if self.attempt(allowed, rectify):
            m.status, m.rectified_by = "rectified", who

    @rule(passed=st.booleans(), who=accounts)
    def verify(self, passed: bool, who: str) -> None:
        m = self.model
        allowed = m.status == "rectified" and who != m.rectified_by

        def verify() -> None:
            self.item.verify(passed=passed, comment="核查意见", by=who)
            if passed:
                self.issue.note_item_verified(self.item.id)

        if not self.attempt(allowed, verify):
            return
        m.status = "verified" if passed else "verification_failed"
        if passed:
            m.issue = "closed"  # its only item is verified

    @rule(grant=st.booleans())
    def extension(self, grant: bool) -> None:
        m = self.model
        new_deadline = self.item.deadline + timedelta(days=5)
        change = self.item.extend_deadline if grant else self.item.request_extension
        # a request waits for its decision: no second one meanwhile (a grant decides it)
        allowed = m.status in BEFORE_RECTIFICATION and (grant or not m.extension_pending)
        if self.attempt(
            allowed, lambda: change(new_deadline=new_deadline, reason="理由", today=TODAY)
        ):
            m.extension_pending = not grant

    @rule()
    def refuse_extension(self) -> None:
        m = self.model
        if self.attempt(m.extension_pending, lambda: self.item.refuse_extension(reason="不同意")):
            m.extension_pending = False

    @rule(person=people)
    def reassign(self, person: str) -> None:
        m = self.model
        allowed = (m.status in BEFORE_RECTIFICATION or m.status == "rectified") and (
            person != m.responsible
        )
        if self.attempt(allowed, lambda: self.item.reassign(responsible=person, reason="调整")):
            m.responsible = person

    @rule()
    def flag_falsification(self) -> None:
        m = self.model

        def flag() -> None:
            if self.item.flag_falsification(reason="弄虚作假"):
                self.issue.send_item_back(item_id=self.item.id, reason="弄虚作假")

        if not self.attempt(m.status in CLAIMED_WORK, flag):
            return
        if m.status in ("verified", "reported"):
            m.issue = "open"
        m.status = "rectifying"

    @rule()
    def report(self) -> None:
        """As the application reports: the closed issue, then its verified item."""
        m = self.model

        def report() -> None:
            self.issue.mark_reported()
            self.item.mark_reported()

        if self.attempt(m.issue == "closed" and m.status == "verified", report):
            m.issue, m.status = "reported", "reported"

    @rule()
    def reopen_issue(self) -> None:
        m = self.model
        if self.attempt(m.issue != "open", lambda: self.issue.reopen(reason="再次发现")):
            m.issue = "open"

    @invariant()
    def the_item_stays_in_the_lifecycle(self) -> None:
        assert self.item.status in LIFECYCLE_STATES
        assert self.item.status == self.model.status
        assert self.issue.status == self.model.issue

    @invariant()
    def approval_counts_only_with_every_required_unit(self) -> None:
        assert set(self.item.approvals) <= set(self.item.required_approvals)
        if self.item.status == "approved":
            assert set(self.item.approvals) == set(self.item.required_approvals)

    @invariant()
    def replaying_the_stored_events_gives_the_same_item_and_issue(self) -> None:
        assert self.ledger.repository.get(self.item.id) == self.item
        assert self.ledger.repository.get(self.issue.id) == self.issue


TestItemLifecycle = ItemLifecycle.TestCase
