"""``rectify verify`` and ``rectify digest``, run for real in a subprocess on a SQLite file."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.cli.common import CLI_READER
from application.ports import FixedClock
from application.principal import Caller
from infrastructure.container import build_container
from infrastructure.settings import load_settings
from tests.builders import build_world
from tests.integration.test_tamper_kit import Log, run_rectify, write_key


@dataclass(frozen=True)
class Store:
    db: Path
    key: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def rectify(self, *args: str, **settings: str | None) -> subprocess.CompletedProcess[str]:
        """Run with this store's settings; a setting given as None is left unset."""
        chosen: dict[str, str | None] = {
            "RECTIFY_DATABASE_URL": self.url,
            "RECTIFY_SIGNING_KEY_FILE": str(self.key),
            "RECTIFY_EVIDENCE_DIR": str(self.db.parent / "evidence"),
            **settings,
        }
        given = {name: value for name, value in chosen.items() if value is not None}
        return run_rectify(*args, cwd=self.db.parent, **given)


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Store:
    made = Store(db=tmp_path / "rectify.sqlite3", key=write_key(tmp_path / "service.pem"))
    world = build_world(made.url, clock)
    world.approved_item()
    world.container.close()
    return made


def test_verify_says_ok_with_the_head_and_exits_zero(store: Store) -> None:
    done = store.rectify("verify")
    assert done.returncode == 0, done.stderr
    assert "ok:" in done.stdout
    assert "head hash" in done.stdout
    assert "events/s" in done.stdout


def test_a_digest_written_now_is_extended_later(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "kept" / "digest.json"
    written = store.rectify("digest", "--out", str(out))
    assert written.returncode == 0, written.stderr
    digest = json.loads(out.read_text())
    assert {"position", "hash", "issued_at", "key_id", "signature"} <= set(digest)
    done = store.rectify("verify", "--digest", str(out))
    assert done.returncode == 0, done.stdout
    assert "extends it" in done.stdout


def test_a_digest_is_recorded_as_the_account_named_or_as_the_command_line(
    store: Store, tmp_path: Path, clock: FixedClock
) -> None:
    named = store.rectify("digest", "--out", str(tmp_path / "a.json"), "--as", "auditor")
    unnamed = store.rectify("digest", "--out", str(tmp_path / "b.json"))
    unknown = store.rectify("digest", "--out", str(tmp_path / "c.json"), "--as", "nobody")
    built = build_container(load_settings(database_url=store.url), clock=clock)
    try:
        digests = built.app.issued_digests(Caller(CLI_READER, request_id="test"))
    finally:
        built.close()

    assert named.returncode == 0, named.stderr
    assert unnamed.returncode == 0, unnamed.stderr
    assert unknown.returncode == 2
    assert "--as: no active account 'nobody'" in unknown.stderr
    assert not (tmp_path / "c.json").exists()
    assert [d.actor["name"] for d in digests] == ["auditor", "命令行（服务器操作员）"]


def test_a_broken_chain_exits_one_naming_the_position(store: Store) -> None:
    log = Log(store.url)
    log.unlock()
    target = log.middle()
    log.flip_byte(target)
    done = store.rectify("verify")
    assert done.returncode == 1
    assert f"BROKEN at position {target} (changed)" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_digest_from_another_key_exits_one(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "digest.json"
    other = write_key(tmp_path / "other.pem")
    assert (
        store.rectify("digest", "--out", str(out), RECTIFY_SIGNING_KEY_FILE=str(other)).returncode
        == 0
    )
    done = store.rectify("verify", "--digest", str(out))
    assert done.returncode == 1
    assert "REJECTED" in done.stdout
    assert "another key" in done.stdout


def test_digest_will_not_overwrite_a_kept_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "digest.json"
    out.write_text("kept")
    done = store.rectify("digest", "--out", str(out))
    assert done.returncode != 0
    assert "will not overwrite" in done.stderr
    assert out.read_text() == "kept"


def test_a_missing_digest_file_is_a_message_not_a_traceback(store: Store, tmp_path: Path) -> None:
    done = store.rectify("verify", "--digest", str(tmp_path / "nowhere.json"))
    assert done.returncode == 2
    assert "cannot read digest" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_public_key_that_cannot_be_read_is_said_even_without_a_digest(
    store: Store, tmp_path: Path
) -> None:
    done = store.rectify("verify", "--public-key", str(tmp_path / "nope.pem"))
    assert done.returncode == 2
    assert "cannot read the public key" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_memory_store_exits_three(store: Store) -> None:
    done = store.rectify("verify", RECTIFY_DATABASE_URL="memory:")
    assert done.returncode == 3
    assert "keeps no hash chain" in done.stdout


def test_an_auditor_checks_digests_with_the_public_key_alone(store: Store, tmp_path: Path) -> None:
    out, pem = tmp_path / "digest.json", tmp_path / "service-public.pem"
    assert store.rectify("digest", "--out", str(out)).returncode == 0
    assert store.rectify("public-key", "--out", str(pem)).returncode == 0
    without_private_key: dict[str, str | None] = {
        "RECTIFY_ENV": "prod",
        "RECTIFY_SECRET_KEY": "s" * 48,
        "RECTIFY_SIGNING_KEY_FILE": None,
    }
    done = store.rectify(
        "verify", "--digest", str(out), "--public-key", str(pem), **without_private_key
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "extends it" in done.stdout
    refused = store.rectify("verify", "--digest", str(out), **without_private_key)
    assert refused.returncode == 2
    assert "RECTIFY_SIGNING_KEY_FILE must be set" in refused.stderr


def test_a_digest_that_cannot_be_issued_leaves_no_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "kept" / "digest.json"
    done = store.rectify("digest", "--out", str(out), RECTIFY_DATABASE_URL="memory:")
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert not out.exists()
