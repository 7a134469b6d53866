"""审计: the audit log with filters (actor, unit, case, time) for every account, scoped like
``GET /api/audit/events`` to the offices it may read; the hash-chain verification with kept
digests, and signed digests to issue and download, for coordinators and auditors only."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, QueryParams, UploadFile

from api.http.deps import ServicesDep
from api.web.audit_text import verify_lines
from api.web.downloads import download
from api.web.forms import Form, new_form_id, query_day
from api.web.posting import form_route
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.errors import NotFound
from domain.errors import UnknownUnit
from infrastructure.audit import AuditDesk
from infrastructure.container import Container
from infrastructure.digests import Digest, DigestError, SigningKeyUnavailable
from projections.rows import Page

log = structlog.get_logger("rectify.web")
router = APIRouter(route_class=WebRoute, include_in_schema=False)

PAGE_SIZE: Final = 50
MAX_DIGEST_BYTES: Final = 64 * 1024


def _day(raw: str, label: str, errors: dict[str, str]) -> date | None:
    day, wrong = query_day(raw, label)
    if wrong:
        errors[label] = wrong
    return day


def audit_filters(query: QueryParams, timezone: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The read model's filters from the page's query string, and the mistakes in it."""
    errors: dict[str, str] = {}
    zone = ZoneInfo(timezone)
    raw = {k: (query.get(k) or "").strip() for k in ("actor", "unit", "case", "since", "until")}
    case = None
    if raw["case"]:
        try:
            case = UUID(raw["case"])
        except ValueError:
            errors["case"] = "案件编号应为问题或事项的编号（UUID）。"
    since, until = _day(raw["since"], "起始日期", errors), _day(raw["until"], "截止日期", errors)
    if since and until and until < since:
        errors["until"] = f"截止日期（{until}）早于起始日期（{since}），请调换或重新选择。"
    page = query.get("page", "1")
    return {
        "actor": raw["actor"][:100] or None,
        "unit": raw["unit"] or None,
        "case": case,
        "since": datetime.combine(since, time.min, zone) if since else None,
        "until": datetime.combine(until, time.max, zone) if until else None,
        "page": int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1,
        "routine": query.get("routine") != "0",  # the box 不显示登录等例行记录 sends 0
    }, errors


def _page(
    request: Request,
    container: Container,
    user: WebUser,
    *,
    result: Any = None,
    issued: Digest | None = None,
    failure: str = "",
) -> Response:
    may_verify = user.may("verify_chain")  # the digests' list needs it too
    digests = AuditDesk.of(container).digests(user.caller()) if may_verify else []
    filters, errors = audit_filters(request.query_params, container.campaign.timezone)
    unit = filters["unit"]
    try:
        if unit:
            container.campaign.unit(unit)
    except UnknownUnit:
        errors["unit"] = f"没有代码为“{unit}”的单位，请从列表中选择。"
    rows = (
        Page(items=[], total=0, page=1, page_size=PAGE_SIZE)  # a filter in error: the hint
        if errors  # says why; the whole log, as if unfiltered, would read as the answer
        else container.read_models.audit_events(
            **filters, page_size=PAGE_SIZE, offices=user.readable
        )
    )
    if filters["actor"] and rows.total == 0 and not errors:
        errors["actor"] = (
            f"没有“{filters['actor']}”的操作记录。请填写操作人的完整姓名"
            "（如“王协调（国资处）”）或账号名（如 coord）。"
        )
    link = {
        k: (request.query_params.get(k) or "")
        for k in ("actor", "unit", "case", "since", "until", "routine")
    }
    return render(
        request,
        "audit.html",
        rows=rows,
        link=link,
        errors=errors,
        units=container.campaign.units,
        digests=[
            {**d, "recorded_at": datetime.fromisoformat(d["recorded_at"])}
            for d in reversed(digests)
        ],
        result=result,
        lines=verify_lines(result) if result is not None else [],
        issued=issued,
        failure=failure,
        may_verify=may_verify,
        may_issue=user.may("issue_digest"),
        digest_form_id=new_form_id(),
    )


def digest_failure(exc: DigestError) -> str:
    """Why no digest was issued, for the person who asked (the log keeps the details)."""
    text = str(exc)
    if isinstance(exc, SigningKeyUnavailable):
        return "服务的签名密钥不可用，请系统管理员检查签名密钥文件（RECTIFY_SIGNING_KEY_FILE）。"
    broken = re.search(r"broken at position (\d+)", text)
    if broken:
        return f"哈希链在位置 {broken.group(1)} 处断裂，不能签发摘要；请先核验完整性查明原因。"
    if "empty" in text:
        return "事件日志为空，没有可签名的内容。"
    if "no hash chain" in text:
        return "当前存储没有哈希链，没有可签名的内容。"
    return "摘要未能签发，请稍后再试或联系系统管理员。"


@router.get("/audit")
def audit(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _page(request, services.container, user)


@form_route(router, "/audit/verify")
def _verify(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    kept: list[tuple[str, str | bytes]] = []
    for upload in data.getlist("digests"):
        if isinstance(upload, UploadFile) and upload.filename:
            kept.append((upload.filename, upload.file.read(MAX_DIGEST_BYTES)))
    try:
        result = AuditDesk.of(container).verify(user.caller(), digests=kept)
    except DigestError as exc:  # the key to check the digests with is unusable
        return _page(request, container, user, failure=f"未能核验：{digest_failure(exc)}")
    return _page(request, container, user, result=result)


@form_route(router, "/audit/digests")
def _issue(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    form = Form.of("digest", data)
    try:
        digest = AuditDesk.of(container).issue_digest(user.caller(form.idempotency_key()))
    except DigestError as exc:
        if not isinstance(exc, SigningKeyUnavailable):  # that one is logged where it is raised
            log.warning("digest_refused", reason=str(exc))
        return _page(request, container, user, failure=f"未能生成摘要：{digest_failure(exc)}")
    return _page(request, container, user, issued=digest)


@router.get("/audit/digests/{digest_id}.json")
def digest_file(digest_id: str, user: UserDep, services: ServicesDep) -> Response:
    for listed in AuditDesk.of(services.container).digests(user.caller()):
        if listed["digest_id"] == digest_id:
            digest = Digest(**listed["digest"])
            name = f"audit-digest-{digest.position}.json"
            return download(
                digest.to_json().encode(), media_type="application/json", file_name=name
            )
    raise NotFound(f"no digest {digest_id}")
