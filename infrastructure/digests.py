"""Signed digests: a checkpoint of the chain an auditor keeps outside the database.

A digest file is JSON::

    {"format": "rectify-digest/1", "application": "Rectify", "position": 1234,
     "hash": "<chain hash at that position, hex>", "events": 1234,
     "issued_at": "2026-10-10T02:00:00+00:00", "key_id": "<16 hex>",
     "public_key": "<Ed25519 public key, base64>", "signature": "<base64>"}

The Ed25519 signature covers the canonical JSON (sorted keys, no spaces) of every field but
``public_key`` and ``signature``. A digest is trusted only if it verifies with the service's
own key: one signed by another key, or edited after signing, is rejected.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import structlog
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from infrastructure.chain_result import Checkpoint
from infrastructure.settings import Settings

FORMAT = "rectify-digest/1"
DEV_KEY_FILE = Path("var") / "signing-key.pem"
_SIGNED = ("format", "application", "position", "hash", "events", "issued_at", "key_id")

log = structlog.get_logger("rectify.digests")


class DigestError(Exception):
    """The signing key is missing or unusable, or a digest cannot be issued."""


class SigningKeyUnavailable(DigestError):
    """The service's own key is missing or unusable: its operator's to fix, not the caller's.
    ``str()`` says which file and why (for the operator and the log); ``message`` names
    only the setting (for whoever asked for a digest)."""

    message = (
        "the service's signing key is unavailable: its administrator must check "
        "RECTIFY_SIGNING_KEY_FILE"
    )


def _unavailable(reason: str) -> SigningKeyUnavailable:
    log.warning("signing_key_unavailable", reason=reason)
    return SigningKeyUnavailable(reason)


class DigestRejected(Exception):
    """A digest file that is malformed, edited, or signed by another key."""


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    key: Ed25519PublicKey

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id_of(self.raw)

    @property
    def b64(self) -> str:
        return base64.b64encode(self.raw).decode()

    @property
    def pem(self) -> str:
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def load_public_key(path: Path) -> PublicKey:
    """A PEM Ed25519 public key, as ``rectify public-key`` writes it."""
    try:
        loaded = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise DigestError(f"cannot read the public key {path}: {exc}") from None
    if not isinstance(loaded, Ed25519PublicKey):
        raise DigestError(f"{path} is not an Ed25519 public key")
    return PublicKey(loaded)


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.private.public_key())

    def sign(self, payload: bytes) -> bytes:
        return self.private.sign(payload)


def load_signing_key(settings: Settings) -> SigningKey:
    """RECTIFY_SIGNING_KEY_FILE (a PEM Ed25519 private key); in dev, one kept under var/
    when it is unset, and the file it names generated when missing."""
    path = settings.signing_key_file
    if path is None:
        if settings.env == "prod":
            raise _unavailable("RECTIFY_SIGNING_KEY_FILE must be set when RECTIFY_ENV=prod")
        path = DEV_KEY_FILE
    if settings.env == "dev" and not path.exists():
        try:
            _write_new_key(path)
            log.warning("signing_key_generated", path=str(path))  # dev: a new key, new digests
        except FileExistsError:  # another process wrote it first: read theirs
            pass
        except OSError as exc:
            raise _unavailable(f"RECTIFY_SIGNING_KEY_FILE: cannot write {path}: {exc}") from None
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise _unavailable(f"RECTIFY_SIGNING_KEY_FILE: cannot read {path}: {exc}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise _unavailable(f"RECTIFY_SIGNING_KEY_FILE: {path} is not an Ed25519 private key")
    return SigningKey(loaded)


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


@dataclass(frozen=True)
class Digest:
    format: str
    application: str
    position: int
    hash: str
    events: int
    issued_at: str
    key_id: str
    public_key: str
    signature: str

    def payload(self) -> bytes:
        return signed_payload(asdict(self))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def checkpoint(self, label: str) -> Checkpoint:
        return Checkpoint(position=self.position, hash=bytes.fromhex(self.hash), label=label)


def signed_payload(fields: dict[str, Any]) -> bytes:
    body = {name: fields[name] for name in _SIGNED}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def sign_digest(
    key: SigningKey, *, application: str, position: int, head_hash: str, events: int, at: str
) -> Digest:
    public = key.public
    fields: dict[str, Any] = {
        "format": FORMAT,
        "application": application,
        "position": position,
        "hash": head_hash,
        "events": events,
        "issued_at": at,
        "key_id": public.key_id,
    }
    signature = key.sign(signed_payload(fields))
    return Digest(**fields, public_key=public.b64, signature=base64.b64encode(signature).decode())


_DIGEST_TEXT = ("format", "application", "hash", "issued_at", "key_id", "signature")
_DIGEST_NUMBERS = ("position", "events")


def parse_digest(text: str | bytes) -> Digest:
    """A kept digest file, or DigestRejected naming what is wrong with it (for the auditor
    holding the file: which field is missing or malformed, never a Python error's text)."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        raise DigestRejected("not a digest file: it is not JSON") from None
    if not isinstance(data, dict):
        raise DigestRejected("not a digest file: it is JSON, but not an object of fields")
    missing = [name for name in (*_DIGEST_TEXT, *_DIGEST_NUMBERS) if name not in data]
    if missing:
        raise DigestRejected(f"not a digest file: it lacks the field(s) {', '.join(missing)}")
    for name in _DIGEST_NUMBERS:
        if not isinstance(data[name], int) or isinstance(data[name], bool):
            raise DigestRejected(f"not a digest file: {name} must be a whole number")
    for name in _DIGEST_TEXT:
        if not isinstance(data[name], str):
            raise DigestRejected(f"not a digest file: {name} must be text")
    try:
        bytes.fromhex(data["hash"])
    except ValueError:
        raise DigestRejected("not a digest file: hash is not hexadecimal") from None
    digest = Digest(
        **{name: data[name] for name in (*_DIGEST_TEXT, *_DIGEST_NUMBERS)},
        public_key=str(data.get("public_key", "")),
    )
    if digest.format != FORMAT:
        raise DigestRejected(f"unknown digest format {digest.format!r}")
    return digest


def check_digest(digest: Digest, trusted: PublicKey) -> None:
    """Raise DigestRejected unless the service's key signed exactly these fields."""
    if digest.key_id != trusted.key_id:
        raise DigestRejected(
            f"signed with another key (key id {digest.key_id}, this service's is {trusted.key_id})"
        )
    try:
        signature = base64.b64decode(digest.signature, validate=True)
        trusted.key.verify(signature, digest.payload())
    except (InvalidSignature, ValueError):
        raise DigestRejected(
            "the signature does not match: the digest was edited after signing, "
            "or not signed by this service"
        ) from None
