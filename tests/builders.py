"""Builders for test data: a wired world with one account per role and office."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.commanding import CommandResult
from application.ports import FixedClock
from application.principal import Caller
from application.service import RectifyApp
from infrastructure.container import Container, build_container
from infrastructure.database import DatabaseUrl
from infrastructure.settings import load_settings

ACCOUNTS: dict[str, tuple[str, str]] = {
    "admin": ("admin", "admin-bureau"),
    "coord": ("coordinator", "admin-bureau"),
    "coord2": ("coordinator", "admin-bureau"),
    "finance": ("finance", "finance"),
    "auditor": ("auditor", "admin-bureau"),
    "bj-clerk": ("office_staff", "bj"),
    "bj-clerk2": ("office_staff", "bj"),
    "tj-clerk": ("office_staff", "tj"),
    "sh-clerk": ("office_staff", "sh"),
    "bj-lead": ("office_lead", "bj"),
}

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# A work group as offices name one (工作专班): a leader and a division-level liaison.
WORK_GROUP = {
    "leader": {"name": "张主任", "title": "主任", "phone": "010-65000001"},
    "liaison": {
        "name": "李处长",
        "title": "处长",
        "phone": "010-65000002",
        "level": "division_chief",
    },
}


@dataclass
class World:
    container: Container
    clock: FixedClock
    callers: dict[str, Caller] = field(default_factory=dict)
    planned: dict[UUID, int] = field(default_factory=dict)  # items planned per issue

    @property
    def app(self) -> RectifyApp:
        return self.container.app

    def __getitem__(self, username: str) -> Caller:
        return self.callers[username]

    def caller(self, username: str, **kwargs: Any) -> Caller:
        return Caller(self.callers[username].principal, **kwargs)

    def today(self) -> date:
        return self.app.today()

    def as_caller(self, by: str | Caller) -> Caller:
        return by if isinstance(by, Caller) else self.callers[by]

    def issue(self, by: str | Caller = "bj-clerk", **overrides: Any) -> CommandResult:
        values: dict[str, Any] = {
            "office": "bj",
            "category": "basic_management",
            "subtype": "ledger_incomplete",
            "source": "self_inspection",
            "title": "资产台账不健全",
            "description": "部分办公设备未入账",
        }
        values.update(overrides)
        return self.app.find_issue(self.as_caller(by), **values)

    def item(
        self, issue_id: UUID, by: str | Caller = "bj-clerk", **overrides: Any
    ) -> CommandResult:
        planned = self.planned.get(issue_id, 0)
        self.planned[issue_id] = planned + 1
        values: dict[str, Any] = {
            # a problem has no two measures of one wording under way: each plan its own
            "measure": "全面清查并补登台账" + (f"（第{planned + 1}项）" if planned else ""),
            "measure_type": "basic_management",
            "responsible": "张伟",
            "deadline": self.today() + timedelta(days=20),
            "involves": "none",
        }
        values.update(overrides)
        return self.app.plan_item(self.as_caller(by), issue_id, **values)

    def last_position(self) -> int:
        """The notification log's highest id: unchanged when a command records nothing."""
        return self.app.recorder.max_notification_id() or 0

    def planned_item(
        self, *, office: str = "bj", by: str = "bj-clerk", involves: str = "none"
    ) -> tuple[UUID, UUID]:
        issue = self.issue(by=by, office=office)
        item = self.item(issue.id, by=by, involves=involves)
        return issue.id, item.id

    def evidence(self, by: str = "bj-clerk") -> list[dict[str, Any]]:
        """A file ``by`` uploaded, as a rectification cites it."""
        upload = self.container.blobs.upload(
            b"%PDF-1.4\n% test evidence\n",
            media_type="application/pdf",
            file_name="盘点表.pdf",
            account_id=self[by].principal.account_id,
        )
        blob = upload.blob
        return [
            {
                "file_name": "盘点表.pdf",
                "media_type": blob.media_type,
                "size": blob.size,
                "sha256": blob.sha256,
            }
        ]

    def requested_item(self, **kwargs: Any) -> tuple[UUID, UUID]:
        issue_id, item_id = self.planned_item(**kwargs)
        self.app.request_approval(self[kwargs.get("by", "bj-clerk")], item_id)
        return issue_id, item_id

    def approved_item(
        self, *, office: str = "bj", by: str = "bj-clerk", involves: str = "none"
    ) -> tuple[UUID, UUID]:
        issue_id, item_id = self.requested_item(office=office, by=by, involves=involves)
        self.app.decide_approval(self["coord"], item_id, approve=True, comment="同意")
        if involves != "none":
            self.app.decide_approval(self["finance"], item_id, approve=True, comment="同意")
        return issue_id, item_id

    def rectified_item(self, **kwargs: Any) -> tuple[UUID, UUID]:
        by = kwargs.get("by", "bj-clerk")
        issue_id, item_id = self.approved_item(**kwargs)
        self.app.record_rectification(
            self[by], item_id, description="已补登", evidence=self.evidence(by)
        )
        return issue_id, item_id

    def carry_through(self, item_id: UUID, *, by: str = "bj-clerk") -> None:
        """A planned plain item, from approval requested to verified (by coord2)."""
        self.app.request_approval(self[by], item_id)
        self.app.decide_approval(self["coord"], item_id, approve=True, comment="同意")
        self.app.record_rectification(
            self[by], item_id, description="已整改", evidence=self.evidence(by)
        )
        self.app.record_verification(self["coord2"], item_id, passed=True, comment="到位")

    def verified_item(self, **kwargs: Any) -> tuple[UUID, UUID]:
        """Verified by coord2, so the issue (its only item verified) is closed."""
        issue_id, item_id = self.rectified_item(**kwargs)
        self.app.record_verification(self["coord2"], item_id, passed=True, comment="到位")
        return issue_id, item_id


def build_world(database_url: str, clock: FixedClock) -> World:
    container = build_container(load_settings(database_url=database_url), clock=clock)
    # Cheap hashing: tests check who may do what, not the cost of guessing a password.
    container.credentials.hasher = FAST_HASHER
    app = container.app
    admin_id = app.bootstrap_admin(username="admin", display_name="管理员", password="secret")
    world = World(container=container, clock=clock)
    world.callers["admin"] = Caller(app.principal(admin_id), request_id="req-admin")
    for username, (role, unit) in ACCOUNTS.items():
        if username == "admin":
            continue
        result = app.create_account(
            world["admin"],
            username=username,
            display_name=username,
            password="secret",
            grants=[(role, unit)],
        )
        world.callers[username] = Caller(app.principal(result.id), request_id=f"req-{username}")
    return world


@dataclass(frozen=True)
class StoredEvent:
    """One row of the events table as the database holds it, its state decoded as JSON."""

    originator_id: UUID
    originator_version: int
    topic: str
    state: dict[str, Any]


def stored_events(world: World) -> list[StoredEvent]:
    """Every stored event, read with the database's own driver, bypassing the library."""
    table = world.app.recorder.events_table_name  # type: ignore[attr-defined]
    query = f"SELECT originator_id, originator_version, topic, state FROM {table}"
    url = DatabaseUrl.parse(world.container.settings.database_url)
    if url.dialect == "sqlite":
        with closing(sqlite3.connect(url.path)) as conn:
            rows = conn.execute(query + " ORDER BY rowid").fetchall()
    elif url.dialect == "postgres":
        with psycopg.connect(url.conninfo()) as conn:
            rows = conn.execute(query + " ORDER BY notification_id").fetchall()
    else:
        raise ValueError(f"no raw rows in a {url.dialect} store")
    return [
        StoredEvent(UUID(str(oid)), version, topic, json.loads(bytes(state)))
        for oid, version, topic, state in rows
    ]


def write_signing_key(folder: Path) -> Path:
    """A fresh Ed25519 service key for signed digests, as RECTIFY_SIGNING_KEY_FILE."""
    key = folder / "signing-key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return key
