"""工作台: the campaign's phase and next milestone, each office's light and progress,
progress over time, overdue items and the latest notices (within the account's scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response

from api.http.deps import ServicesDep
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep
from api.web.trend import TrendCache, chart
from projections.rows import MilestoneRow, OfficeProgress

router = APIRouter(route_class=WebRoute, include_in_schema=False)
trends = TrendCache()

# Each phase ends at one milestone; the current phase is the first whose end is ahead.
PHASES: Final = (
    ("self_inspection_end", "自查自纠阶段"),
    ("spot_check_end", "抽查检查阶段"),
    ("rectification_end", "分类整改阶段"),
    ("consolidated_report_due", "总结报告阶段"),
)
STATUS_ORDER: Final = (
    "planned",
    "approval_requested",
    "rejected",
    "approved",
    "rectifying",
    "rectified",
    "verification_failed",
    "verified",
    "reported",
)


@dataclass(frozen=True)
class Phase:
    label: str
    next: MilestoneRow | None


def phase_of(milestones: list[MilestoneRow]) -> Phase:
    ahead = [m for m in milestones if m.days_left >= 0]
    upcoming = min(ahead, key=lambda m: m.due) if ahead else None
    by_code = {m.code: m for m in milestones}
    for code, label in PHASES:
        end = by_code.get(code)
        if end is not None and end.days_left >= 0:
            return Phase(label, upcoming)
    return Phase("专项整治已结束", upcoming)


def office_rows(offices: list[OfficeProgress], readable: frozenset[str] | None) -> list[Any]:
    """Top offices with their sub-offices rolled in, then each sub-office on its own line."""
    rows = []
    for office in offices:
        if readable is not None and office.office not in readable:
            continue
        counts = office.with_sub_offices if office.parent is None else office.own
        rows.append({"office": office, "counts": counts, "sub": office.parent is not None})
    return rows


@router.get("/")
def dashboard(request: Request, user: UserDep, services: ServicesDep) -> Response:
    container = services.container
    app, reads = container.app, container.read_models
    progress = reads.progress(offices=user.readable)
    tz = ZoneInfo(app.campaign.timezone)
    points = trends.get(app, offices=user.readable, tz=tz, today=progress.today)
    overdue = reads.items(offices=user.readable, overdue=True, sort="deadline", page_size=10)
    notices = _latest_notices(app, user)
    return render(
        request,
        "dashboard.html",
        progress=progress,
        phase=phase_of(progress.milestones),
        offices=office_rows(progress.offices, user.readable),
        statuses=STATUS_ORDER,
        chart=chart(points),
        overdue=overdue,
        notices=notices,
    )


def _latest_notices(app: Any, user: Any) -> list[Any]:
    """Issued notices addressed to the account (every notice for the coordination office)."""
    found = [n for n in app.notices(user.caller()) if n.status == "issued"]
    found.sort(key=lambda n: (n.issued_on, n.number or ""), reverse=True)
    return found[:5]
