"""Schema fuzzing: schemathesis drives every documented operation of the running app (in
process, over ASGI) with generated requests, signed in, against the demo campaign.

No answer may be a server error, and every answer must match the documented schema:
status code, content type, headers and body.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.http.app import create_app
from api.http.deps import Services
from application.demo import load_demo
from application.ports import FixedClock
from domain.account import Account
from infrastructure.container import build_container
from infrastructure.settings import load_settings
from tests.conftest import CAMPAIGN_NOW

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CALLERS = ("coord", "bj-clerk", "auditor", "admin", "finance")


@dataclass
class Demo:
    app: Any
    tokens: dict[str, str]
    ids: dict[str, list[str]]

    def fill(self, case: Any) -> str:
        """Point some generated ids at real demo cases; pick a caller for this example."""
        seed = zlib.crc32(repr((case.method, case.path, case.body, case.query)).encode())
        params = case.path_parameters or {}
        for name, pool in self.ids.items():
            if name in params and pool and seed % 4:
                params[name] = pool[seed % len(pool)]
        return CALLERS[seed % len(CALLERS)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root: Path = tmp_path_factory.mktemp("fuzz")
    container = build_container(
        load_settings(
            database_url=f"sqlite:///{root / 'rectify.sqlite3'}", evidence_dir=root / "evidence"
        ),
        clock=FixedClock(CAMPAIGN_NOW),
    )
    load_demo(container.app, today=container.app.today(), keep_evidence=container.keep_evidence)
    container.projections.catch_up()
    container.projections.start()
    app = create_app(container=container)
    services: Services = app.state.services
    services.limiter.per_minute = 10**9
    accounts = {name: container.app.principal(Account.create_id(name)) for name in CALLERS}
    items = container.read_models.items(offices=None, page_size=200).items
    yield Demo(
        app=app,
        tokens={name: services.signer.issue(p.account_id) for name, p in accounts.items()},
        ids={
            "issue_id": sorted({str(i.issue_id) for i in items}),
            "item_id": [str(i.id) for i in items],
            "office": [u.code for u in container.campaign.offices()],
        },
    )
    container.close()


def fuzz(demo: Demo, operation: Any, mode: GenerationMode, examples: int) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        caller = demo.fill(case)
        case.call_and_validate(
            headers={"Authorization": f"Bearer {demo.tokens[caller]}"}, checks=CHECKS
        )

    call()


def test_no_server_error_and_every_answer_matches_the_schema(demo: Demo) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", demo.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35
    for operation in operations:
        fuzz(demo, operation, GenerationMode.POSITIVE, examples=15)
        try:
            fuzz(demo, operation, GenerationMode.NEGATIVE, examples=5)
        except Unsatisfiable:  # no input can break its schema (it takes none, or any string)
            continue
