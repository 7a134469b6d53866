"""The verifier finds the files a record cites from the record's bytes alone."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from infrastructure.chain import id_bytes, record_bytes
from infrastructure.chain_walk import evidence_cited

TOPIC = b"domain.item:RectificationItem.Rectified"
SHA_A = "a" * 64
SHA_B = "b" * 64


def record(state: dict[str, Any], *, compact: bool = True) -> bytes:
    separators = (",", ":") if compact else (", ", " : ")
    encoded = json.dumps(state, ensure_ascii=False, separators=separators).encode()
    return record_bytes(7, id_bytes(uuid4()), 3, TOPIC, encoded)


def cited(state: dict[str, Any], *, compact: bool = True) -> list[tuple[int, str, str | None]]:
    return [
        (r.position, r.sha256, r.name) for r in evidence_cited(7, record(state, compact=compact))
    ]


def test_each_file_of_the_evidence_list_is_cited_with_its_name() -> None:
    state = {
        "description": "已按方案完成整改",
        "evidence": [
            {"file_name": "盘点表.pdf", "sha256": SHA_A, "size": 10},
            {"file_name": "照片.jpg", "sha256": SHA_B, "size": 20},
        ],
        "rectified_on": {"_type_": "date_iso", "_data_": "2026-09-03"},
    }
    assert cited(state) == [(7, SHA_A, "盘点表.pdf"), (7, SHA_B, "照片.jpg")]


def test_the_list_is_found_however_the_json_is_spaced() -> None:
    state = {"evidence": [{"file_name": "盘点表.pdf", "sha256": SHA_A}]}
    assert cited(state, compact=False) == [(7, SHA_A, "盘点表.pdf")]


def test_the_word_as_a_value_or_inside_a_text_is_not_a_citation() -> None:
    state = {"kind": "evidence", "tags": ["evidence"], "evidence": [{"sha256": SHA_B}]}
    assert cited(state) == [(7, SHA_B, None)]


def test_the_key_written_inside_a_text_is_not_a_citation() -> None:
    state = {"description": 'see "evidence": [{"sha256": "' + SHA_A + '"}]', "evidence": []}
    assert cited(state) == []


def test_an_evidence_list_nested_in_another_field_is_cited_too() -> None:
    state = {"correction": {"evidence": [{"sha256": SHA_B}]}, "evidence": [{"sha256": SHA_A}]}
    assert sorted(sha for _, sha, _ in cited(state)) == [SHA_A, SHA_B]


def test_entries_without_a_text_hash_and_non_list_values_cite_nothing() -> None:
    assert cited({"evidence": [{"sha256": 5}, "x", {"file_name": "a.pdf"}]}) == []
    assert cited({"evidence": {"sha256": SHA_A}}) == []
    assert cited({"description": "无"}) == []
