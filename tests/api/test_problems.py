"""Errors are problem+json naming the field; request ids; one log line per request."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from structlog.testing import capture_logs

from tests.api.conftest import Api


def test_a_request_id_is_accepted_returned_and_generated(api: Api) -> None:
    given = api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    generated = api.client.get("/healthz")
    hostile = api.client.get("/healthz", headers={"X-Request-ID": "a b;<script>"})

    assert given.headers["x-request-id"] == "abc-123"
    assert len(generated.headers["x-request-id"]) == 32
    assert hostile.headers["x-request-id"] != "a b;<script>"


def test_every_request_logs_one_summary_line(api: Api) -> None:
    with capture_logs() as logs:
        api.get("bj-clerk", "/api/me", headers={"X-Request-ID": "me-1"})

    lines = [line for line in logs if line["event"] == "http_request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET"
    assert line["route"] == "/api/me"
    assert line["status"] == 200
    assert line["account"] == "bj-clerk"
    assert line["request_id"] == "me-1"
    assert isinstance(line["duration_ms"], float)


def test_the_log_line_names_the_route_template_not_the_path(api: Api) -> None:
    item_id = api.item_id()

    with capture_logs() as logs:
        api.get("bj-clerk", f"/api/items/{item_id}")

    assert [line["route"] for line in logs if line["event"] == "http_request"] == [
        "/api/items/{item_id}"
    ]


def test_an_unknown_route_and_a_wrong_method_are_problems(api: Api) -> None:
    missing = api.client.get("/api/nothing-here")
    method = api.client.delete("/api/issues")

    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert method.status_code == 405
    assert method.json()["status"] == 405


def test_any_method_on_an_unknown_api_path_is_404_and_on_a_known_one_405(api: Api) -> None:
    """The console's page route takes only GET, so a POST to an unknown /api path answered
    405 Allow: GET; it is 404 now, and a method a known path lacks names the ones it has."""
    posted = api.client.post("/api/nothing-here", json={})
    put = api.client.put("/api/auth/token")
    deleted = api.client.delete("/api/issues")

    assert posted.status_code == 404
    assert posted.json()["code"] == "not_found"
    assert (put.status_code, put.headers["allow"]) == (405, "POST")
    assert deleted.status_code == 405
    assert set(deleted.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize(
    "path", ["/api/auth/token", "/api/issues/00000000-0000-4000-8000-000000000000/reopen"]
)
def test_a_get_of_a_post_only_api_path_is_405_naming_the_method_not_the_consoles_404(
    api: Api, path: str
) -> None:
    """The console's last route answers every GET it is the only full match for; under
    /api a path some route answers by another method is a 405 that says which."""
    answer = api.client.get(path)

    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "method_not_allowed"


def test_a_body_that_is_not_json_is_a_422_problem(api: Api) -> None:
    answer = api.client.post(
        "/api/issues",
        content=b"{not json",
        headers=api.headers("bj-clerk", **{"Content-Type": "application/json"}),
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_validation_problem_lists_every_field(api: Api) -> None:
    answer = api.post("bj-clerk", "/api/issues", {"office": "bj"})

    body = answer.json()
    assert answer.status_code == 422
    assert {e["field"] for e in body["errors"]} == {"category", "subtype", "source", "title"}
    assert body["type"] == "about:blank"
    assert body["instance"] == "/api/issues"
    assert body["request_id"] == answer.headers["x-request-id"]


def test_a_bug_answers_a_bare_500_and_logs_the_exception(api: Api) -> None:
    app: FastAPI = api.app

    def boom() -> None:
        raise RuntimeError("secret database password in a message")

    app.add_api_route("/boom", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # before the web console's pages

    with capture_logs() as logs:
        answer = api.client.get("/boom")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "an unexpected error occurred"
    assert "secret" not in answer.text
    assert "Traceback" not in answer.text
    assert any(line["event"] == "unhandled_error" for line in logs)


def test_a_flooding_account_gets_429_with_retry_after(api: Api) -> None:
    api.services.limiter.per_minute = 3
    answers = [api.get("bj-clerk", "/api/me").status_code for _ in range(4)]
    other = api.get("tj-clerk", "/api/me")

    assert answers == [200, 200, 200, 429]
    assert other.status_code == 200
    limited = api.get("bj-clerk", "/api/me")
    assert int(limited.headers["retry-after"]) > 0
    assert limited.json()["code"] == "rate_limited"


def test_the_limit_resets_with_the_next_minute(api: Api) -> None:
    api.services.limiter.per_minute = 1
    api.get("bj-clerk", "/api/me")
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=1))

    assert api.get("bj-clerk", "/api/me").status_code == 200


def test_guessing_passwords_is_rate_limited_per_username(api: Api) -> None:
    api.services.limiter.per_minute = 2
    form = {"username": "coord", "password": "guess"}
    answers = [api.client.post("/api/auth/token", data=form).status_code for _ in range(3)]

    assert answers == [401, 401, 429]


def test_healthz_answers_without_a_token(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}


def test_readyz_answers_503_when_the_database_is_unreachable(api: Api, tmp_path: Path) -> None:
    database = Path(api.services.container.db.url.path)
    database.rename(tmp_path / "moved.sqlite3")
    database.mkdir()  # the path now names something that is not a database

    answer = api.client.get("/readyz")

    database.rmdir()
    (tmp_path / "moved.sqlite3").rename(database)
    assert answer.status_code == 503
    assert answer.json()["database"] == "unreachable"


def test_every_documented_error_is_problem_json(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    other = {
        (method, path, status, tuple(answer.get("content", {})))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        if int(status) >= 400 and (path, status) != ("/readyz", "503")
        if list(answer.get("content", {})) != ["application/problem+json"]
    }

    assert other == set()
    assert "Problem" in schema["components"]["schemas"]
