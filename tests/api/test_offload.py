"""Blocking handlers of the API's routers cost one thread-pool hop per request, not two."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.http.app import ROUTERS
from api.http.offload import OffloadedRoute, offloaded

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


class Answer(BaseModel):
    name: str
    count: int


class Body(BaseModel):
    count: int


def _app(route_class: type[APIRoute], seen: list[str]) -> FastAPI:
    router = APIRouter(route_class=route_class, prefix="/things")

    @router.post("/{name}", status_code=201)
    def make(name: str, body: Body, flag: bool = False) -> Answer:
        seen.append(threading.current_thread().name)
        return Answer(name=name, count=body.count + (1 if flag else 0))

    @router.get("/{name}/bad")
    def bad(name: str) -> Answer:
        return {"name": name}  # type: ignore[return-value]  # no count: the answer is checked

    @router.get("/{name}/async")
    async def asynchronous(name: str) -> Answer:
        seen.append(threading.current_thread().name)
        return Answer(name=name, count=0)

    app = FastAPI()
    app.include_router(router)
    return app


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call a request makes into the thread pool."""
    calls: list[Any] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return calls


def test_a_blocking_handler_hops_into_the_pool_once(hops: list[Any]) -> None:
    seen: list[str] = []
    with TestClient(_app(OffloadedRoute, seen)) as client:
        answer = client.post("/things/desk?flag=true", json={"count": 2})
    assert answer.status_code == 201
    assert answer.json() == {"name": "desk", "count": 3}
    assert len(hops) == 1
    assert len(seen) == 1
    assert seen[0] != "MainThread"


def test_fastapis_own_route_hops_twice(hops: list[Any]) -> None:
    """What the route class saves: FastAPI checks a blocking handler's answer in the pool
    again (if this stops holding, the route class has nothing left to save)."""
    with TestClient(_app(APIRoute, [])) as client:
        assert client.post("/things/desk", json={"count": 2}).status_code == 201
    assert len(hops) == 2


def test_the_route_keeps_validation_errors_and_the_schema() -> None:
    with TestClient(_app(OffloadedRoute, [])) as offloaded_client:
        refused = offloaded_client.post("/things/desk", json={"count": "many"})
        schema = offloaded_client.get("/openapi.json").json()
    with TestClient(_app(APIRoute, [])) as plain_client:
        plain = plain_client.get("/openapi.json").json()
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "count"]
    assert schema["paths"] == plain["paths"]
    assert schema["components"] == plain["components"]


def test_an_answer_that_breaks_the_response_model_is_still_caught() -> None:
    with TestClient(_app(OffloadedRoute, []), raise_server_exceptions=False) as client:
        assert client.get("/things/desk/bad").status_code == 500


def test_async_handlers_are_left_on_the_event_loop(hops: list[Any]) -> None:
    async def handler() -> None:
        return None

    def stream() -> Iterator[str]:
        yield "row"

    assert offloaded(handler) is handler
    assert offloaded(stream) is stream
    seen: list[str] = []
    with TestClient(_app(OffloadedRoute, seen)) as client:
        assert client.get("/things/desk/async").json() == {"name": "desk", "count": 0}
    assert hops == []


def test_every_route_of_the_api_routers_is_offloaded() -> None:
    routes = [r for module in ROUTERS for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 40
    assert [r.path for r in routes if not isinstance(r, OffloadedRoute)] == []
