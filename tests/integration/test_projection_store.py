"""A view's store writes small and large batches alike, on SQLite and PostgreSQL.

Large batches take another path on PostgreSQL (COPY into a staging table, then one
INSERT … ON CONFLICT); both paths must insert new rows and update existing ones in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.reading import fetch
from projections.store import ViewStore
from projections.table import Table
from tests.projections.support import STORED, side_database

NOTES = Table(
    name="view_test_notes",
    key="id",
    columns=("id", "n", "text", "tags"),
    integers=frozenset({"n"}),
    json=frozenset({"tags"}),
    defaults={"tags": []},
)


@pytest.fixture(params=STORED)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ViewStore]:
    db = side_database(request.param, tmp_path, request)
    built = ViewStore(db, view="test_notes", tables=(NOTES,), application_name="Rectify")
    built.create_tables()
    yield built
    db.close()


def write(store: ViewStore, rows: int, *, text: str, position: int) -> None:
    with store.batch() as batch:
        for n in range(rows):
            batch.put(
                NOTES.name, NOTES.blank(id=f"k{n:04d}", n=n, text=text, tags=[text, '引号"\t'])
            )
        batch.advance(position)


@pytest.mark.parametrize("rows", [3, 500], ids=["small batch", "large batch"])
def test_rows_are_inserted_then_updated_in_place(store: ViewStore, rows: int) -> None:
    write(store, rows, text="初稿", position=1)
    write(store, rows, text="定稿\\N", position=2)

    found = fetch(store.db, f"SELECT id, n, text, tags FROM {NOTES.name} ORDER BY id")
    assert len(found) == rows
    assert found[-1] == (f"k{rows - 1:04d}", rows - 1, "定稿\\N", '["定稿\\\\N", "引号\\"\\t"]')
    assert store.position() == 2


def dies_before_commit(store: ViewStore) -> None:
    with store.batch() as batch:
        batch.put(NOTES.name, NOTES.blank(id="k1", n=1, text="半途"))
        batch.advance(7)
        batch.flush()
        raise RuntimeError("the process dies before the commit")


def test_a_batch_that_fails_leaves_neither_rows_nor_position(store: ViewStore) -> None:
    with pytest.raises(RuntimeError):
        dies_before_commit(store)

    assert fetch(store.db, f"SELECT COUNT(*) FROM {NOTES.name}") == [(0,)]
    assert store.position() == 0
