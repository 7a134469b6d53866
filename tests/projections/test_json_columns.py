"""A view's JSON columns: the text is what ``json.dumps`` with sorted keys makes, and reads
back as the same value, whatever the value (the encoder is built once, not per call)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from projections.table import Table, decode_json, encode_json

scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = st.recursive(
    scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20
)


@given(values)
def test_the_text_is_json_dumps_with_sorted_keys_and_reads_back(value: Any) -> None:
    text = encode_json(value)
    assert text == json.dumps(value, ensure_ascii=False, sort_keys=True)
    assert decode_json(text) == value


def test_none_and_the_empty_list_keep_their_json_text() -> None:
    assert encode_json(None) == "null"
    assert encode_json([]) == "[]"
    assert decode_json("null") is None
    assert decode_json("[]") == []


def test_a_row_round_trips_through_its_table() -> None:
    table = Table(
        name="t", key="id", columns=("id", "cites", "note"), json=frozenset({"cites", "note"})
    )
    row = {"id": "a", "cites": [{"b": 1, "a": "中文"}], "note": None}
    encoded = table.encode(row)
    assert encoded == ("a", '[{"a": "中文", "b": 1}]', "null")
    assert table.decode(encoded) == row
