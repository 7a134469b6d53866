"""The case page's forms: one POST per action, each calling the one application method the
API's route calls; a refusal re-shows the page with the form, its values and the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile

from api.http.routers.downloads import without_folders
from api.web.forms import Form
from api.web.messages import refusal
from api.web.pages_case import settle, show_case
from api.web.posting import form_route, path_id
from api.web.problem_form import read_assets, read_kind
from api.web.routing import WebRoute
from api.web.session import WebUser
from application.commanding import CommandResult
from application.errors import ApplicationError, NotFound
from domain.errors import DomainError
from domain.taxonomy import INVOLVES, MEASURE_TYPES
from infrastructure.blobstore import EvidenceRejected
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Refused = (DomainError, ApplicationError, EvidenceRejected)
MAX_FILES: Final = 10


class Step:
    """One action being handled: the form, the caller, the application."""

    def __init__(self, form: Form, data: FormData, user: WebUser, container: Container) -> None:
        self.form = form
        self.data = data
        self.user = user
        self.container = container
        self.app = container.app
        self.caller = user.caller(form.idempotency_key())
        self.version = form.version()


def _plan_fields(form: Form) -> dict[str, Any]:
    return {
        "measure": form.text("measure", "整改措施"),
        "measure_type": form.choice("measure_type", "措施类型", MEASURE_TYPES),
        "responsible": form.text("responsible", "责任人", max_length=100),
        "deadline": form.day("deadline", "完成时限"),
        "involves": form.choice("involves", "是否涉及处置或出租", INVOLVES),
    }


def _judged(
    s: Step, choices: dict[str, str], *, negative: str, label: str, asked: str
) -> bool | None:
    """A yes-or-no decision (named ``asked`` on the form) with a comment (``label``), which
    saying no requires; None if refused."""
    decision = s.form.choice("decision", asked, choices)
    comment = s.form.text("comment", label, required=False)
    if decision == negative and not comment:
        s.form.error("comment", f"选择“{choices[negative]}”时请填写{label}。")
    return decision != negative if s.form.ok else None


def replan(s: Step, item_id: UUID) -> CommandResult | None:
    fields = _plan_fields(s.form)
    if not s.form.ok:
        return None
    return s.app.replan_item(s.caller, item_id, **fields, expected_version=s.version)


def approval_request(s: Step, item_id: UUID) -> CommandResult | None:
    return s.app.request_approval(s.caller, item_id, expected_version=s.version)


def _judgement(
    choices: dict[str, str],
    *,
    negative: str,
    label: str,
    asked: str,
    run: Callable[[Step, UUID, bool, str], CommandResult],
) -> Callable[[Step, UUID], CommandResult | None]:
    """A yes-or-no step (approve, verify): the decision and its comment, then ``run``."""

    def step(s: Step, item_id: UUID) -> CommandResult | None:
        verdict = _judged(s, choices, negative=negative, label=label, asked=asked)
        if verdict is None:
            return None
        return run(s, item_id, verdict, s.form.values.get("comment", ""))

    return step


approval = _judgement(
    {"approve": "同意", "reject": "退回修改"},
    negative="reject",
    label="审批意见",
    asked="审批决定",
    run=lambda s, item_id, yes, comment: s.app.decide_approval(
        s.caller, item_id, approve=yes, comment=comment, expected_version=s.version
    ),
)
verification = _judgement(
    {"pass": "通过", "fail": "不通过"},
    negative="fail",
    label="核查意见",
    asked="核查结论",
    run=lambda s, item_id, yes, comment: s.app.record_verification(
        s.caller, item_id, passed=yes, comment=comment, expected_version=s.version
    ),
)


def rectification(s: Step, item_id: UUID) -> CommandResult | None:
    description = s.form.text("description", "整改情况")
    rectified_on = s.form.day("rectified_on", "整改完成日期")
    files = [f for f in s.data.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        s.form.error("files", "请上传至少一份佐证材料。")
    elif len(files) > MAX_FILES:
        s.form.error("files", f"一次最多上传{MAX_FILES}份佐证材料。")
    if not s.form.ok:
        return None
    s.app.check_may_upload(s.caller)
    evidence = [_store(s, f) for f in files]
    return s.app.record_rectification(
        s.caller,
        item_id,
        description=description,
        evidence=evidence,
        rectified_on=rectified_on,
        expected_version=s.version,
    )


def _store(s: Step, file: UploadFile) -> dict[str, Any]:
    blobs = s.container.blobs
    data = file.file.read(blobs.max_bytes + 1)
    media_type = (file.content_type or "application/octet-stream").split(";")[0].strip()
    name = without_folders(str(file.filename))[:255] or "佐证材料"
    try:
        stored = blobs.upload(
            data, media_type=media_type, file_name=name, account_id=s.caller.principal.account_id
        )
    except EvidenceRejected as exc:  # of several files chosen, say which
        exc.file_name = name
        raise
    blob = stored.blob
    return {
        "file_name": name,
        "media_type": blob.media_type,
        "size": blob.size,
        "sha256": blob.sha256,
    }


def extension_request(s: Step, item_id: UUID) -> CommandResult | None:
    new_deadline = s.form.day("new_deadline", "新的完成时限")
    reason = s.form.text("reason", "延期理由")
    if not s.form.ok or new_deadline is None:
        return None
    return s.app.request_extension(
        s.caller, item_id, new_deadline=new_deadline, reason=reason, expected_version=s.version
    )


def extension(s: Step, item_id: UUID) -> CommandResult | None:
    grant = s.form.choice("decision", "决定", {"grant": "批准", "refuse": "不批准"}) == "grant"
    reason = s.form.text("reason", "理由")
    new_deadline = s.form.day("new_deadline", "新的完成时限", required=grant)
    if not s.form.ok:
        return None
    if not grant:
        return s.app.refuse_extension(s.caller, item_id, reason=reason, expected_version=s.version)
    assert new_deadline is not None
    return s.app.extend_deadline(
        s.caller, item_id, new_deadline=new_deadline, reason=reason, expected_version=s.version
    )


def reassignment(s: Step, item_id: UUID) -> CommandResult | None:
    responsible = s.form.text("responsible", "新的责任人", max_length=100)
    reason = s.form.text("reason", "变更理由")
    if not s.form.ok:
        return None
    return s.app.reassign(
        s.caller, item_id, responsible=responsible, reason=reason, expected_version=s.version
    )


def falsification(s: Step, item_id: UUID) -> CommandResult | None:
    reason = s.form.text("reason", "认定理由")
    if not s.form.ok:
        return None
    return s.app.flag_falsification(s.caller, item_id, reason=reason, expected_version=s.version)


ITEM_STEPS: Final[dict[str, Callable[[Step, UUID], CommandResult | None]]] = {
    "replan": replan,
    "approval-request": approval_request,
    "approval": approval,
    "rectification": rectification,
    "verification": verification,
    "extension-request": extension_request,
    "extension": extension,
    "reassignment": reassignment,
    "falsification": falsification,
}


def plan(s: Step, issue_id: UUID) -> CommandResult | None:
    fields = _plan_fields(s.form)
    if not s.form.ok:
        return None
    return s.app.plan_item(s.caller, issue_id, **fields, expected_version=s.version)


def correction(s: Step, issue_id: UUID) -> CommandResult | None:
    category, subtype = read_kind(s.form)
    found_on = s.form.day("found_on", "发现日期")
    title = s.form.text("title", "问题标题", max_length=200)
    description = s.form.text("description", "问题描述", required=False)
    assets = read_assets(s.form)
    reason = s.form.text("reason", "更正理由")
    if not s.form.ok:
        return None
    return s.app.correct_issue(
        s.caller,
        issue_id,
        category=category,
        subtype=subtype,
        found_on=found_on,
        title=title,
        description=description,
        assets=assets,
        reason=reason,
        expected_version=s.version,
    )


def reopen(s: Step, issue_id: UUID) -> CommandResult | None:
    reason = s.form.text("reason", "重新打开的理由")
    if not s.form.ok:
        return None
    return s.app.reopen_issue(s.caller, issue_id, reason=reason, expected_version=s.version)


def report(s: Step, issue_id: UUID) -> CommandResult | None:
    return s.app.mark_reported(s.caller, issue_id, expected_version=s.version)


ISSUE_STEPS: Final[dict[str, Callable[[Step, UUID], CommandResult | None]]] = {
    "items": plan,
    "correction": correction,
    "reopen": reopen,
    "report": report,
}


def _run(
    request: Request,
    data: FormData,
    user: WebUser,
    container: Container,
    *,
    issue_id: UUID,
    name: str,
    anchor: str,
    act: Callable[[Step], CommandResult | None],
) -> Response:
    form = Form.of(name, data)
    step = Step(form, data, user, container)
    try:
        result = act(step) if form.refusal is None else None  # a version no page made
    except Refused as exc:
        failure = refusal(exc)
        assert failure is not None
        form.refuse(failure)
        result = None
    if result is None:
        return show_case(request, user, container, issue_id, form=form)
    settle(container, result.position)
    code = name.split(":")[1]
    return RedirectResponse(f"/issues/{issue_id}?done={code}#{anchor}", status_code=303)


@form_route(router, "/items/{item_id}/{action}")
def _on_item(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    item_id, action = path_id(request, "item_id"), request.path_params["action"]
    item = container.app.get_item(user.caller(), item_id)  # out of scope: 未找到
    step = ITEM_STEPS.get(action)
    if step is None:
        raise NotFound(f"no action {action}")
    return _run(
        request,
        data,
        user,
        container,
        issue_id=item.issue_id,
        name=f"{item_id}:{action}",
        anchor=f"item-{item_id}",
        act=lambda s: step(s, item_id),
    )


@form_route(router, "/issues/{issue_id}/{action}")
def _on_issue(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    issue_id, action = path_id(request, "issue_id"), request.path_params["action"]
    container.app.get_issue(user.caller(), issue_id)  # out of scope: 未找到
    step = ISSUE_STEPS.get(action)
    if step is None:
        raise NotFound(f"no action {action}")
    return _run(
        request,
        data,
        user,
        container,
        issue_id=issue_id,
        name=f"issue:{action}",
        anchor="actions",
        act=lambda s: step(s, issue_id),
    )
