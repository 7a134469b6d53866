"""What the read-model tests share: worlds on each backend, a scripted campaign, table dumps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from application.ports import FixedClock
from infrastructure.container import Container
from infrastructure.database import DatabaseUrl, SideDatabase
from infrastructure.projection_rebuild import build_fresh
from infrastructure.settings import load_settings
from projections.base import ViewContext, ViewProjection
from projections.queries import ReadModels
from projections.reading import fetch
from projections.store import ViewStore
from tests.builders import WORK_GROUP, World, build_world
from tests.conftest import database_url

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
STORED = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    """A world on the in-memory backend (views in an in-memory SQLite database)."""
    built = build_world("memory:", clock)
    yield built
    built.container.close()


@pytest.fixture(params=STORED)
def stored_world(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> Iterator[World]:
    """A world whose events and views share one SQLite file or one PostgreSQL database."""
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()


@pytest.fixture
def pg_world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    """A world on its own PostgreSQL database (for what only PostgreSQL does)."""
    built = build_world(database_url("postgres", tmp_path, request), clock)
    yield built
    built.container.close()


def side_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> SideDatabase:
    """Our own tables' database on this backend: a fresh SQLite file or PostgreSQL database."""
    settings = load_settings(database_url=database_url(backend, tmp_path, request))
    return SideDatabase(DatabaseUrl.parse(settings.database_url), settings)


def fresh_views(world: World) -> ReadModels:
    world.container.projections.catch_up()
    return world.container.read_models


def later(world: World, days: int = 0, hours: int = 0) -> None:
    world.clock.set(world.clock.now() + timedelta(days=days, hours=hours))


CITED_FILE = {
    "file_name": "整改照片.jpg",
    "media_type": "image/jpeg",
    "size": 9,
    "sha256": "e" * 64,
}


def scripted_campaign(world: World) -> None:
    """Every kind of event at least once, across offices, with time moving on."""
    app, today = world.app, world.today()
    issue, item = world.rectified_item()
    later(world, hours=2)
    app.record_verification(world["coord"], item, passed=True, comment="整改到位")
    app.mark_reported(world["bj-clerk"], issue)
    later(world, days=1)
    app.reopen_issue(world["coord"], issue, reason="复查发现问题仍然存在")

    lease = world.issue(
        by="tj-clerk", office="tj", category="real_estate", subtype="lease_without_approval"
    ).id
    leased = world.item(lease, by="tj-clerk", involves="lease").id
    app.request_approval(world["tj-clerk"], leased)
    app.decide_approval(world["coord"], leased, approve=False, comment="措施不具体")
    app.replan_item(
        world["tj-clerk"],
        leased,
        measure="补办出租报批手续",
        measure_type="real_estate",
        responsible="李娜",
        deadline=today + timedelta(days=30),
        involves="lease",
    )
    app.request_approval(world["tj-clerk"], leased)
    app.decide_approval(world["coord"], leased, approve=True, comment="同意")
    app.decide_approval(world["finance"], leased, approve=True, comment="同意出租报批")
    later(world, days=2)
    app.request_extension(
        world["tj-clerk"], leased, new_deadline=today + timedelta(days=40), reason="等待批复"
    )
    app.refuse_extension(world["coord"], leased, reason="理由不充分")
    app.reassign(world["tj-clerk"], leased, responsible="王芳", reason="人员调整")
    app.extend_deadline(
        world["coord"], leased, new_deadline=today + timedelta(days=45), reason="同意延期"
    )
    app.correct_issue(  # the problem's title and kind, repeated on its item's rows, change
        world["tj-clerk"],
        lease,
        title="房产出租未履行报批程序",
        subtype="long_idle",
        reason="问题类别选错",
    )

    _, failing = world.rectified_item(office="sh", by="sh-clerk")
    for _ in range(2):
        later(world, hours=3)
        app.record_verification(world["coord"], failing, passed=False, comment="佐证不足")
        app.record_rectification(
            world["sh-clerk"], failing, description="补充整改", evidence=[CITED_FILE]
        )

    _, flagged = world.rectified_item(by="bj-clerk2")
    app.record_verification(world["coord2"], flagged, passed=True, comment="到位")
    later(world, days=1)
    app.flag_falsification(world["auditor"], flagged, reason="照片系整改前拍摄")

    app.name_work_group(world["bj-clerk"], office="bj", **WORK_GROUP)
    app.name_work_group(
        world["bj-clerk"],
        office="bj",
        leader={**WORK_GROUP["leader"], "name": "王主任"},
        liaison=WORK_GROUP["liaison"],
        reason="人员调整",
    )
    app.submit_self_inspection(world["sh-clerk"], office="sh")

    lagging = world.issue(office="xa", category="internal_control", subtype="no_rules").id
    world.item(lagging, deadline=world.today() + timedelta(days=1))
    coordinator = world.callers["coord2"].principal.account_id
    app.grant_role(world["admin"], coordinator, role="auditor", unit="admin-bureau")
    app.revoke_role(world["admin"], coordinator, role="auditor", unit="admin-bureau")
    later(world, days=5)


def table_rows(db: SideDatabase, physical: str, key: str) -> list[tuple[Any, ...]]:
    return fetch(db, f"SELECT * FROM {physical} ORDER BY {key}")


def dump(store: ViewStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a view, in key order."""
    return {
        name: table_rows(store.db, store.physical(name), table.key)
        for name, table in store.tables.items()
    }


def rebuilt(built: Container, view: type[ViewProjection]) -> ViewStore:
    """The view built again from position 0 into fresh tables (left beside the live ones)."""
    return build_fresh(built.projections.log, built.db, view, context=ViewContext(built.campaign))


def live(built: Container, view: type[ViewProjection]) -> ViewStore:
    for projection in built.projections.projections:
        if isinstance(projection, view):
            return projection.view
    raise LookupError(view.name)
