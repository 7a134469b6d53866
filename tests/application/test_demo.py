"""The demo campaign: every state the brief names, in time order, loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from application.demo import load_demo
from application.ports import FixedClock
from application.principal import Caller
from domain.item import STATUSES
from domain.taxonomy import CATEGORIES, SOURCES
from infrastructure.container import Container, build_container
from infrastructure.settings import load_settings
from projections.rows import ItemRow

TODAY_NOON = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    folder: Path = tmp_path_factory.mktemp("demo")
    settings = load_settings(
        database_url=f"sqlite:///{folder / 'demo.sqlite3'}", evidence_dir=folder / "evidence"
    )
    built = build_container(settings, clock=FixedClock(TODAY_NOON))
    assert load_demo(built.app, today=built.app.today(), keep_evidence=built.keep_evidence)
    built.projections.catch_up()
    yield built
    built.close()


def _all_items(demo: Container) -> list[ItemRow]:
    page = demo.read_models.items(
        offices=None, office=None, category=None, status=None, overdue=None, light=None,
        q=None, sort="deadline", page=1, page_size=200, as_of=None,
    )  # fmt: skip
    return list(page.items)


def test_the_demo_has_items_in_every_state(demo: Container) -> None:
    statuses = {row.status for row in _all_items(demo)}

    assert statuses == set(STATUSES)


def test_the_demo_covers_every_category_and_source_in_forty_problems(demo: Container) -> None:
    page = demo.read_models.issues(
        offices=None, office=None, category=None, status=None, source=None, light=None,
        q=None, sort="found_at", page=1, page_size=200, as_of=None,
    )  # fmt: skip

    assert page.total == 40
    assert {row.category for row in page.items} == set(CATEGORIES)
    assert {row.source for row in page.items} == set(SOURCES)


def test_the_demos_events_are_recorded_in_time_order(demo: Container) -> None:
    stored = demo.app.recorder.select_notifications(start=1, limit=10_000)
    times = [demo.app.mapper.to_domain_event(n).timestamp for n in stored]  # type: ignore[attr-defined]

    assert times == sorted(times)
    assert times[-1] <= TODAY_NOON


def test_offices_meet_miss_or_are_late_on_their_milestones(demo: Container) -> None:
    acts = demo.app.milestone_acts()
    statuses = {
        (s.office, s.code): s.status
        for s in demo.app.milestones(_coordinator(demo))
        if s.code == "self_inspection_submitted"
    }

    assert set(acts) >= {"bj", "sh", "gz", "sz"}
    assert statuses[("bj", "self_inspection_submitted")] == "met"
    assert statuses[("gz", "self_inspection_submitted")] == "late"
    assert statuses[("sz", "self_inspection_submitted")] == "missed"


def test_the_demo_is_loaded_once(demo: Container) -> None:
    head = demo.app.recorder.max_notification_id()

    assert not load_demo(demo.app, today=demo.app.today(), keep_evidence=demo.keep_evidence)
    assert demo.app.recorder.max_notification_id() == head


def _coordinator(demo: Container) -> Caller:
    return Caller(demo.app.authenticate("coord", "demo"))
