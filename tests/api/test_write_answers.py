"""A write answers the case as it left it, shaped from the aggregate the command changed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from tests.api.conftest import Api


@pytest.fixture
def historical_loads(api: Api, monkeypatch: pytest.MonkeyPatch) -> list[tuple[UUID, int]]:
    """Every load of an aggregate at a given version, as (id, version)."""
    loads: list[tuple[UUID, int]] = []
    repository = api.world.app.repository
    real_get = repository.get

    def get(aggregate_id: UUID, **kwargs: Any) -> Any:
        if kwargs.get("version") is not None:
            loads.append((aggregate_id, kwargs["version"]))
        return real_get(aggregate_id, **kwargs)

    monkeypatch.setattr(repository, "get", get)
    return loads


def test_a_write_answers_the_case_as_a_read_right_after_shows_it(api: Api) -> None:
    item_id = api.item_id()

    written = api.post("bj-clerk", f"/api/items/{item_id}/approval-request")
    read = api.get("bj-clerk", f"/api/items/{item_id}")

    assert written.status_code == 200
    assert written.json() == read.json()
    assert written.headers["etag"] == read.headers["etag"] == '"2"'


def test_a_write_does_not_load_the_case_again_to_answer(
    api: Api, historical_loads: list[tuple[UUID, int]]
) -> None:
    item_id = api.item_id()

    api.post("bj-clerk", f"/api/items/{item_id}/approval-request")

    assert historical_loads == []


def test_a_retry_loads_the_case_at_the_version_the_first_call_produced(
    api: Api, historical_loads: list[tuple[UUID, int]]
) -> None:
    item_id = api.item_id()
    key = {"Idempotency-Key": "ask-once"}
    first = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers=key)
    api.world.app.decide_approval(api.world["coord"], item_id, approve=True, comment="同意")

    again = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers=key)

    assert historical_loads == [(item_id, 2)]
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"] == '"2"'


def test_an_account_write_answers_the_account_as_it_left_it(api: Api) -> None:
    account_id = api.world["bj-clerk2"].principal.account_id
    path = f"/api/accounts/{account_id}"

    written = api.post("admin", f"{path}/role-grants", {"role": "office_staff", "unit": "sh"})
    read = api.get("admin", path)

    assert written.status_code == 200, written.json()
    assert written.json() == read.json()
