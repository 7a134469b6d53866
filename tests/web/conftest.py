"""Web console fixtures: the real app in process (TestClient) over an SQLite world.

The browser tests (tests/e2e) drive the whole service; these check the console's edges
quickly: sessions, CSRF, headers, and how refusals read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.api.conftest import Api, api  # noqa: F401 - the API's fixture, reused here
from tests.builders import World

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PASSWORD = "secret"  # the test world's accounts


@dataclass
class Console:
    world: World
    client: TestClient

    def csrf(self, path: str = "/login") -> str:
        found = _CSRF.search(self.client.get(path).text)
        assert found is not None, path
        return found.group(1)

    def log_in(self, username: str) -> None:
        self.client.cookies.clear()
        answer = self.client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": self.csrf()},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        token = self.csrf("/")
        return self.client.post(path, data={"csrf_token": token, **data}, **kwargs)

    def settle(self) -> None:
        self.world.container.projections.catch_up()


@pytest.fixture
def console(api: Api) -> Console:  # noqa: F811 - the fixture imported above
    """The console of the API's test world (the same app serves both)."""
    return Console(world=api.world, client=api.client)
