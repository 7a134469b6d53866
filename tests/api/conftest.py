"""API fixtures: the real app over a real database file, with a token per test account."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI

from api.http.app import create_app
from api.http.deps import Services
from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import database_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette nudges towards httpx2
    from fastapi.testclient import TestClient


@dataclass
class Api:
    """The HTTP app of a test world, and its accounts' bearer tokens."""

    world: World
    app: FastAPI
    client: TestClient

    @property
    def services(self) -> Services:
        services: Services = self.app.state.services
        return services

    def token(self, username: str) -> str:
        return self.services.signer.issue(self.world[username].principal.account_id)

    def headers(self, username: str | None, **extra: str) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token(username)}"} if username else {}
        return headers | extra

    def get(self, username: str | None, path: str, **kwargs: Any) -> Any:
        headers = self.headers(username) | kwargs.pop("headers", {})
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, username: str | None, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = self.headers(username) | kwargs.pop("headers", {})
        return self.client.post(path, json=json, headers=headers, **kwargs)

    def later(self, days: int) -> str:
        """The campaign date ``days`` from today, as the API writes dates."""
        return (self.world.today() + timedelta(days=days)).isoformat()

    # Cases, set up through the application (the HTTP steps are what the tests exercise).

    def issue_id(self, **overrides: Any) -> UUID:
        return self.world.issue(**overrides).id

    def item_id(self, issue_id: UUID | None = None, **overrides: Any) -> UUID:
        by = overrides.pop("by", "bj-clerk")
        return self.world.item(issue_id or self.issue_id(by=by), by=by, **overrides).id

    def settle(self) -> None:
        """Bring the read models up to every event written so far (set-up goes around HTTP)."""
        self.world.container.projections.catch_up()

    def events(self, aggregate_id: UUID) -> list[Any]:
        return list(self.world.app.repository.event_store.get(aggregate_id))


def open_api(world: World) -> Iterator[Api]:
    app = create_app(container=world.container)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(world=world, app=app, client=client)
    world.container.close()


@pytest.fixture
def api(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Api]:
    """The API on an SQLite file."""
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    yield from open_api(build_world(database_url("sqlite", tmp_path, request), clock))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_api(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Api]:
    """The API on an SQLite file and on PostgreSQL."""
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    yield from open_api(build_world(database_url(request.param, tmp_path, request), clock))
