"""The request's dependencies: the caller is authenticated once, however many ask for it."""

from __future__ import annotations

import warnings
from datetime import timedelta
from uuid import UUID

from fastapi import FastAPI

from api.http.deps import PrincipalDep, ReaderDep, ScopeDep, WriterDep
from api.http.errors import install_error_handlers
from application.principal import Principal
from tests.api.conftest import Api

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette nudges towards httpx2
    from fastapi.testclient import TestClient


def test_a_caller_asked_for_by_several_dependencies_is_authenticated_once(api: Api) -> None:
    probe = FastAPI()
    probe.state.services = api.services
    install_error_handlers(probe)

    @probe.post("/probe")
    def both(
        reader: ReaderDep, writer: WriterDep, principal: PrincipalDep, scope: ScopeDep
    ) -> dict[str, str]:
        assert reader.principal is writer.principal is principal
        return {"account": str(principal.account_id)}

    app = api.world.app
    reads: list[UUID] = []
    original = app.principal

    def counted(account_id: UUID) -> Principal:
        reads.append(account_id)
        return original(account_id)

    app.principal = counted  # type: ignore[method-assign]
    api.services.limiter.per_minute = 1
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=1))  # a fresh window
    client = TestClient(probe)

    first = client.post("/probe", headers=api.headers("bj-clerk"))
    reads_by_first = len(reads)
    second = client.post("/probe", headers=api.headers("bj-clerk"))

    assert first.status_code == 200, first.text
    assert first.json()["account"] == str(api.world["bj-clerk"].principal.account_id)
    assert reads_by_first == 1  # one account read for four dependencies
    assert second.status_code == 429  # and one count against the limit of one


def test_a_request_without_a_token_is_refused_before_anything_reads_the_account(
    api: Api,
) -> None:
    answer = api.post(None, f"/api/items/{api.item_id()}/approval-request")

    assert answer.status_code == 401
    assert "missing bearer token" in answer.json()["detail"]
