"""Reading the audit log: by actor, unit, case and time, newest first; one case in order."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.account import Account
from domain.errors import InvalidInput
from infrastructure.database import SideDatabase
from projections.audit_log import AUDIT_LOG, AUDIT_NAMES
from projections.base import stamp, unstamp
from projections.reading import Where, fetch, marks
from projections.rows import AuditRow, Page


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput(f"{field} needs a time zone", field=field)
    return moment


# What keeps the records straight rather than records a step of the work: sign-ins, the
# stored answers of requests sent with an Idempotency-Key, the index of imported rows.
ROUTINE_LEFT_OUT: Final = (
    "aggregate_type NOT IN ('CommandRecord', 'ImportedRow') "
    "AND NOT (aggregate_type = 'Account' AND event_type = 'LoggedIn')"
)


def read_audit(
    db: SideDatabase,
    tz: ZoneInfo,
    *,
    actor: str | None,
    unit: str | None,
    case: UUID | None,
    since: datetime | None,
    until: datetime | None,
    offices: frozenset[str] | None,
    page: int,
    page_size: int,
    routine: bool = True,
) -> Page[AuditRow]:
    where = Where()
    if not routine:
        where.add(ROUTINE_LEFT_OUT)
    if actor:
        _by_actor(db, where, actor)
    if unit:
        where.add("actor_unit = %s", unit)
    if case is not None:
        where.add("(case_id = %s OR aggregate_id = %s)", str(case), str(case))
    if since is not None:
        where.add("recorded_at >= %s", stamp(_aware(since, "since")))
    if until is not None:
        where.add("recorded_at <= %s", stamp(_aware(until, "until")))
    if offices is not None:
        where.among("office", offices)
    total = int(
        fetch(db, f"SELECT COUNT(*) FROM {AUDIT_LOG.name}{where.sql()}", where.params)[0][0]
    )
    rows = fetch(
        db,
        f"SELECT {', '.join(AUDIT_LOG.columns)} FROM {AUDIT_LOG.name}{where.sql()} "
        "ORDER BY position DESC LIMIT %s OFFSET %s",
        [*where.params, page_size, (page - 1) * page_size],
    )
    return Page(items=[audit_row(r, tz) for r in rows], total=total, page=page, page_size=page_size)


def _by_actor(db: SideDatabase, where: Where, actor: str) -> None:
    """Rows by an account id, a username or a display name: the name resolved to the ids
    that acted under it first, so the condition is one indexed ``actor_id IN`` (the name
    still checked on the rows of ids that also acted under other names)."""
    direct = [actor, str(Account.create_id(actor))]
    found = fetch(db, f"SELECT name, actor_ids FROM {AUDIT_NAMES.name} WHERE name = %s", [actor])
    ids = AUDIT_NAMES.decode(found[0])["actor_ids"] if found else []
    named = sorted(set(ids) - set(direct))
    if not named:
        where.add(f"actor_id IN ({marks(direct)})", *direct)
        return
    where.add(
        f"actor_id IN ({marks([*direct, *named])}) "
        f"AND (actor_id IN ({marks(direct)}) OR actor_name = %s)",
        *direct,
        *named,
        *direct,
        actor,
    )


def read_case(db: SideDatabase, tz: ZoneInfo, case_id: UUID) -> list[AuditRow]:
    rows = fetch(
        db,
        f"SELECT {', '.join(AUDIT_LOG.columns)} FROM {AUDIT_LOG.name} "
        "WHERE case_id = %s OR aggregate_id = %s ORDER BY position",
        [str(case_id), str(case_id)],
    )
    return [audit_row(r, tz) for r in rows]


def audit_row(values: tuple[Any, ...], tz: ZoneInfo) -> AuditRow:
    row = AUDIT_LOG.decode(values)
    return AuditRow(
        position=int(row["position"]),
        aggregate_type=row["aggregate_type"],
        aggregate_id=UUID(row["aggregate_id"]),
        case_id=UUID(row["case_id"]) if row["case_id"] else None,
        event_type=row["event_type"],
        version=int(row["version"]),
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        actor_role=row["actor_role"],
        actor_unit=row["actor_unit"],
        request_id=row["request_id"],
        recorded_at=unstamp(row["recorded_at"], tz),
        office=row["office"],
        summary=row["summary"],
    )
