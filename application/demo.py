"""A realistic demo campaign, dated relative to today.

About forty problems over every office, category and source, and items in every state:
overdue, rejected, failed verification (once and twice), verified and reported, one flagged
as falsified, deadlines extended and asked for; work groups named and self-inspections
submitted, on time, late or not at all. Events are recorded in time order at moments spread
over the past weeks, so histories, as-of views and progress over time have something to show.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from application.demo_story import EvidenceKeeper, Story, case_steps, milestone_steps
from application.ports import FixedClock
from application.principal import Caller
from application.service import RectifyApp

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts exist only with RECTIFY_ENV=dev

DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "系统管理员", "admin", "admin-bureau"),
    ("coord", "王协调（国资处）", "coordinator", "admin-bureau"),
    ("coord2", "李督办（国资处）", "coordinator", "admin-bureau"),
    ("finance", "赵审核（财政厅）", "finance", "finance"),
    ("auditor", "陈审计（纪检）", "auditor", "admin-bureau"),
    ("bj-clerk", "刘经办（北京办）", "office_staff", "bj"),
    ("tj-clerk", "孙经办（天津办）", "office_staff", "tj"),
    ("sh-clerk", "周经办（上海办）", "office_staff", "sh"),
    ("gz-clerk", "吴经办（广州办）", "office_staff", "gz"),
    ("sz-clerk", "郑经办（深圳办）", "office_staff", "sz"),
)


def load_demo(
    app: RectifyApp,
    *,
    today: date,
    keep_evidence: EvidenceKeeper,
    admin_password: str = DEMO_PASSWORD,
) -> bool:
    """Load the demo unless it is there already; answers whether it loaded anything.

    Evidence files are really stored (through ``keep_evidence``), so the verifier finds
    every file an event cites.
    """
    if app.account_exists("coord"):
        return False
    real_clock = app.clock
    tz = ZoneInfo(app.campaign.timezone)
    anchor = min(today, app.campaign.rectification_end - timedelta(days=3))
    inspection_due = app.campaign.milestone("self_inspection_submitted").due
    first_day = min(anchor - timedelta(days=60), inspection_due - timedelta(days=12))
    start = datetime.combine(first_day, time(0), tz).astimezone(UTC)
    app.clock = FixedClock(start - timedelta(days=40))
    try:
        callers = _accounts(app, admin_password)
        story = Story(app=app, start=start, limit=real_clock.now(), keep=keep_evidence)
        milestone_steps(story, callers, today=today)
        case_steps(story, callers, day0=(anchor - first_day).days, today=today)
        story.run()
    finally:
        app.clock = real_clock
    return True


def _accounts(app: RectifyApp, admin_password: str) -> dict[str, Caller]:
    admin_id = app.bootstrap_admin(
        username="admin", display_name="系统管理员", password=admin_password
    )
    admin = Caller(app.principal(admin_id), request_id="demo-accounts")
    callers = {"admin": admin}
    for username, name, role, unit in DEMO_ACCOUNTS[1:]:
        result = app.create_account(
            admin,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            grants=[(role, unit)],
        )
        callers[username] = Caller(app.principal(result.id), request_id=f"demo-{username}")
    return callers
