"""Rendering pages: the Jinja2 templates, the context every page shares, the headers.

Pages load nothing from outside the service: the Content-Security-Policy allows only this
origin's own stylesheet and script, and charts are inline SVG drawn by the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.http.deps import Services
from api.web.problem_form import ASSETS_HINT, asset_lines
from api.web.session import CSRF_FIELD, WebUser, csrf_token, finish
from domain.campaign import Campaign
from domain.errors import UnknownUnit
from domain.notice import STATUS_LABELS as NOTICE_STATUS_LABELS
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT
from projections import labels
from projections.labels import ISSUE_STATUS, ITEM_STATUS
from projections.lights import LIGHT_LABELS

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

APPROVERS = {COORDINATION_UNIT: "协调办", FINANCE_UNIT: "财政厅"}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def file_size(size: int) -> str:
    """A file's size as people read it: 512 字节, 3.4 KB, 12.5 MB (never 0.0 KB)."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _date(value: date | datetime | None, zone: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if zone:
            value = value.astimezone(ZoneInfo(zone))
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _in_order(campaign: Campaign, codes: Iterable[str]) -> list[str]:
    """Unit codes in the campaign's order (北京、天津、西安…), as its documents list them."""
    wanted = set(codes)
    return [u.code for u in campaign.units if u.code in wanted]


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _date
    env.filters["role"] = labels.role
    env.filters["light_label"] = lambda code: LIGHT_LABELS.get(code, code)
    env.filters["item_status"] = lambda code: ITEM_STATUS.get(code, code)
    env.filters["issue_status"] = lambda code: ISSUE_STATUS.get(code, code)
    env.filters["involves"] = labels.involves
    env.filters["measure_type"] = labels.measure_type
    env.filters["approver"] = lambda code: APPROVERS.get(code, code)
    env.filters["claim_flag"] = lambda code: labels.CLAIM_FLAGS.get(code, code)
    env.filters["file_size"] = file_size
    env.filters["asset_lines"] = asset_lines
    env.globals["ASSETS_HINT"] = ASSETS_HINT
    env.globals["NOTICE_STATUS"] = NOTICE_STATUS_LABELS
    env.globals["query"] = _query
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    return env


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A page: the template with the shared context, security headers and the CSRF cookie."""
    services = services_of(request)
    user: WebUser | None = getattr(request.state, "web_user", None)
    app = services.container.app
    shared = {
        "request": request,
        "user": user,
        "csrf": csrf_token(request, services),
        "campaign": app.campaign,
        "unit_name": lambda code: _unit_name(app.campaign, code),
        "in_campaign_order": lambda codes: _in_order(app.campaign, codes),
        "milestone_label": lambda code: _milestone_label(app.campaign, code),
        "zone": app.campaign.timezone,
        "path": request.url.path,
    }
    html = environment().get_template(template).render(**shared, **context)
    response = HTMLResponse(
        html, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})}
    )
    return finish(request, response, services)


def _milestone_label(campaign: Campaign, code: str) -> str:
    try:
        return campaign.milestone(code).label
    except KeyError:  # a milestone no longer in the calendar shows as its code
        return code


def _unit_name(campaign: Campaign, code: str | None) -> str:
    if not code:
        return ""
    try:
        return campaign.unit(code).name
    except UnknownUnit:  # a unit no longer listed shows as its code
        return code
