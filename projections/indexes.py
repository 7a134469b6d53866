"""A view table's secondary indexes: built once its rows are in, kept as the view declares.

A table is created with its primary key only. An index kept up row by row while a view
catches up over a long log costs far more than one built from the finished table (at 1M
events PostgreSQL spent 182 against 117 µs per event, docs/performance.md section 2), so the
projection host builds them when a view first reaches the head of the log, as a restore does.
Indexes are matched by their columns, not their names: a rebuilt view's tables keep the
names of their indexes when they are swapped in, and an index a new version no longer
declares is dropped.
"""

from __future__ import annotations

from infrastructure.database import Cursor
from projections.table import Table

_PRESENT_POSTGRES = """
SELECT i.relname, array_agg(a.attname::text ORDER BY k.n)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary
GROUP BY i.relname
"""


def index_name(physical: str, columns: tuple[str, ...]) -> str:
    name = f"{physical}_by_{'_'.join(columns)}"
    if len(name) > 63:  # PostgreSQL would cut it short, and two could end up the same
        raise ValueError(f"index name {name} is longer than 63 characters")
    return name


def present_indexes(cur: Cursor, dialect: str, physical: str) -> dict[str, tuple[str, ...]]:
    """The table's secondary indexes: name → columns in order."""
    if dialect == "postgres":
        cur.execute(_PRESENT_POSTGRES, (physical,))
        return {str(name): tuple(columns) for name, columns in cur.fetchall()}
    cur.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",  # the primary key's own index has no SQL
        (physical,),
    )
    found: dict[str, tuple[str, ...]] = {}
    for (name,) in cur.fetchall():
        cur.execute(f'PRAGMA index_info("{name}")')
        found[str(name)] = tuple(str(column) for _, _, column in sorted(cur.fetchall()))
    return found


def ensure_indexes(cur: Cursor, dialect: str, table: Table, physical: str) -> list[str]:
    """Drop the indexes the table no longer declares, create the missing ones; answers the
    names created."""
    present = present_indexes(cur, dialect, physical)
    for name, columns in present.items():
        if columns not in table.indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    have = set(present.values())
    created = []
    for columns in table.indexes:
        if columns not in have:
            name = index_name(physical, columns)
            cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {physical} ({', '.join(columns)})")
            created.append(name)
    return created
