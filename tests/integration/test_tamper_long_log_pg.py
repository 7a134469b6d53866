"""A break far into a long log on PostgreSQL, past what the server has streamed so far.

The verifier reads the events as one binary COPY and asks its further questions (which
link is missing, where a record came from) only after closing that stream: mid-stream,
the copy is cancelled inside a savepoint and the snapshot stays usable. A log of a few
thousand events fits in the first batch and never takes that path; this one does.
"""

from __future__ import annotations

import pytest

from application.ports import FixedClock
from bench.campaign import write_campaign_file
from bench.generator import CampaignGenerator
from infrastructure.chain_sources import BATCH
from infrastructure.chain_verify import verify_chain_at
from infrastructure.container import build_container
from infrastructure.settings import load_settings
from tests.integration.test_tamper_kit import Log

pytestmark = pytest.mark.postgres

EVENTS = 4 * BATCH


@pytest.fixture
def log(pg_url: str, clock: FixedClock, tmp_path_factory: pytest.TempPathFactory) -> Log:
    campaign = write_campaign_file(tmp_path_factory.mktemp("campaign"), provinces=3)
    built = build_container(load_settings(database_url=pg_url, campaign_file=campaign), clock=clock)
    try:
        generated = CampaignGenerator(built.app, built.campaign).run(EVENTS)
        assert generated.events >= EVENTS
    finally:
        built.close()
    stored = Log(pg_url)
    stored.unlock()
    return stored


def test_a_long_untouched_log_verifies(log: Log) -> None:
    result = verify_chain_at(log.url)

    assert result.ok, result.summary()
    assert result.events == len(log.positions())


def test_a_byte_changed_far_in_is_named_changed(log: Log) -> None:
    target = log.positions()[BATCH + BATCH // 2]
    log.flip_byte(target)

    result = verify_chain_at(log.url)

    assert result.broken is not None, result.summary()
    assert (result.broken.position, result.broken.kind) == (target, "changed")
    assert result.head_position == target - 1


def test_two_rows_swapped_far_in_are_named_reordered(log: Log) -> None:
    positions = log.positions()
    first, second = positions[BATCH + 10], positions[BATCH + 11]
    log.swap(first, second)

    result = verify_chain_at(log.url)

    assert result.broken is not None, result.summary()
    assert (result.broken.position, result.broken.kind) == (first, "reordered")


def test_a_row_deleted_far_in_is_named_removed(log: Log) -> None:
    target = log.positions()[2 * BATCH]
    log.delete_event(target)

    result = verify_chain_at(log.url)

    assert result.broken is not None, result.summary()
    assert (result.broken.position, result.broken.kind) == (target, "removed")
