"""Which text fields are one line: a title, a name, a person or a file name is one line
(an input on the form); a measure, a comment, a reason, a description or a notice body is
prose (a textarea) and keeps its lines. Every field refuses bidirectional controls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from domain.account import Account
from domain.errors import InvalidInput
from domain.item_rules import check_evidence
from domain.notice import Notice
from domain.office_record import check_person
from tests.unit.domain_builders import (
    CLERK,
    EVIDENCE,
    TODAY,
    item_in,
    new_issue,
    new_item,
    plan_values,
)

RECORDS = [{"id": "lagging:bj:work_group_named", "kind": "lagging", "item_id": None}]
PERSON = {"name": "王芳", "title": "综合处处长", "phone": "010-6500 0001"}


def draft_notice(**overrides: str) -> Notice:
    values = {"title": "关于整改进展的通报", "body": "正文", "issuing_unit": "协调办"}
    return Notice.draft(recipients=["bj"], copy_to=[], records=RECORDS, **(values | overrides))


def reassign(responsible: str) -> None:
    _, item = item_in("approved")
    item.reassign(responsible=responsible, reason="人员调整")


def replan(responsible: str) -> None:
    item = new_item()
    values = plan_values(responsible=responsible)
    item.replan(**values)


def issue_token(name: str) -> None:
    Account.register(username="bj-clerk", display_name="张伟").issue_api_token(
        token_id="t1", name=name
    )


def cite(file_name: str) -> None:
    check_evidence([EVIDENCE[0] | {"file_name": file_name}])


SINGLE_LINE: dict[str, tuple[str, Callable[[str], object]]] = {
    "issue title": ("title", lambda v: new_issue(title=v)),
    "planned responsible": ("responsible", lambda v: new_item(responsible=v)),
    "re-planned responsible": ("responsible", replan),
    "new responsible": ("responsible", reassign),
    "notice title": ("title", lambda v: draft_notice(title=v)),
    "notice issuing unit": ("issuing_unit", lambda v: draft_notice(issuing_unit=v)),
    "edited notice title": (
        "title",
        lambda v: draft_notice().edit(
            title=v, body="正文", recipients=["bj"], copy_to=[], reason="改标题"
        ),
    ),
    "display name": (
        "display_name",
        lambda v: Account.register(username="bj-clerk", display_name=v),
    ),
    "token name": ("name", issue_token),
    "work group person": (
        "leader.name",
        lambda v: check_person(PERSON | {"name": v}, field="leader", with_level=False),
    ),
    "evidence file name": ("evidence[0].file_name", cite),
}


@pytest.mark.parametrize("case", SINGLE_LINE)
def test_a_one_line_field_refuses_a_line_break(case: str) -> None:
    field, set_to = SINGLE_LINE[case]

    with pytest.raises(InvalidInput) as refused:
        set_to("第一行\n第二行")

    assert refused.value.field == field
    assert refused.value.message.startswith(f"{field} must be a single line")


def rectify(description: str) -> None:
    _, item = item_in("approved")
    item.rectify(
        description=description,
        evidence=EVIDENCE,
        rectified_on=TODAY,
        today=TODAY,
        found_on=TODAY,
        by=CLERK,
    )


def extend(reason: str) -> None:
    _, item = item_in("approved")
    item.extend_deadline(new_deadline=TODAY + timedelta(days=30), reason=reason, today=TODAY)


def reject(comment: str) -> None:
    _, item = item_in("approval_requested")
    item.decide(unit="admin-bureau", approve=False, comment=comment, by="account-coord")


def reopen(reason: str) -> None:
    issue, _ = item_in("verified")
    issue.reopen(reason=reason)


PROSE: dict[str, tuple[str, Callable[[str], object]]] = {
    "measure": ("measure", lambda v: new_item(measure=v)),
    "rejection comment": ("comment", reject),
    "rectification description": ("description", rectify),
    "extension reason": ("reason", extend),
    "reopening reason": ("reason", reopen),
    "notice body": ("body", lambda v: draft_notice(body=v)),
}


@pytest.mark.parametrize("case", PROSE)
def test_prose_keeps_its_lines_but_refuses_a_bidirectional_control(case: str) -> None:
    field, set_to = PROSE[case]
    set_to("一、全面清查。\n二、补登台账。")

    with pytest.raises(InvalidInput) as refused:
        set_to("一、全面清查。\n二、\u202e补登台账。")

    assert refused.value.field == field
    assert "bidirectional control characters" in refused.value.message


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x07"])
def test_fields_that_may_be_empty_refuse_hidden_characters_too(bad: str) -> None:
    """A description, an approval's or a check's comment: empty is fine, a NUL or a bidi
    control is not (a NUL would also stop PostgreSQL's views)."""
    assert new_issue(description="  ").description == ""
    with pytest.raises(InvalidInput) as described:
        new_issue(description=f"部分设备{bad}未入账")
    _, requested = item_in("approval_requested")
    with pytest.raises(InvalidInput) as commented:
        requested.decide(unit="admin-bureau", approve=True, comment=f"同意{bad}", by="coord")

    assert (described.value.field, commented.value.field) == ("description", "comment")
    check_person(PERSON | {"email": ""}, field="leader", with_level=False)
    with pytest.raises(InvalidInput):
        check_person(PERSON | {"email": f"a{bad}@b.c"}, field="leader", with_level=False)


@pytest.mark.parametrize(
    "phone", ["0591-87846665", "+86 138 0000 0000", "(0591)87879025转8001", "13900001111"]
)
def test_a_telephone_number_as_people_write_one_is_kept(phone: str) -> None:
    assert (
        check_person(PERSON | {"phone": phone}, field="leader", with_level=False)["phone"] == phone
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "abc"}, "leader.phone"),
        ({"phone": "010-1"}, "leader.phone"),
        ({"phone": "见附件"}, "leader.phone"),
        ({"email": "not-an-email"}, "leader.email"),
        ({"email": "a@b"}, "leader.email"),
    ],
)
def test_a_work_group_member_needs_a_telephone_number_and_a_real_e_mail(
    change: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_person(PERSON | change, field="leader", with_level=False)

    assert refused.value.field == field
