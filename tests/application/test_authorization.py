"""Who may do what, where: every command × role × own / sub-office / other office.

The cases are generated from ``POLICY`` and the world's accounts. Out of scope reads as
absent (NotFound, 404), never as forbidden; in scope but not allowed is PermissionDenied
(403); a refused command records nothing. A few tests first pin the policy table to the
rules of the brief, so the generated expectations cannot drift with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from application.errors import NotFound, PermissionDenied
from application.policy import ALL, OWN, POLICY
from application.principal import Caller
from domain.errors import InvalidInput
from tests.builders import ACCOUNTS, World

READS = frozenset({"read_cases", "read_accounts"})
# The case and account commands of issue 2; later commands carry their own tests.
WRITES = frozenset(
    {
        "find_issue",
        "plan_item",
        "replan_item",
        "request_approval",
        "decide_approval",
        "record_rectification",
        "record_verification",
        "request_extension",
        "decide_extension",
        "reassign",
        "flag_falsification",
        "reopen_issue",
        "mark_reported",
        "manage_accounts",
    }
)
OFFICE_ROLES = frozenset({"office_staff", "office_lead"})

# One account per role, and three offices: bj (bj-clerk's own), tj (a sub-office of bj)
# and sh (another office): each account meets its own, a sub- and another office.
ACTORS = ("bj-clerk", "bj-lead", "tj-clerk", "sh-clerk", "coord", "finance", "auditor", "admin")
OFFICES = ("bj", "tj", "sh")
CLERK_OF = {"bj": "bj-clerk", "tj": "tj-clerk", "sh": "sh-clerk"}


def roles_allowed(command: str) -> set[str]:
    return set(POLICY[command])


def writes_of(role: str) -> set[str]:
    return {c for c in WRITES if role in POLICY[c]}


def test_auditors_write_nothing_but_falsification_flags() -> None:
    assert writes_of("auditor") == {"flag_falsification"}


def test_finance_records_findings_and_decides_approvals_and_nothing_else() -> None:
    assert writes_of("finance") == {"find_issue", "decide_approval"}


def test_the_administrator_manages_accounts_and_touches_no_case() -> None:
    assert writes_of("admin") == {"manage_accounts"}
    assert "admin" not in POLICY["read_cases"]


@pytest.mark.parametrize("command", ["record_verification", "decide_extension", "reopen_issue"])
def test_only_the_coordination_office_verifies_grants_extensions_and_reopens(
    command: str,
) -> None:
    assert roles_allowed(command) == {"coordinator"}


def test_office_roles_reach_only_their_own_office_and_its_sub_offices() -> None:
    reaches = {
        POLICY[c][role] for c in WRITES | READS for role in POLICY[c] if role in OFFICE_ROLES
    }
    assert reaches == {OWN}


def test_office_roles_never_decide_verify_or_flag() -> None:
    for command in ("decide_approval", "record_verification", "flag_falsification"):
        assert not roles_allowed(command) & OFFICE_ROLES


# -- the generated cases -------------------------------------------------------------------

Target = UUID | None


@dataclass(frozen=True)
class Action:
    name: str
    command: str  # the POLICY entry it exercises
    prepare: Callable[[World, str], Target]  # a case at this office in the state it needs
    run: Callable[[World, Caller, str, Target], object]
    refused_roles: frozenset[str] = frozenset()  # refused (403) beyond POLICY by a rule


def _item(world: World, office: str, *, involves: str = "none") -> UUID:
    return world.planned_item(office=office, by=CLERK_OF[office], involves=involves)[1]


def _requested(world: World, office: str, *, involves: str = "none") -> UUID:
    return world.requested_item(office=office, by=CLERK_OF[office], involves=involves)[1]


def _approved(world: World, office: str) -> UUID:
    return world.approved_item(office=office, by=CLERK_OF[office])[1]


def _rejected(world: World, office: str) -> UUID:
    item_id = _requested(world, office)
    world.app.decide_approval(world["coord"], item_id, approve=False, comment="措施不具体")
    return item_id


def _rectified(world: World, office: str) -> UUID:
    return world.rectified_item(office=office, by=CLERK_OF[office])[1]


def _verified(world: World, office: str) -> UUID:
    return world.verified_item(office=office, by=CLERK_OF[office])[1]


def _closed_issue(world: World, office: str) -> UUID:
    return world.verified_item(office=office, by=CLERK_OF[office])[0]


def _extension_asked(world: World, office: str) -> UUID:
    item_id = _approved(world, office)
    world.app.request_extension(
        world[CLERK_OF[office]], item_id, new_deadline=later(world), reason="等待产权登记"
    )
    return item_id


def later(world: World) -> date:
    return world.today() + timedelta(days=30)


def _nothing(world: World, office: str) -> Target:
    return None


def _target(target: Target) -> UUID:
    assert target is not None
    return target


ACTIONS = (
    Action(
        "find_issue",
        "find_issue",
        _nothing,
        lambda w, c, office, t: w.issue(by=c, office=office),
    ),
    Action(
        "plan_item",
        "plan_item",
        lambda w, office: w.issue(by=CLERK_OF[office], office=office).id,
        lambda w, c, office, t: w.item(_target(t), by=c),
    ),
    Action(
        "replan_item",
        "replan_item",
        _rejected,
        lambda w, c, office, t: w.app.replan_item(
            c,
            _target(t),
            measure="细化后的措施",
            measure_type="basic_management",
            responsible="王芳",
            deadline=w.today() + timedelta(days=10),
        ),
    ),
    Action(
        "request_approval",
        "request_approval",
        _item,
        lambda w, c, office, t: w.app.request_approval(c, _target(t)),
    ),
    Action(
        "decide_approval_on_disposal",
        "decide_approval",
        lambda w, office: _requested(w, office, involves="disposal"),
        lambda w, c, office, t: w.app.decide_approval(c, _target(t), approve=True),
    ),
    Action(
        "decide_approval_on_plain_item",
        "decide_approval",
        _requested,
        lambda w, c, office, t: w.app.decide_approval(c, _target(t), approve=True),
        refused_roles=frozenset({"finance"}),
    ),
    Action(
        "record_rectification",
        "record_rectification",
        _approved,
        lambda w, c, office, t: w.app.record_rectification(
            c, _target(t), description="已整改", evidence=w.evidence()
        ),
    ),
    Action(
        "record_verification",
        "record_verification",
        _rectified,
        lambda w, c, office, t: w.app.record_verification(c, _target(t), passed=True),
    ),
    Action(
        "request_extension",
        "request_extension",
        _approved,
        lambda w, c, office, t: w.app.request_extension(
            c, _target(t), new_deadline=later(w), reason="等待产权登记"
        ),
    ),
    Action(
        "extend_deadline",
        "decide_extension",
        _approved,
        lambda w, c, office, t: w.app.extend_deadline(
            c, _target(t), new_deadline=later(w), reason="同意延期"
        ),
    ),
    Action(
        "refuse_extension",
        "decide_extension",
        _extension_asked,
        lambda w, c, office, t: w.app.refuse_extension(c, _target(t), reason="理由不充分"),
    ),
    Action(
        "reassign",
        "reassign",
        _approved,
        lambda w, c, office, t: w.app.reassign(c, _target(t), responsible="李娜", reason="调岗"),
    ),
    Action(
        "flag_falsification",
        "flag_falsification",
        _verified,
        lambda w, c, office, t: w.app.flag_falsification(c, _target(t), reason="弄虚作假"),
    ),
    Action(
        "reopen_issue",
        "reopen_issue",
        _closed_issue,
        lambda w, c, office, t: w.app.reopen_issue(c, _target(t), reason="再次发现"),
    ),
    Action(
        "mark_reported",
        "mark_reported",
        _closed_issue,
        lambda w, c, office, t: w.app.mark_reported(c, _target(t)),
    ),
    Action(
        "read_item",
        "read_cases",
        _item,
        lambda w, c, office, t: w.app.get_item(c, _target(t)),
    ),
    Action(
        "read_history",
        "read_cases",
        _closed_issue,
        lambda w, c, office, t: w.app.case_history(c, _target(t)),
    ),
)

ACCOUNT_ACTIONS = (
    Action(
        "create_account",
        "manage_accounts",
        _nothing,
        lambda w, c, office, t: w.app.create_account(
            c,
            username=f"new-{uuid4().hex[:12]}",
            display_name="新账号",
            password="secret",
            grants=[("office_staff", "bj")],
        ),
    ),
    Action(
        "read_account",
        "read_accounts",
        _nothing,
        lambda w, c, office, t: w.app.get_account(c, w["bj-clerk"].principal.account_id),
    ),
)


def test_every_case_command_of_the_policy_is_exercised() -> None:
    exercised = {a.command for a in (*ACTIONS, *ACCOUNT_ACTIONS)}
    assert exercised == WRITES | READS
    assert exercised <= set(POLICY)


def reaches(world: World, actor: str, command: str, office: str) -> bool:
    role, unit = ACCOUNTS[actor]
    reach = POLICY[command].get(role)
    return reach == ALL or (reach == OWN and office in world.app.campaign.subtree(unit))


def expected_refusal(
    world: World, action: Action, actor: str, office: str
) -> type[Exception] | None:
    """The refusal the rules say this account meets; None when it may do it."""
    role, _ = ACCOUNTS[actor]
    if action.command == "find_issue":
        if reaches(world, actor, "find_issue", office):
            return None
        # Recording a problem names its office: elsewhere is bad input for office hands.
        return InvalidInput if role in POLICY["find_issue"] else PermissionDenied
    if not reaches(world, actor, "read_cases", office):
        return NotFound
    if not reaches(world, actor, action.command, office) or role in action.refused_roles:
        return PermissionDenied
    return None


CASES = [
    pytest.param(action, actor, office, id=f"{action.name}-{actor}-on-{office}")
    for action in ACTIONS
    for actor in ACTORS
    for office in OFFICES
]
ACCOUNT_CASES = [
    pytest.param(action, actor, id=f"{action.name}-{actor}")
    for action in ACCOUNT_ACTIONS
    for actor in ACTORS
]


def attempt(
    world: World, action: Action, actor: str, office: str, expected: type[Exception] | None
) -> None:
    target = action.prepare(world, office)
    position = world.last_position()
    if expected is None:
        action.run(world, world[actor], office, target)
        return
    with pytest.raises(expected):
        action.run(world, world[actor], office, target)
    assert world.last_position() == position


@pytest.mark.parametrize(("action", "actor", "office"), CASES)
def test_case_command(shared_world: World, action: Action, actor: str, office: str) -> None:
    expected = expected_refusal(shared_world, action, actor, office)

    attempt(shared_world, action, actor, office, expected)


@pytest.mark.parametrize(("action", "actor"), ACCOUNT_CASES)
def test_account_command(shared_world: World, action: Action, actor: str) -> None:
    role, _ = ACCOUNTS[actor]
    expected = None if role in POLICY[action.command] else PermissionDenied

    attempt(shared_world, action, actor, "", expected)
