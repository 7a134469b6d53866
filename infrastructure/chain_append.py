"""The statements of one chained append on PostgreSQL, rendered once per recorder.

Sent together in one pipeline (one round trip): ``BEGIN``, ``SET LOCAL lock_timeout``, the
advisory lock with the NOTIFY that wakes subscribers at commit, the insert, ``COMMIT``. The
insert is one statement: it inserts the events, then, in its own snapshot (taken after the
lock was granted, so it sees every earlier append), reads the chain's head and inserts one
link per new event, ``hash = sha256(previous hash ‖ record)`` over the events in position
order, ``record`` being ``infrastructure.chain.PG_RECORD``: the bytes that
``infrastructure.chain.record_bytes`` builds and that ``rectify verify`` checks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from psycopg.sql import SQL, Identifier, Literal

from infrastructure.chain import GENESIS, PG_RECORD, chain_table_name


def advisory_key(schema: str, table: str) -> int:
    """A stable 64-bit advisory-lock key for appends to one events table."""
    digest = hashlib.sha256(f"rectify-append:{schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class AppendStatements:
    begin: str
    lock_timeout: str
    lock: str
    insert: str
    commit: str


_INSERT = (
    "WITH RECURSIVE new AS ("
    " INSERT INTO {events} (originator_id, originator_version, topic, state)"
    " SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::bytea[])"
    " RETURNING notification_id, originator_id, originator_version, topic, state"
    "), batch AS MATERIALIZED ("
    " SELECT count(*) AS size,"
    " array_agg(e.notification_id ORDER BY e.notification_id) AS positions,"
    " array_agg(" + PG_RECORD + " ORDER BY e.notification_id) AS records"
    " FROM new e"
    "), head AS ("
    " SELECT h.position, coalesce(h.hash, {genesis}::bytea) AS hash FROM (VALUES (1)) AS one"
    " LEFT JOIN LATERAL (SELECT position, hash FROM {chain} ORDER BY position DESC LIMIT 1) h"
    " ON true"
    "), link (i, position, previous, hash) AS ("
    " SELECT 0::bigint, position, NULL::bigint, hash FROM head"
    " UNION ALL"
    " SELECT l.i + 1, b.positions[l.i + 1], l.position, sha256(l.hash || b.records[l.i + 1])"
    " FROM link l, batch b WHERE l.i < b.size"
    "), linked AS ("
    " INSERT INTO {chain} (position, previous, hash)"
    " SELECT position, previous, hash FROM link WHERE i > 0"
    ") SELECT notification_id FROM new"
)


def append_statements(
    *, schema: str, events_table: str, channel: str, lock_timeout: int
) -> AppendStatements:
    chain = Identifier(schema, chain_table_name(events_table))
    return AppendStatements(
        begin="BEGIN",
        lock_timeout=SQL("SET LOCAL lock_timeout = {0}")
        .format(Literal(f"{lock_timeout}s"))
        .as_string(None),
        lock=SQL("SELECT pg_advisory_xact_lock({key}), pg_notify({channel}, '')")
        .format(key=Literal(advisory_key(schema, events_table)), channel=Literal(channel))
        .as_string(None),
        insert=SQL(_INSERT)
        .format(
            events=Identifier(schema, events_table),
            chain=chain,
            genesis=Literal("\\x" + GENESIS.hex()),
        )
        .as_string(None),
        commit="COMMIT",
    )
