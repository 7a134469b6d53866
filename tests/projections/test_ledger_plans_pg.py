"""A ledger page filtered by office and status reads that office's rows of that status only.

An office's clerk filters the 整改台账 or the 问题清单 by status with their office (and its
sub-offices) in scope. With an index on the office and one on the status apart, PostgreSQL
combined the two: it read every row of that status across the campaign, so the page grew
with the whole ledger (at 1M events 30,000 index entries for 329 rows; docs/performance.md,
section 3). Here a ledger of a few thousand rows of many offices, the page's statements as
the read models send them, and what PostgreSQL examined for each.
"""

from __future__ import annotations

from typing import Any

import pytest

import projections.ledger_reads as ledger_reads
from infrastructure.database import SideDatabase
from projections.issue_ledger import ISSUES
from projections.item_ledger import ITEMS
from projections.reading import fetch
from tests.builders import World
from tests.projections.support import pg_world, scripted_campaign

__all__ = ["pg_world"]

pytestmark = pytest.mark.postgres

COPIES = 12_000  # rows of the table, spread over OTHERS other offices and four statuses
SHARE = 40  # one row in SHARE belongs to the scope's offices
OTHERS = 60


def spread_copies(
    db: SideDatabase, table: str, statuses: tuple[str, ...], offices: list[str]
) -> None:
    """COPIES copies of the table's first row, each of another id, office and status: the
    scope's offices hold one in SHARE of them, the rest belong to OTHERS other offices."""
    db.execute(
        f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(t) || "
        "jsonb_build_object('id', md5('copy-' || g)::uuid::text, "
        "'office', CASE WHEN g %% %s = 0 THEN (%s::text[])[1 + g / %s %% %s] "
        "ELSE 'other-' || g %% %s END, "
        "'status', (%s::text[])[1 + abs(hashtext(g::text)) %% %s]))).* "
        f"FROM (SELECT * FROM {table} ORDER BY id LIMIT 1) t, generate_series(1, %s) g",
        (SHARE, offices, SHARE, len(offices), OTHERS, list(statuses), len(statuses), COPIES),
    )
    db.execute(f"ANALYZE {table}")


def examined(plan: dict[str, Any]) -> int:
    """Rows the plan's index or table reads found, and rows any step threw away: what
    the query had to look at (a bitmap's heap scan re-reads what its index found)."""
    children = plan.get("Plans", [])
    found = plan["Actual Rows"] * plan["Actual Loops"] if not children else 0
    return found + plan.get("Rows Removed by Filter", 0) + sum(map(examined, children))


def statements_of(monkeypatch: pytest.MonkeyPatch, read: Any) -> list[tuple[str, list[Any]]]:
    """The statements a ledger read sends, each with its parameters."""
    sent: list[tuple[str, list[Any]]] = []

    def recording(db: SideDatabase, sql: str, params: Any) -> list[tuple[Any, ...]]:
        sent.append((sql, list(params)))
        return fetch(db, sql, params)

    monkeypatch.setattr(ledger_reads, "fetch", recording)
    read()
    return sent


@pytest.mark.parametrize(
    ("table", "status", "read"),
    [
        (ITEMS.name, "approved", "items"),
        (ISSUES.name, "open", "issues"),
    ],
)
def test_an_office_and_status_page_examines_only_that_offices_rows_of_that_status(
    pg_world: World, monkeypatch: pytest.MonkeyPatch, table: str, status: str, read: str
) -> None:
    scripted_campaign(pg_world)
    container = pg_world.container
    container.projections.catch_up()
    db = container.read_models.db
    top = next(u.parent for u in container.campaign.offices() if u.parent is not None)
    assert top is not None
    scope = sorted(u.code for u in container.campaign.offices() if top in (u.code, u.parent))
    spread_copies(db, table, ("approved", "open", "rectified", "closed"), scope)
    [(matching,)] = fetch(
        db,
        f"SELECT count(*) FROM {table} WHERE office = ANY(%s) AND status = %s",
        (scope, status),
    )
    assert 50 < matching < COPIES / 100  # a page and more, a small share of the table

    page = getattr(container.read_models, read)
    sent = statements_of(
        monkeypatch, lambda: page(offices=None, office=top, status=status, page=2, page_size=20)
    )

    on_table = [(sql, params) for sql, params in sent if f"FROM {table} " in sql]
    assert len(on_table) == 2  # the count and the page
    for sql, params in on_table:
        [(plans,)] = fetch(db, f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        assert examined(plans[0]["Plan"]) <= matching + 5, sql
