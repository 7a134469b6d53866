"""A view table's shape: its columns, key and JSON columns, and how rows are encoded.

JSON columns are written with their keys sorted, so equal values always give equal text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any

Row = dict[str, Any]

# What ``json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode`` makes, without
# building a C encoder on every call as it does (that was a third of the time for a short
# list): no check for cycles (a row's values are plain lists, dicts and scalars).
_JSON_PARTS = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", True, False, True)


def encode_json(value: Any) -> str:
    """A JSON column's text: keys sorted, so equal values always give equal text."""
    if value is None:
        return "null"
    if value == [] and isinstance(value, list):
        return "[]"
    return "".join(_JSON_PARTS(value, 0))


def decode_json(text: str) -> Any:
    if text == "[]":
        return []
    return None if text == "null" else json.loads(text)


@dataclass(frozen=True)
class Table:
    """One table of a view: a single-column primary key, integer and JSON columns marked."""

    name: str
    key: str
    columns: tuple[str, ...]
    integers: frozenset[str] = frozenset()
    json: frozenset[str] = frozenset()
    indexes: tuple[tuple[str, ...], ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def blank(self, **values: Any) -> Row:
        row: Row = {c: (0 if c in self.integers else None) for c in self.columns}
        row.update({k: (list(v) if isinstance(v, list) else v) for k, v in self.defaults.items()})
        row.update(values)
        return row

    def ddl(self, physical: str) -> str:
        """The table with its primary key; its other indexes come later
        (``projections.indexes``)."""
        cols = ", ".join(f"{c} {'BIGINT' if c in self.integers else 'TEXT'}" for c in self.columns)
        return f"CREATE TABLE {physical} ({cols}, PRIMARY KEY ({self.key}))"

    @cached_property
    def _values(self) -> Any:
        """The row's values in column order, as a tuple (one C call)."""
        getter = itemgetter(*self.columns)
        if len(self.columns) == 1:
            return lambda row: (getter(row),)
        return getter

    @cached_property
    def _json_at(self) -> tuple[int, ...]:
        return tuple(n for n, c in enumerate(self.columns) if c in self.json)

    def encode(self, row: Row) -> tuple[Any, ...]:
        values: tuple[Any, ...] = self._values(row)
        if not self._json_at:
            return values
        encoded = list(values)
        for n in self._json_at:
            encoded[n] = encode_json(encoded[n])
        return tuple(encoded)

    def decode(self, values: Iterable[Any]) -> Row:
        row = dict(zip(self.columns, values, strict=True))
        for c in self.json:
            if row[c] is not None:
                row[c] = decode_json(row[c])
        return row
