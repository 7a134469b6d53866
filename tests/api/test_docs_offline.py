"""The interactive API docs work on a network without the internet (a government intranet):
every script and style sheet /docs and /redoc load is served by the service itself."""

from __future__ import annotations

import re

from tests.api.conftest import Api


def _assets(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', page)


def test_the_docs_pages_load_only_what_the_service_serves(api: Api) -> None:
    for path in ("/docs", "/redoc"):
        page = api.client.get(path)
        assert page.status_code == 200, path
        assets = _assets(page.text)
        assert assets, path
        assert [a for a in assets if not a.startswith("/")] == [], path
        for asset in assets:
            answer = api.client.get(asset)
            assert answer.status_code == 200, asset
            assert len(answer.content) > 1000, asset


def test_swagger_ui_is_a_version_that_reads_openapi_3_1(api: Api) -> None:
    """FastAPI writes OpenAPI 3.1, which Swagger UI renders from version 5 on."""
    assert api.client.get("/openapi.json").json()["openapi"].startswith("3.1")
    page = api.client.get("/docs").text
    script = next(a for a in _assets(page) if a.endswith("swagger-ui-bundle.js"))
    assert "isOAS31" in api.client.get(script).text
