"""Signed digests catch what the chain alone cannot: a rewrite that recomputed the links.

Also: digests from another key or edited after signing are rejected, and evidence files
that changed after they were cited are reported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from application.errors import PermissionDenied
from application.ports import FixedClock
from infrastructure.chain_result import VerifyResult
from infrastructure.digests import Digest, DigestError, SigningKey, load_signing_key, sign_digest
from infrastructure.documents.digest_source import LoggedDigests
from infrastructure.settings import load_settings
from tests.builders import World, build_world
from tests.integration.test_tamper_kit import (  # noqa: F401 - a fixture found by import
    Log,
    desk,
    world_on_each_backend,
    write_key,
)


def kept(world: World) -> Digest:
    """A digest issued now by an auditor, as the file they keep."""
    return desk(world).issue_digest(world["auditor"])


def verify_with(world: World, *digests: Digest | str) -> VerifyResult:
    files = [
        (f"d{n}.json", d if isinstance(d, str) else d.to_json()) for n, d in enumerate(digests)
    ]
    return desk(world).verify(world["auditor"], digests=files)


def test_a_kept_digest_is_extended_by_the_log_that_grew_since(world: World) -> None:
    digest = kept(world)
    world.issue()
    result = verify_with(world, digest)
    assert result.ok, result.summary()
    assert result.checkpoints[0].position == digest.position
    assert result.head_position is not None
    assert result.head_position > digest.position


def test_issuing_a_digest_records_who_issued_it(world: World) -> None:
    digest = kept(world)
    listed = desk(world).digests(world["coord"])
    assert [entry["digest"] for entry in listed] == [digest.as_dict()]
    assert listed[0]["issued_by"]["role"] == "auditor"
    assert listed[0]["log_position"] > digest.position


def test_the_tail_deleted_is_caught_by_a_digest_kept_before(world: World) -> None:
    digest = kept(world)
    log = Log(world.container.settings.database_url)
    log.unlock()
    log.delete_from(log.positions()[-6])  # the rest still chains: the log alone looks fine
    assert verify_with(world).ok
    result = verify_with(world, digest)
    assert result.first_break is not None
    assert (result.first_break.position, result.first_break.kind) == (digest.position, "removed")
    assert not result.ok


def test_an_edit_hidden_by_recomputed_links_is_caught_by_a_digest_kept_before(
    world: World,
) -> None:
    digest = kept(world)
    log = Log(world.container.settings.database_url)
    log.unlock()
    target = log.middle()
    log.set_state(target, log.state(target).replace(b"request_id", b"request_iD", 1))
    log.relink_from(target)
    assert verify_with(world).ok  # the log lies consistently
    result = verify_with(world, digest)
    assert result.first_break is not None
    assert (result.first_break.position, result.first_break.kind) == (digest.position, "changed")


def test_a_digest_signed_with_another_key_is_rejected(world: World, tmp_path: Path) -> None:
    digest = kept(world)
    other = load_signing_key(load_settings(signing_key_file=write_key(tmp_path / "other.pem")))
    forged = resigned(digest, other)
    result = verify_with(world, forged)
    assert not result.ok
    assert "another key" in result.rejected_digests[0][1]


def test_a_digest_claiming_the_service_key_id_but_signed_by_another_is_rejected(
    world: World, tmp_path: Path
) -> None:
    digest = kept(world)
    other = load_signing_key(load_settings(signing_key_file=write_key(tmp_path / "other.pem")))
    forged = replace(resigned(digest, other), key_id=digest.key_id)
    result = verify_with(world, forged)
    assert not result.ok
    assert "does not match" in result.rejected_digests[0][1]


@pytest.mark.parametrize(("field", "value"), [("position", 3), ("hash", "0" * 64)])
def test_a_digest_edited_after_signing_is_rejected(world: World, field: str, value: object) -> None:
    edited = json.loads(kept(world).to_json())
    edited[field] = value
    result = verify_with(world, json.dumps(edited))
    assert not result.ok
    assert not result.checkpoints
    assert "edited" in result.rejected_digests[0][1]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (None, "it is not JSON"),
        ([], "it is JSON, but not an object of fields"),
        ({"drop": "format"}, "it lacks the field(s) format"),
        ({"position": "3"}, "position must be a whole number"),
        ({"hash": "zz"}, "hash is not hexadecimal"),
    ],
    ids=["not-json", "a-list", "no-format", "position-as-text", "hash-not-hex"],
)
def test_a_file_that_is_no_digest_is_rejected_saying_what_is_wrong(
    world: World, change: object, said: str
) -> None:
    """The auditor holding the file reads which field is missing or malformed, never a
    Python error's text ('list indices must be integers', a bare KeyError)."""
    fields = json.loads(kept(world).to_json())
    if change is None:
        text = "{not json"
    elif isinstance(change, dict) and "drop" in change:
        text = json.dumps({k: v for k, v in fields.items() if k != change["drop"]})
    elif isinstance(change, dict):
        text = json.dumps(fields | change)
    else:
        text = json.dumps(change)

    result = verify_with(world, text)

    assert not result.ok
    assert f"not a digest file: {said}" in result.rejected_digests[0][1]


def test_no_digest_is_issued_over_a_broken_chain(world: World) -> None:
    log = Log(world.container.settings.database_url)
    log.unlock()
    log.flip_byte(log.middle())
    with pytest.raises(DigestError, match="broken"):
        kept(world)


def test_only_coordinators_and_auditors_verify_and_issue(world: World) -> None:
    audit = desk(world)
    for name in ("bj-clerk", "finance", "admin"):
        with pytest.raises(PermissionDenied):
            audit.verify(world[name])
        with pytest.raises(PermissionDenied):
            audit.issue_digest(world[name])
    assert audit.verify(world["coord"]).ok


def test_prod_refuses_to_sign_without_a_configured_key() -> None:
    settings = load_settings(env="prod", secret_key="x" * 40, signing_key_file=None)
    with pytest.raises(DigestError, match="RECTIFY_SIGNING_KEY_FILE"):
        load_signing_key(settings)


def test_dev_generates_the_named_key_file_when_missing_and_prod_names_it(
    tmp_path: Path,
) -> None:
    named = tmp_path / "keys" / "signing.pem"
    first = load_signing_key(load_settings(signing_key_file=named))
    again = load_signing_key(load_settings(signing_key_file=named))
    prod = load_settings(env="prod", secret_key="x" * 40, signing_key_file=tmp_path / "no.pem")

    assert named.exists()
    assert first.public.key_id == again.public.key_id
    with pytest.raises(DigestError, match="RECTIFY_SIGNING_KEY_FILE: cannot read"):
        load_signing_key(prod)
    assert not (tmp_path / "no.pem").exists()


def test_the_memory_store_says_it_keeps_no_chain(clock: FixedClock) -> None:
    world = build_world("memory:", clock)
    try:
        result = desk(world).verify(world["auditor"])
    finally:
        world.container.close()
    assert not result.chain_kept
    assert not result.ok
    assert "keeps no hash chain" in result.summary()


def resigned(digest: Digest, key: SigningKey) -> Digest:
    return sign_digest(
        key,
        application=digest.application,
        position=digest.position,
        head_hash=digest.hash,
        events=digest.events,
        at=digest.issued_at,
    )


def test_the_reports_digest_source_reads_the_digest_just_issued(world: World) -> None:
    digest = kept(world)
    latest = LoggedDigests(world.app).latest()
    assert latest is not None
    assert (latest.position, latest.head_hash, latest.key_id, latest.signature) == (
        digest.position,
        digest.hash,
        digest.key_id,
        digest.signature,
    )


def test_a_retried_issue_with_the_same_idempotency_key_answers_the_first_digest(
    world: World,
) -> None:
    retried = world.caller("auditor", idempotency_key="digest-2026-10-10")
    first = desk(world).issue_digest(retried)
    world.issue()
    again = desk(world).issue_digest(retried)
    assert again == first
    assert len(desk(world).digests(world["auditor"])) == 1
