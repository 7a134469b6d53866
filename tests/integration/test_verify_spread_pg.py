"""A long PostgreSQL log verified by two processes answers what one walk answers.

Every result here is compared whole (head, hash, count, break, evidence, checkpoints) with
the one-process walk over the same stored rows, untouched and after each tampering, with the
edit placed on a boundary between two ranges, just after one, and deep in a range a child
walks. Children that fail, and servers that refuse to share a snapshot:
``test_verify_spread_faults_pg``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from application.ports import FixedClock
from bench.campaign import write_campaign_file
from bench.generator import CampaignGenerator
from infrastructure.chain_pool import RangePool, Spread
from infrastructure.chain_range import RANGES_PER_PROCESS, Range, cut
from infrastructure.chain_result import Checkpoint, VerifyResult
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.chain_verify import Progress, verify_chain_at
from infrastructure.chain_walk import Part
from infrastructure.container import build_container
from infrastructure.database import DatabaseUrl
from infrastructure.settings import load_settings
from tests.conftest import CAMPAIGN_NOW
from tests.integration.test_tamper_kit import Log, run_rectify, write_key
from tests.pg_cluster import create_database

pytestmark = pytest.mark.postgres

EVENTS = 12_000
PROCESSES = 2
TABLE = "rectify_events"
SPREAD = Spread(processes=PROCESSES, from_events=1)


@pytest.fixture(scope="module")
def template(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated campaign's log, its append-only triggers off, to copy for each test."""
    url = create_database(pg_server)
    campaign = write_campaign_file(tmp_path_factory.mktemp("campaign"), provinces=3)
    settings = load_settings(database_url=url, campaign_file=campaign)
    built = build_container(settings, clock=FixedClock(CAMPAIGN_NOW))
    try:
        assert CampaignGenerator(built.app, built.campaign).run(EVENTS).events >= EVENTS
    finally:
        built.close()
    Log(url).unlock()
    return url


@pytest.fixture
def log(template: str, pg_server: str) -> Log:
    """A copy of the template's log for one test to edit."""
    copy = create_database(pg_server)  # a fresh name, made again as the template's copy
    name, source = DatabaseUrl.parse(copy).dbname, DatabaseUrl.parse(template).dbname
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return Log(copy)


@pytest.fixture
def walked_by_children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the ranges whose parts came from a child process."""
    seen: list[int] = []
    finished = RangePool.finished

    def spy(pool: RangePool, piece: Range, part: Part, *, by: object) -> None:
        if by is not pool:
            seen.append(piece.index)
        finished(pool, piece, part, by=by)

    monkeypatch.setattr(RangePool, "finished", spy)
    return seen


def one_walk(url: str, checkpoints: tuple[Checkpoint, ...] = ()) -> VerifyResult:
    return verify_chain_at(url, checkpoints=checkpoints)


def spread(
    url: str,
    checkpoints: tuple[Checkpoint, ...] = (),
    progress: Progress | None = None,
    how: Spread = SPREAD,
) -> VerifyResult:
    return verify_chain_at(url, checkpoints=checkpoints, progress=progress, spread=how)


def same(a: VerifyResult, b: VerifyResult) -> None:
    """Equal but for the time taken and how many processes took it."""
    assert replace(a, seconds=0, processes=1) == replace(b, seconds=0, processes=1)


def boundaries(log: Log) -> list[int]:
    """The last position of each range but the last, as the spread cuts this log."""
    positions = log.positions()
    pieces = cut(positions[0], positions[-1], PROCESSES * RANGES_PER_PROCESS, [])
    return [piece.after for piece in pieces[1:]]


def test_an_untouched_log_is_walked_by_both_processes_alike(
    log: Log, walked_by_children: list[int]
) -> None:
    result = spread(log.url)

    assert result.ok, result.summary()
    assert result.events == len(log.positions())
    assert result.evidence_checked > 0
    assert walked_by_children, "no range came from a child"
    assert result.processes == PROCESSES
    same(result, one_walk(log.url))


def last_of_a_range(log: Log) -> int:
    return boundaries(log)[len(boundaries(log)) // 2]


def first_of_a_range(log: Log) -> int:
    return last_of_a_range(log) + 1


def deep_in_the_last_range(log: Log) -> int:
    return log.positions()[-40]


WHERE: dict[str, Callable[[Log], int]] = {
    "last of a range": last_of_a_range,
    "first of a range": first_of_a_range,
    "deep in the last range": deep_in_the_last_range,
}
EDITS: dict[str, Callable[[Log, int], None]] = {
    "byte changed": lambda log, at: log.flip_byte(at),
    "row deleted": lambda log, at: log.delete_event(at),
    "row and link deleted": lambda log, at: log.delete_event_and_link(at),
    "link deleted": lambda log, at: log.delete_link(at),
    "swapped with the next": lambda log, at: log.swap(at, at + 1),
    "swapped with an earlier one": lambda log, at: log.swap(log.positions()[5], at),
    "log cut from here": lambda log, at: log.delete_from(at),
}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("edit", EDITS)
def test_a_tampered_log_is_named_as_one_walk_names_it(log: Log, edit: str, where: str) -> None:
    EDITS[edit](log, WHERE[where](log))

    result = spread(log.url)

    same(result, one_walk(log.url))
    if edit != "log cut from here":
        assert result.broken is not None, result.summary()


def test_a_row_appended_without_a_link_is_named_as_one_walk_names_it(log: Log) -> None:
    forged = log.forge()

    result = spread(log.url)

    assert result.broken is not None
    assert (result.broken.position, result.broken.kind) == (forged, "inserted")
    same(result, one_walk(log.url))


def link_hashes(log: Log, positions: list[int]) -> dict[int, bytes]:
    rows = log.sql(f"SELECT position, hash FROM {log.chain} WHERE position = ANY(%s)", (positions,))
    return {position: bytes(digest) for position, digest in rows}


def test_checkpoints_in_every_range_agree_and_a_recomputed_history_is_caught(log: Log) -> None:
    positions = log.positions()
    marks = [positions[10], first_of_a_range(log), positions[-3]]
    kept = link_hashes(log, marks)
    checkpoints = tuple(Checkpoint(p, kept[p], label=str(p)) for p in marks)

    before = spread(log.url, checkpoints)
    assert before.ok
    assert all(outcome.ok for outcome in before.checkpoints)
    same(before, one_walk(log.url, checkpoints))
    given_backwards = spread(log.url, checkpoints[::-1])
    assert [outcome.position for outcome in given_backwards.checkpoints] == marks

    edited = deep_in_the_last_range(log) - 100
    log.flip_byte(edited)
    log.relink_from(edited)  # a forger who recomputes the chain after the edit

    after = spread(log.url, checkpoints)
    assert after.broken is None, after.summary()
    assert [outcome.ok for outcome in after.checkpoints] == [True, True, False]
    same(after, one_walk(log.url, checkpoints))


def test_progress_reaches_the_last_position(log: Log) -> None:
    told: list[tuple[int, int]] = []

    spread(log.url, progress=lambda at, last: told.append((at, last)))

    last = log.positions()[-1]
    assert told[0] == (0, last)
    assert told[-1] == (last, last)
    assert all(0 <= at <= last for at, _ in told)


def test_progress_is_told_without_holding_the_pool(
    log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow progress callback (a terminal that blocks) must not hold up the children's
    answers: another thread can take the pool's lock while it runs."""
    pools: list[RangePool] = []
    parts = RangePool.parts
    monkeypatch.setattr(RangePool, "parts", lambda pool: pools.append(pool) or parts(pool))
    free: list[bool] = []

    def lock_is_free() -> None:
        if pools[0].changed.acquire(timeout=1):
            pools[0].changed.release()
            free.append(True)
        else:
            free.append(False)

    def told(at: int, last: int) -> None:
        if pools:
            other = threading.Thread(target=lock_is_free)
            other.start()
            other.join()

    spread(log.url, progress=told)

    assert free, "progress was never told during the walk"
    assert all(free), f"{free.count(False)} of {len(free)} callbacks held the pool's lock"


def deep_in_the_first_range(log: Log) -> int:
    """The first child takes the first range: children start before this process takes."""
    return log.positions()[40]


def test_the_first_range_is_walked_by_a_child_and_a_break_there_is_named(
    log: Log, walked_by_children: list[int]
) -> None:
    target = deep_in_the_first_range(log)
    log.flip_byte(target)

    result = spread(log.url)

    assert 0 in walked_by_children
    assert result.broken is not None
    assert (result.broken.position, result.broken.kind) == (target, "changed")
    assert result.processes == 1  # the ranges this process walked meanwhile lie past the break
    same(result, one_walk(log.url))


def test_a_source_in_an_exported_snapshot_does_not_see_later_appends(log: Log) -> None:
    conninfo = DatabaseUrl.parse(log.url).conninfo()
    first = PostgresChainSource(conninfo, events_table=TABLE)
    try:
        head = first.max_position()
        snapshot = first.export_snapshot()
        appended = log.forge(link=True)
        second = PostgresChainSource(conninfo, events_table=TABLE, snapshot=snapshot)
        later = PostgresChainSource(conninfo, events_table=TABLE)
        try:
            assert head is not None
            assert appended > head
            assert second.max_position() == head
            assert later.max_position() == appended
        finally:
            second.close()
            later.close()
    finally:
        first.close()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return write_key(tmp_path / "service.pem")


def rectify(log: Log, key: Path, cwd: Path, *args: str) -> tuple[int, str]:
    done = run_rectify(
        *args,
        cwd=cwd,
        RECTIFY_DATABASE_URL=log.url,
        RECTIFY_SIGNING_KEY_FILE=str(key),
        RECTIFY_EVIDENCE_DIR=str(cwd / "evidence"),
        RECTIFY_VERIFY_PROCESSES="2",
        RECTIFY_VERIFY_SPREAD_EVENTS="1",
    )
    return done.returncode, done.stdout + done.stderr


def test_rectify_verify_spreads_a_long_log_and_names_a_break(
    log: Log, key: Path, tmp_path: Path
) -> None:
    positions = log.positions()
    code, said = rectify(log, key, tmp_path, "verify")
    # the chain holds; the generated campaign cites files this evidence directory lacks
    assert f"ok: {len(positions)} events, head position {positions[-1]}" in said, said
    assert code == 1
    target = deep_in_the_last_range(log)
    log.flip_byte(target)

    code, said = rectify(log, key, tmp_path, "verify")

    assert code == 1
    assert f"BROKEN at position {target} (changed)" in said, said
    assert "2 processes)" in said, said


def test_rectify_verify_spreads_and_finds_a_kept_digest_rewritten(
    log: Log, key: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "kept.json"
    code, said = rectify(log, key, tmp_path, "digest", "--out", str(kept))
    assert code == 0, said
    edited = deep_in_the_last_range(log)
    log.flip_byte(edited)
    log.relink_from(edited)  # the chain recomputed after the edit: only the digest knows

    code, said = rectify(log, key, tmp_path, "verify", "--digest", str(kept))

    assert code == 1
    digest_at = json.loads(kept.read_text())["position"]
    assert f"the history up to position {digest_at} was rewritten" in said, said
    assert f"(position {digest_at}): FAILED" in said, said
