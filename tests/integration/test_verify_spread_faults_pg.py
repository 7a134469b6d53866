"""A spread verify whose helpers fail answers what one walk answers.

A child that cannot start, fails at once, dies mid-range, hangs, says something that is not
a whole answer, answers a part that does not join the others or waits on a lock leaves its
ranges to the parent, and a server that refuses to export its snapshot gets one walk. Every
spread walk here runs under a deadline: a fault the pool mishandles fails by hanging. The
log and the comparisons are ``test_verify_spread_pg``'s.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from structlog.testing import capture_logs

from infrastructure import chain_pool
from infrastructure.chain import GENESIS
from infrastructure.chain_result import VerifyResult
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.database import DatabaseUrl
from tests.integration.test_tamper_kit import Log
from tests.integration.test_verify_spread_pg import (
    SPREAD,
    TABLE,
    deep_in_the_first_range,
    log,
    one_walk,
    same,
    template,
    walked_by_children,
)
from tests.integration.test_verify_spread_pg import spread as spread_now

__all__ = ["log", "template", "walked_by_children"]

pytestmark = pytest.mark.postgres

DEADLINE_SECONDS = 120.0


def spread(url: str, **how: Any) -> VerifyResult:
    """``test_verify_spread_pg.spread``, failed if it has not answered by the deadline."""
    answered: list[VerifyResult] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            answered.append(spread_now(url, **how))
        except BaseException as exc:
            failed.append(exc)

    walker = threading.Thread(target=run, daemon=True)
    walker.start()
    walker.join(DEADLINE_SECONDS)
    assert not walker.is_alive(), f"the spread walk did not answer in {DEADLINE_SECONDS:g} s"
    if failed:
        raise failed[0]
    return answered[0]


def python(*steps: str) -> Callable[[], list[str]]:
    """A child that runs ``steps`` instead of the walker; ``sys``, ``json`` and ``time``
    are imported and ``r`` is the first range it is given."""
    prelude = "import json, sys, time; sys.stdin.readline(); r = json.loads(sys.stdin.readline())"
    return lambda: [sys.executable, "-c", "; ".join([prelude, *steps])]


def say(text: str) -> str:
    """The code that writes ``text`` as it is, with no newline added."""
    return f"sys.stdout.write({text!r}); sys.stdout.flush()"


AT = "sys.stdout.write('at %d\\n' % (r['after'] + 1)); sys.stdout.flush()"
HANG = "time.sleep(600)"
WAIT_FOR_EOF = "sys.stdin.read()"
CUT_OFF = 'part {"head_position": '
GENESIS_HEX = GENESIS.hex()
EMPTY_PART = (  # a well-formed part: "nothing in the range, nothing broken"
    f'part {{"start_position": null, "start_hash": "{GENESIS_HEX}", "head_position": null, '
    f'"head_hash": "{GENESIS_HEX}", "count": 0, "broken": null, "evidence": [], "seen": []}}\n'
)
CHILDREN: dict[str, Callable[[], list[str]]] = {
    "fails at once": python("sys.exit('no walker here')"),
    "not there": lambda: [str(Path("/nonexistent/python"))],
    "dies mid-range": python(AT),
    "hangs mid-range": python(AT, HANG),
    "ends inside an answer": python(AT, say(CUT_OFF)),
    "hangs inside an answer": python(AT, say(CUT_OFF), HANG),
    "answers an empty part": python(AT, say("part {}\n"), WAIT_FOR_EOF),
    "answers a part that does not join": python(AT, say(EMPTY_PART), WAIT_FOR_EOF),
    "says something else": python(say("hello\n"), WAIT_FOR_EOF),
}
SILENCE_LIMIT = 1.0


@pytest.mark.parametrize("child", CHILDREN)
def test_ranges_a_child_does_not_answer_for_are_walked_by_the_parent(
    log: Log,
    child: str,
    monkeypatch: pytest.MonkeyPatch,
    walked_by_children: list[int],
) -> None:
    monkeypatch.setattr(chain_pool, "child_command", CHILDREN[child])
    target = deep_in_the_first_range(log)
    how = replace(SPREAD, silence_limit=SILENCE_LIMIT)
    with capture_logs() as logs:
        untouched = spread(log.url, how=how)
    log.flip_byte(target)

    result = spread(log.url, how=how)

    given_back = [e["reason"] for e in logs if e["event"] == "verify_range_given_back"]
    assert len(given_back) == (0 if child == "not there" else 1), given_back
    if child.startswith("hangs"):
        assert given_back == [f"silent for over {SILENCE_LIMIT:g} s"]
    assert untouched.ok, untouched.summary()
    assert untouched.processes == 1
    assert result.broken is not None
    assert (result.broken.position, result.broken.kind) == (target, "changed")
    assert walked_by_children == []
    same(result, one_walk(log.url))


def test_a_child_that_waits_on_a_lock_gives_its_range_back(
    log: Log, walked_by_children: list[int]
) -> None:
    """DDL queued behind this process's read makes every later reader wait: a child gives up
    after its lock timeout and this process, which holds its lock already, walks on."""
    queued = threading.Event()
    locker = psycopg.connect(DatabaseUrl.parse(log.url).conninfo())

    def lock_the_events() -> None:
        with suppress(psycopg.Error):
            locker.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")

    def queue_ddl_once(at: int, last: int) -> None:
        if queued.is_set():
            return
        queued.set()
        threading.Thread(target=lock_the_events, daemon=True).start()
        waiting = (  # a copied database's tables have the template's OIDs: match the database
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        deadline = time.monotonic() + 30
        while log.sql(waiting, (TABLE,))[0][0] == 0:
            assert time.monotonic() < deadline, "the DDL never queued behind the walk"
            time.sleep(0.01)

    try:
        with capture_logs() as logs:
            result = spread(log.url, progress=queue_ddl_once, how=replace(SPREAD, lock_timeout=1))
    finally:
        locker.close()

    assert queued.is_set()
    [given_back] = [e for e in logs if e["event"] == "verify_range_given_back"]
    assert "lock timeout" in given_back["reason"], given_back
    assert result.ok, result.summary()
    assert walked_by_children == []
    assert result.processes == 1
    same(result, one_walk(log.url))


@pytest.fixture
def hardened(log: Log) -> Iterator[str]:
    """The log's URL as a role that may read the tables but not call
    ``pg_export_snapshot``, as a hardened server may have it."""
    url = DatabaseUrl.parse(log.url)
    role = f"verifier_{url.dbname}"
    log.sql(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'verify'")
    log.sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    log.sql("REVOKE EXECUTE ON FUNCTION pg_export_snapshot() FROM PUBLIC")
    try:
        yield f"postgresql://{role}:verify@{url.host}:{url.port}/{url.dbname}"
    finally:
        log.sql(f'DROP OWNED BY "{role}"')
        log.sql(f'DROP ROLE "{role}"')


def test_a_server_that_will_not_export_its_snapshot_gets_one_walk(log: Log, hardened: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        PostgresChainSource(
            DatabaseUrl.parse(hardened).conninfo(), events_table=TABLE
        ).export_snapshot()
    log.flip_byte(deep_in_the_first_range(log))

    result = spread(hardened)

    assert result.processes == 1
    assert result.broken is not None
    same(result, one_walk(log.url))


def test_no_writable_temporary_directory_leaves_the_walk_to_this_process(
    log: Log, monkeypatch: pytest.MonkeyPatch, walked_by_children: list[int]
) -> None:
    def no_room() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(chain_pool.tempfile, "TemporaryFile", no_room)
    log.flip_byte(deep_in_the_first_range(log))

    with capture_logs() as logs:
        result = spread(log.url)

    [not_started] = [e for e in logs if e["event"] == "verify_range_child_not_started"]
    assert "No space left" in not_started["reason"]
    assert result.processes == 1
    assert walked_by_children == []
    same(result, one_walk(log.url))


class FullDisk:
    """A logger whose every write fails, as on a full disk or a closed stderr."""

    def warning(self, event: str, **details: Any) -> None:
        raise OSError(28, "No space left on device")


def test_a_range_goes_back_even_when_why_cannot_be_logged(
    log: Log, monkeypatch: pytest.MonkeyPatch, walked_by_children: list[int]
) -> None:
    monkeypatch.setattr(chain_pool, "child_command", CHILDREN["dies mid-range"])
    monkeypatch.setattr(chain_pool, "logger", FullDisk())
    target = deep_in_the_first_range(log)
    log.flip_byte(target)

    result = spread(log.url)

    assert result.broken is not None
    assert (result.broken.position, result.broken.kind) == (target, "changed")
    assert walked_by_children == []
    same(result, one_walk(log.url))


def test_a_range_whose_reader_ended_without_giving_it_back_is_taken_back(
    log: Log, monkeypatch: pytest.MonkeyPatch, walked_by_children: list[int]
) -> None:
    monkeypatch.setattr(chain_pool, "child_command", CHILDREN["dies mid-range"])
    monkeypatch.setattr(chain_pool._Child, "_end", lambda child, failure: None)

    with capture_logs() as logs:
        result = spread(log.url)

    taken_back = [e["after"] for e in logs if e["event"] == "verify_range_taken_back"]
    assert taken_back == [log.positions()[0] - 1]  # the first range, the child's
    assert result.ok, result.summary()
    assert walked_by_children == []
    same(result, one_walk(log.url))


def test_the_parent_outwaits_a_databases_idle_in_transaction_timeout(
    log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent idles in its snapshot's transaction while a child walks (here: hangs
    until it is found silent); a server that ends idle transactions must not end it."""
    name = DatabaseUrl.parse(log.url).dbname
    log.sql(f"ALTER DATABASE \"{name}\" SET idle_in_transaction_session_timeout = '1s'")
    monkeypatch.setattr(chain_pool, "child_command", CHILDREN["hangs mid-range"])

    result = spread(log.url, how=replace(SPREAD, silence_limit=3))

    assert result.ok, result.summary()
    assert result.processes == 1
    same(result, one_walk(log.url))
