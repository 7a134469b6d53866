"""What the tampering tests share: a world with a signing key and evidence directory, and a
``Log`` that edits the stored rows the way someone with database access would.

The fixtures ``world`` (SQLite and PostgreSQL) and ``pg_world`` are imported by the test
modules that use them (pytest finds a fixture by its import).

On PostgreSQL the ``Log`` connects as the superuser that owns the tables and disables the
append-only triggers first; on SQLite it drops them. Nothing here goes through the library.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.ports import FixedClock
from infrastructure.audit import AuditDesk
from infrastructure.chain import GENESIS, link_hash
from infrastructure.database import DatabaseUrl
from tests.builders import World, build_world
from tests.conftest import database_url

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def write_key(path: Path) -> Path:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem)
    return path


def audited_world(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    """A world whose settings keep evidence and the signing key under tmp_path, with cases."""
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("RECTIFY_SIGNING_KEY_FILE", str(write_key(tmp_path / "service.pem")))
    world = build_world(database_url(request.param, tmp_path, request), clock)
    for office, by in (("bj", "bj-clerk"), ("tj", "tj-clerk")):
        world.approved_item(office=office, by=by)
    try:
        yield world
    finally:
        world.container.close()


world_on_each_backend = pytest.fixture(params=BACKENDS, name="world")(audited_world)
world_on_postgres = pytest.fixture(
    params=[pytest.param("postgres", marks=pytest.mark.postgres)], name="pg_world"
)(audited_world)

RECTIFY = Path(sys.executable).with_name("rectify")


def run_rectify(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """The console script, for real, with only the given RECTIFY_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", **settings})
    return subprocess.run(
        [str(RECTIFY), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def desk(world: World) -> AuditDesk:
    return AuditDesk.of(world.container)


@dataclass
class Log:
    """The stored rows, edited directly as the tables' owner."""

    url: str

    @property
    def postgres(self) -> bool:
        return DatabaseUrl.parse(self.url).dialect == "postgres"

    @property
    def events(self) -> str:
        return "rectify_events" if self.postgres else "stored_events"

    @property
    def chain(self) -> str:
        return f"{self.events}_chain"

    @property
    def pos(self) -> str:
        return "notification_id" if self.postgres else "rowid"

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.postgres:
            with psycopg.connect(self.url, autocommit=True) as conn:
                cur = conn.execute(statement.encode(), params)
                return list(cur.fetchall()) if cur.description else []
        path = DatabaseUrl.parse(self.url).path
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            return list(conn.execute(statement.replace("%s", "?"), params).fetchall())

    def unlock(self) -> None:
        """Switch the append-only triggers off, as their owner can."""
        for table in (self.events, self.chain):
            if self.postgres:
                self.sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                for operation in ("update", "delete"):
                    self.sql(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")

    def positions(self) -> list[int]:
        return [row[0] for row in self.sql(f"SELECT {self.pos} FROM {self.events} ORDER BY 1")]

    def middle(self) -> int:
        positions = self.positions()
        return positions[len(positions) // 2]

    def state(self, position: int) -> bytes:
        rows = self.sql(f"SELECT state FROM {self.events} WHERE {self.pos} = %s", (position,))
        return bytes(rows[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self.sql(f"UPDATE {self.events} SET state = %s WHERE {self.pos} = %s", (state, position))

    def flip_byte(self, position: int, offset: int = 12) -> None:
        state = bytearray(self.state(position))
        state[offset] ^= 0x01
        self.set_state(position, bytes(state))

    def delete_event(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.events} WHERE {self.pos} = %s", (position,))

    def delete_link(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.chain} WHERE position = %s", (position,))

    def delete_event_and_link(self, position: int) -> None:
        self.delete_event(position)
        self.delete_link(position)

    def delete_from(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.events} WHERE {self.pos} >= %s", (position,))
        self.sql(f"DELETE FROM {self.chain} WHERE position >= %s", (position,))

    def swap(self, first: int, second: int) -> None:
        move = f"UPDATE {self.events} SET {self.pos} = %s WHERE {self.pos} = %s"
        self.sql(move, (-1, first))
        self.sql(move, (first, second))
        self.sql(move, (second, -1))

    def forge(self, *, position: int | None = None, link: bool = False) -> int:
        """Insert a copy of the first event under a new aggregate id; answer its position."""
        oid, version, topic, state = self.sql(
            f"SELECT originator_id, originator_version, topic, state FROM {self.events} "
            f"ORDER BY {self.pos} LIMIT 1"
        )[0]
        forged_id = UUID(int=UUID(str(oid) if self.postgres else oid).int ^ 1)
        stored_id: Any = forged_id if self.postgres else forged_id.hex
        columns = "originator_id, originator_version, topic, state"
        values: tuple[Any, ...] = (stored_id, version, topic, state)
        if position is not None:
            columns, values = f"{self.pos}, {columns}", (position, *values)
        marks = ", ".join(["%s"] * len(values))
        self.sql(f"INSERT INTO {self.events} ({columns}) VALUES ({marks})", values)
        (at,) = self.sql(
            f"SELECT {self.pos} FROM {self.events} WHERE originator_id = %s", (stored_id,)
        )[0]
        if link:
            self.add_link(at)
        return int(at)

    def _link_before(self, position: int) -> tuple[int | None, bytes]:
        before = self.sql(
            f"SELECT position, hash FROM {self.chain} WHERE position < %s "
            "ORDER BY position DESC LIMIT 1",
            (position,),
        )
        return (before[0][0], bytes(before[0][1])) if before else (None, GENESIS)

    def _links(self, position: int, *, only: bool) -> list[tuple[int, int | None, bytes]]:
        """Correct links from ``position`` (to the end, or for it alone) given the one before."""
        previous, digest = self._link_before(position)
        rows = self.sql(
            f"SELECT {self.pos}, originator_id, originator_version, topic, state "
            f"FROM {self.events} WHERE {self.pos} >= %s ORDER BY 1",
            (position,),
        )
        links = []
        for at, oid, version, topic, state in rows[:1] if only else rows:
            raw = oid.bytes if self.postgres else bytes.fromhex(oid)
            digest = link_hash(digest, at, raw, version, topic.encode(), bytes(state))
            links.append((at, previous, digest))
            previous = at
        return links

    def add_link(self, position: int) -> None:
        """A correct link for a forged row, chained to the link before it."""
        for link in self._links(position, only=True):
            self.sql(
                f"INSERT INTO {self.chain} (position, previous, hash) VALUES (%s, %s, %s)", link
            )

    def relink_from(self, position: int) -> None:
        """Recompute every link from ``position`` to the end, as a forger who knows how."""
        for at, previous, digest in self._links(position, only=False):
            self.sql(
                f"UPDATE {self.chain} SET previous = %s, hash = %s WHERE position = %s",
                (previous, digest, at),
            )
