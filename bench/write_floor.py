"""The floor: what PostgreSQL itself does, one row INSERT and COMMIT per operation.

The table has the events table's shape (eventsourcing's: originator id and version as the
primary key, topic, state, a bigserial notification id with its unique index) and each row
carries a payload of a typical event's size.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from bench.clients import Operation, drive
from bench.stats import Throughput

FLOOR_TABLE = "bench_floor_events"
TOPIC = "domain.item:RectificationItem.Approved"
STATE_BYTES = 480  # about a transcoded case event with its actor and request id


def create_floor_table(url: str, table: str = FLOOR_TABLE) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table} ("
            "originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, "
            "state bytea, notification_id bigserial, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        conn.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_nid ON {table} (notification_id ASC)"
        )


def payload() -> bytes:
    return os.urandom(STATE_BYTES // 2).hex().encode()


def measure_floor(url: str, *, clients: int, seconds: float, warmup: float) -> Throughput:
    create_floor_table(url)
    state = payload()
    statement = (
        f"INSERT INTO {FLOOR_TABLE} (originator_id, originator_version, topic, state) "
        "VALUES (%s, 1, %s, %s) RETURNING notification_id"
    )

    @contextmanager
    def client(_: int) -> Iterator[Operation]:
        with psycopg.connect(url) as conn:

            def insert_and_commit() -> None:
                conn.execute(statement, (uuid.uuid4(), TOPIC, state), prepare=True).fetchone()
                conn.commit()

            yield insert_and_commit

    return drive(client, clients=clients, seconds=seconds, warmup=warmup)


def pgbench_binary() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def measure_pgbench(url: str, *, clients: int, seconds: float) -> float | None:
    """For reference: the same INSERT from PostgreSQL's own C client (one round trip)."""
    binary = pgbench_binary()
    if binary is None:
        return None
    create_floor_table(url)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(  # pgbench reads ':' as a variable: the topic is spelled with a dot
            f"INSERT INTO {FLOOR_TABLE} (originator_id, originator_version, topic, state) "
            f"VALUES (gen_random_uuid(), 1, '{TOPIC.replace(':', '.')}', "
            f"convert_to(repeat('x', {STATE_BYTES}), 'UTF8')) RETURNING notification_id;\n"
        )
    try:
        done = subprocess.run(
            [
                binary,
                "--no-vacuum",
                f"--file={script.name}",
                f"--client={clients}",
                f"--jobs={min(clients, os.cpu_count() or 1)}",
                f"--time={max(1, round(seconds))}",
                "--protocol=prepared",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(script.name)
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    return float(found.group(1)) if found else None
