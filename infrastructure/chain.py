"""The hash chain over the event log: one link per stored event.

``hash = SHA-256(previous hash ‖ record)`` where ``record`` is the canonical encoding of
the event's position (notification id), aggregate id, version, topic and the exact stored
state bytes::

    record = ">qqHHI" (position, version, len(id), len(topic), len(state))
             ‖ id bytes (a UUID's 16 bytes) ‖ topic (UTF-8) ‖ state

The first link's previous hash is 32 zero bytes. Each link also names the previous
*existing* position (notification ids have gaps), so a removed or inserted row shows.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from eventsourcing.persistence import StoredEvent

GENESIS: Final = bytes(32)
HEADER: Final = struct.Struct(">qqHHI")
POSITION: Final = struct.Struct(">q")  # a record starts with its position

# The same record built by PostgreSQL from an events row aliased ``e`` (UUID ids): the
# verifier reads it this way, and the recorder hashes it in the event's own statement.
PG_RECORD: Final = (
    "int8send(e.notification_id) || int8send(e.originator_version)"
    " || int2send(16::int2)"
    " || int2send(octet_length(convert_to(coalesce(e.topic, ''), 'UTF8'))::int2)"
    " || int4send(octet_length(coalesce(e.state, ''::bytea))::int4)"
    " || uuid_send(e.originator_id) || convert_to(coalesce(e.topic, ''), 'UTF8')"
    " || coalesce(e.state, ''::bytea)"
)


def id_bytes(originator_id: UUID | str) -> bytes:
    """A UUID's 16 bytes; a text id's UTF-8 (the library allows either)."""
    return originator_id.bytes if isinstance(originator_id, UUID) else originator_id.encode()


def record_bytes(
    position: int, originator_id: bytes, version: int, topic: bytes, state: bytes
) -> bytes:
    return (
        HEADER.pack(position, version, len(originator_id), len(topic), len(state))
        + originator_id
        + topic
        + state
    )


def link_hash(
    previous: bytes, position: int, originator_id: bytes, version: int, topic: bytes, state: bytes
) -> bytes:
    return hashlib.sha256(
        previous + record_bytes(position, originator_id, version, topic, state)
    ).digest()


@dataclass(frozen=True)
class Link:
    position: int
    previous: int | None
    hash: bytes


def extend(
    head: tuple[int, bytes] | None, positioned: Iterable[tuple[int, StoredEvent]]
) -> list[Link]:
    """The links for newly stored events, in position order, after the current head."""
    previous_position, previous_hash = head if head is not None else (None, GENESIS)
    links: list[Link] = []
    for position, event in sorted(positioned, key=lambda pair: pair[0]):
        digest = link_hash(
            previous_hash,
            position,
            id_bytes(event.originator_id),
            event.originator_version,
            event.topic.encode(),
            event.state,
        )
        links.append(Link(position=position, previous=previous_position, hash=digest))
        previous_position, previous_hash = position, digest
    return links


def chain_table_name(events_table_name: str) -> str:
    return f"{events_table_name}_chain"


def link_rows(links: Sequence[Link]) -> list[tuple[int, int | None, bytes]]:
    return [(link.position, link.previous, link.hash) for link in links]
