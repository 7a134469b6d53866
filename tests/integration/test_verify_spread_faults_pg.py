"""A spread verify whose helpers fail answers what one walk answers.

A child that cannot start, fails at once, dies mid-range, hangs, says something that is not
a whole answer or waits on a lock leaves its ranges to the parent, and a server that refuses
to export its snapshot gets one walk. The log and the comparisons are
``test_verify_spread_pg``'s.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from structlog.testing import capture_logs

from infrastructure import chain_pool
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
    spread,
    template,
    walked_by_children,
)

__all__ = ["log", "template", "walked_by_children"]

pytestmark = pytest.mark.postgres


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
CHILDREN: dict[str, Callable[[], list[str]]] = {
    "fails at once": python("sys.exit('no walker here')"),
    "not there": lambda: [str(Path("/nonexistent/python"))],
    "dies mid-range": python(AT),
    "hangs mid-range": python(AT, HANG),
    "ends inside an answer": python(AT, say(CUT_OFF)),
    "hangs inside an answer": python(AT, say(CUT_OFF), HANG),
    "answers an empty part": python(AT, say("part {}\n"), WAIT_FOR_EOF),
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
        waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass"
        while log.sql(waiting, (TABLE,))[0][0] == 0:
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
