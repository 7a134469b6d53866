"""工作专班与自查材料: the two milestones an office meets itself, from the console.

An office names (or changes, with a reason) its work group and submits its problem list and
plans as they stand (again, with a note, to correct them); the page shows where its
milestones stand. The coordination office may act for any office, as the API lets it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from api.http.deps import ServicesDep
from api.web.forms import Form, new_form_id
from api.web.messages import refusal
from api.web.pages_case import settle
from api.web.posting import form_route
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.commanding import CommandResult
from application.errors import PermissionDenied
from application.principal import Caller
from domain.campaign import Unit
from domain.errors import DomainError
from domain.milestones import STATUS_LABELS
from domain.office_record import LIAISON_LEVELS
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PEOPLE: Final = {"leader": "分管领导", "liaison": "联络员"}
PERSON_FIELDS: Final = {"name": ("姓名", 50), "title": ("职务", 100), "phone": ("联系电话", 50)}
LABELS: Final = {**PEOPLE, "reason": "变更原因", "note": "更正说明"}


def _offices(container: Container, user: WebUser) -> dict[str, Unit]:
    """The offices this account names work groups for: its own (and sub-offices'), or every
    office for the coordination office."""
    policy = container.app.policy
    found = {
        u.code: u
        for u in container.campaign.offices()
        if policy.grant_for(user.principal, "name_work_group", u.code) is not None
    }
    if not found:
        raise PermissionDenied("this account names no office's work group")
    return found


def _office(request: Request, offices: dict[str, Unit], user: WebUser, form: Form) -> Unit:
    wanted = form.values.get("office") or request.query_params.get("office", "")
    if wanted in offices:
        return offices[wanted]
    own = (offices[g.unit] for g in user.principal.grants if g.unit in offices)
    return next(own, next(iter(offices.values())))


def _covering_group(container: Container, office: str) -> tuple[str, date] | None:
    """The office above this one whose work group answers for it (北京办事处's for 天津),
    as the milestones count it: its name and the day it was named."""
    campaign, app = container.campaign, container.app
    parent = campaign.unit(office).parent
    while parent is not None:
        record = app.office_record(parent)
        if record is not None and record.work_group_named_on is not None:
            return campaign.unit(parent).name, record.work_group_named_on
        parent = campaign.unit(parent).parent
    return None


def _page(
    request: Request,
    container: Container,
    user: WebUser,
    shown: Form | None = None,
    *,
    done: str = "",
    status: int = 200,
) -> Response:
    """The page, with the form just sent (``shown``) as it was filled in."""
    offices = _offices(container, user)
    group = shown if shown is not None and shown.name == "work_group" else Form("work_group")
    inspection = shown if shown is not None and shown is not group else Form("self_inspection")
    office = _office(request, offices, user, group if group.values else inspection)
    app = container.app
    record = app.office_record(office.code)
    named = record.work_group if record is not None else None
    covering = None if named is not None else _covering_group(container, office.code)
    if named is not None and not set(group.values) - {"office", "form_id"}:  # not yet edited
        group.values |= {
            f"{who}_{key}": person.get(key, "") for who, person in named.items() for key in person
        }
    for form in (group, inspection):
        form.values.setdefault("form_id", new_form_id())
    reads = container.read_models
    counts = {
        rows: read(offices=user.readable, office=office.code, page_size=1).total
        for rows, read in (("issues", reads.issues), ("items", reads.items))
    }
    may_submit = app.policy.grant_for(user.principal, "submit_self_inspection", office.code)
    return render(
        request,
        "office_work.html",
        status=status,
        offices={code: u.name for code, u in offices.items()},
        office=office,
        milestones=[m for m in app.milestones(user.caller()) if m.office == office.code],
        status_labels=STATUS_LABELS,
        record=record,
        named=named,
        covering=covering,
        group=group,
        inspection=inspection,
        people=PEOPLE,
        person_fields=PERSON_FIELDS,
        levels=LIAISON_LEVELS,
        counts=counts,
        may_submit=may_submit is not None,
        done=done,
    )


@router.get("/office-work")
def office_work(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _page(request, services.container, user)


def _people(form: Form) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for who, title in PEOPLE.items():
        person = {
            key: form.text(f"{who}_{key}", f"{title}{label}", max_length=length)
            for key, (label, length) in PERSON_FIELDS.items()
        }
        found[who] = person
    found["liaison"]["level"] = form.choice("liaison_level", "联络员级别", LIAISON_LEVELS)
    return found


def _refuse(form: Form, exc: DomainError) -> int:
    failure = refusal(exc, LABELS)
    assert failure is not None
    form.refuse(failure)
    if failure.field and "." in failure.field:  # leader.name → the leader_name input
        form.errors.setdefault(failure.field.replace(".", "_"), failure.message)
    return failure.status


def _submitted(
    request: Request,
    container: Container,
    user: WebUser,
    form: Form,
    act: Callable[[Caller], CommandResult],
    said: Callable[[CommandResult], str],
) -> Response:
    """The form's command, once its fields passed: the page again, with what was done or
    why not (beside the field at fault)."""
    if not form.ok:
        return _page(request, container, user, form, status=422)
    try:
        result = act(user.caller(form.idempotency_key()))
    except DomainError as exc:
        return _page(request, container, user, form, status=_refuse(form, exc))
    settle(container, result.position)
    fresh = Form(form.name, {"office": form.values["office"]})
    return _page(request, container, user, fresh, done=said(result))


@form_route(router, "/office-work/work-group")
def _name_work_group(
    request: Request, data: FormData, user: WebUser, container: Container
) -> Response:
    form = Form.of("work_group", data)
    office = form.choice("office", "单位", _offices(container, user))
    people = _people(form)
    reason = form.text("reason", "变更原因", required=False)
    record = container.app.office_record(office) if form.ok else None
    if record is not None and record.work_group is not None:  # the form has no e-mail: kept
        for who, person in people.items():
            person["email"] = record.work_group[who].get("email", "")

    def act(caller: Caller) -> CommandResult:
        return container.app.name_work_group(caller, office=office, reason=reason, **people)

    return _submitted(request, container, user, form, act, lambda _: "工作专班已报送。")


@form_route(router, "/office-work/self-inspection")
def _submit_self_inspection(
    request: Request, data: FormData, user: WebUser, container: Container
) -> Response:
    form = Form.of("self_inspection", data)
    office = form.choice("office", "单位", _offices(container, user))
    note = form.text("note", "更正说明", required=False)

    def act(caller: Caller) -> CommandResult:
        return container.app.submit_self_inspection(caller, office=office, note=note)

    def said(result: CommandResult) -> str:
        extra: dict[str, Any] = result.extra
        return (
            f"自查材料已报送：问题{extra['issues']}个、整改事项{extra['items']}项"
            f"（SHA-256 {extra['sha256'][:12]}…）。"
        )

    return _submitted(request, container, user, form, act, said)
