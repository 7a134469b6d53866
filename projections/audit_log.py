"""The audit log: a row per event of every aggregate, with who, when, where and what.

Rows are only ever inserted. ``case_id`` is the issue a row belongs to (an item's events
carry their issue's id), so one query gives a case's whole history; ``office`` is the case's
office (account events have none). Indexed by actor, unit, case, aggregate, office and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import Tracking

from domain.errors import UnknownUnit
from projections.base import ViewProjection, actor_of, handles, stamp
from projections.ids import id_text
from projections.store import Batch
from projections.summaries import subject_of, summarize
from projections.table import Table

AUDIT_LOG = Table(
    name="view_audit_log",
    key="position",
    columns=(
        "position",
        "aggregate_type",
        "aggregate_id",
        "case_id",
        "event_type",
        "version",
        "actor_id",
        "actor_name",
        "actor_role",
        "actor_unit",
        "request_id",
        "recorded_at",
        "office",
        "summary",
    ),
    integers=frozenset({"position", "version"}),
    indexes=(
        ("actor_id", "recorded_at"),
        ("actor_unit", "position"),
        ("case_id", "position"),
        ("aggregate_id", "position"),
        ("office", "position"),
        ("recorded_at",),
    ),
)

AUDIT_CASES = Table(
    name="view_audit_cases",
    key="id",
    columns=("id", "aggregate_type", "office", "case_id", "subject"),
)

# Every actor id that acted under a name: a read by name resolves it to ids first, so one
# index on (actor_id, recorded_at) serves reads by id, username and name alike.
AUDIT_NAMES = Table(
    name="view_audit_names",
    key="name",
    columns=("name", "actor_ids"),
    json=frozenset({"actor_ids"}),
    defaults={"actor_ids": []},
)

CASE_TYPES = ("Issue", "RectificationItem")


class AuditLog(ViewProjection):
    name = "audit_log"
    label = "审计日志"
    tables = (AUDIT_LOG, AUDIT_CASES, AUDIT_NAMES)

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        keys = [(AUDIT_CASES.name, id_text(event.originator_id))]
        if notice_id := getattr(event, "notice_id", None):
            keys.append((AUDIT_CASES.name, id_text(notice_id)))
        name = actor_of(event)["name"]
        return [*keys, (AUDIT_NAMES.name, name)] if name else keys

    @handles("*")
    def recorded(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        aggregate_type, _, event_type = type(event).__qualname__.partition(".")
        aggregate_id = id_text(event.originator_id)
        case = batch.get(AUDIT_CASES.name, aggregate_id)
        subject = subject_of(event)
        if case is None:
            issue_id = getattr(event, "issue_id", None)
            own_case = aggregate_id if aggregate_type == "Issue" else None
            case = AUDIT_CASES.blank(
                id=aggregate_id,
                aggregate_type=aggregate_type,
                office=getattr(event, "office", None),
                case_id=id_text(issue_id) if issue_id else own_case,
                subject=subject or self._subject_elsewhere(batch, event),
            )
            batch.put(AUDIT_CASES.name, case)
        elif subject is not None and subject != case["subject"]:
            case["subject"] = subject
            batch.put(AUDIT_CASES.name, case)
        actor = actor_of(event)
        if actor["name"]:
            self._name_used(batch, actor["name"], actor["id"])
        batch.append(
            AUDIT_LOG.name,
            {
                "position": tracking.notification_id,
                "aggregate_type": aggregate_type,
                "aggregate_id": aggregate_id,
                "case_id": case["case_id"],
                "event_type": event_type,
                "version": event.originator_version,
                "actor_id": actor["id"],
                "actor_name": actor["name"],
                "actor_role": actor["role"],
                "actor_unit": actor["unit"],
                "request_id": str(getattr(event, "request_id", "") or ""),
                "recorded_at": stamp(event.timestamp),
                "office": case["office"],
                "summary": summarize(event, case["subject"], self.context.campaign),
            },
        )

    @staticmethod
    def _name_used(batch: Batch, name: str, actor_id: str) -> None:
        row = batch.get(AUDIT_NAMES.name, name) or AUDIT_NAMES.blank(name=name)
        if actor_id not in row["actor_ids"]:
            row["actor_ids"] = sorted([*row["actor_ids"], actor_id])
            batch.put(AUDIT_NAMES.name, row)

    def _subject_elsewhere(self, batch: Batch, event: Any) -> str:
        """A case that names nothing itself: a notice's number is called by its notice,
        an office's record by its office."""
        if notice_id := getattr(event, "notice_id", None):
            notice = batch.get(AUDIT_CASES.name, id_text(notice_id))
            return str(notice["subject"]) if notice else ""
        return self._unit_name(getattr(event, "office", None))

    def _unit_name(self, office: str | None) -> str:
        if office is None:
            return ""
        try:
            return self.context.campaign.unit(office).name
        except UnknownUnit:
            return office
