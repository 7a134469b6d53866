"""Fixtures shared by every test layer: backends, clocks, containers, callers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import structlog
from hypothesis import settings as hypothesis_settings

from application.ports import FixedClock
from tests.pg_cluster import create_database, throwaway_cluster

hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, max_examples=60)
hypothesis_settings.load_profile("ci")

# 2026-10-10 10:00 in Shanghai: inside the campaign's rectification phase.
CAMPAIGN_NOW = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    """Every test starts from (and leaves) structlog's defaults: once configured it prints
    to the stream of its day, which pytest then closes, and at the level of its day (a CLI
    command run in process logs warnings only), which would hide a later test's info lines."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("RECTIFY_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with throwaway_cluster() as started:
        yield started


@pytest.fixture
def pg_url(pg_server: str) -> str:
    return create_database(pg_server)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(CAMPAIGN_NOW)


def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "memory":
        return "memory:"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'rectify.sqlite3'}"
    pg_server_url: str = request.getfixturevalue("pg_server")
    return create_database(pg_server_url)
