"""The stored links follow the documented formula, recomputed here without our code.

An auditor can re-derive every link with hashlib and struct from the raw rows:
``SHA-256(previous hash ‖ >qqHHI(position, version, len id, len topic, len state) ‖ id ‖
topic ‖ state)``, the first previous hash being 32 zero bytes, each link naming the position
before it (the gaps left by failed appends included).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import database_url
from tests.integration.test_tamper_kit import Log


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    built = build_world(database_url(request.param, tmp_path, request), clock)
    built.rectified_item()
    yield built
    built.container.close()


def test_every_event_has_a_link_recomputable_by_hand(world: World) -> None:
    log = Log(world.container.settings.database_url)
    events = log.sql(
        f"SELECT {log.pos}, originator_id, originator_version, topic, state "
        f"FROM {log.events} ORDER BY 1"
    )
    links = log.sql(f"SELECT position, previous, hash FROM {log.chain} ORDER BY position")
    assert len(links) == len(events)
    previous_position, previous_hash = None, bytes(32)
    for (position, oid, version, topic, state), link in zip(events, links, strict=True):
        raw_id = UUID(str(oid)).bytes
        topic_bytes, state_bytes = topic.encode(), bytes(state)
        record = (
            struct.pack(">qqHHI", position, version, 16, len(topic_bytes), len(state_bytes))
            + raw_id
            + topic_bytes
            + state_bytes
        )
        expected = hashlib.sha256(previous_hash + record).digest()
        assert (link[0], link[1], bytes(link[2])) == (position, previous_position, expected)
        previous_position, previous_hash = position, expected


def test_account_and_case_events_are_all_chained(world: World) -> None:
    log = Log(world.container.settings.database_url)
    topics = {
        row[0].split(":")[0]
        for row in log.sql(
            f"SELECT e.topic FROM {log.events} e JOIN {log.chain} c ON c.position = e.{log.pos}"
        )
    }
    assert {"domain.account", "domain.issue", "domain.item"} <= topics
