"""Evidence files stored by their SHA-256: the same bytes twice are stored once.

The embedded default keeps the bytes in a directory (``<evidence_dir>/<sha[:2]>/<sha>``);
production keeps them in a PostgreSQL table. Both keep each file's media type and size,
who uploaded it, and the answer given to an upload sent with an idempotency key.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from infrastructure.database import SideDatabase

# A few formats announce themselves in their first bytes: a file that claims one of them
# and does not start that way is refused (a renamed file is not evidence of anything).
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}


class EvidenceRejected(Exception):
    """An upload the store will not keep; the API maps each kind to one status."""

    def __init__(self, message: str, *, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.file_name: str | None = None  # the upload's own name, where the edge knows it
        self.field = field


class EvidenceTooLarge(EvidenceRejected):
    """Larger than RECTIFY_EVIDENCE_MAX_BYTES (413)."""


class MediaTypeNotAllowed(EvidenceRejected):
    """Not in RECTIFY_EVIDENCE_MEDIA_TYPES (415)."""


class ContentMismatch(EvidenceRejected):
    """Empty, or not what its media type claims (422)."""


class UploadKeyReused(EvidenceRejected):
    """The idempotency key was first used for another file (422)."""


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True)
class Upload:
    blob: Blob
    file_name: str


def _schema(dialect: str) -> list[str]:
    binary = "BYTEA" if dialect == "postgres" else "BLOB"
    return [
        f"""CREATE TABLE IF NOT EXISTS rectify_evidence (
            sha256 TEXT PRIMARY KEY, bytes {binary}, media_type TEXT NOT NULL,
            size BIGINT NOT NULL, created_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS rectify_evidence_uploads (
            sha256 TEXT NOT NULL, account_id TEXT NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (sha256, account_id))""",
        """CREATE TABLE IF NOT EXISTS rectify_evidence_keys (
            account_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL, PRIMARY KEY (account_id, idempotency_key))""",
    ]


class BlobStore:
    """Checks and records uploads; where the bytes go is up to the subclass."""

    def __init__(self, db: SideDatabase, *, max_bytes: int, media_types: tuple[str, ...]) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self.media_types = media_types

    def create_tables(self) -> None:
        for statement in _schema(self.db.dialect):
            self.db.execute(statement)

    def check(self, data: bytes, *, media_type: str) -> None:
        if len(data) > self.max_bytes:
            raise EvidenceTooLarge(f"file is larger than {self.max_bytes} bytes")
        if media_type not in self.media_types:
            allowed = ", ".join(self.media_types)
            raise MediaTypeNotAllowed(f"media type {media_type!r} is not one of: {allowed}")
        if not data:
            raise ContentMismatch("file is empty")
        magic = _MAGIC.get(media_type)
        if magic and not data.startswith(magic):
            raise ContentMismatch(f"file content is not {media_type}")

    def upload(
        self,
        data: bytes,
        *,
        media_type: str,
        file_name: str,
        account_id: UUID,
        idempotency_key: str | None = None,
    ) -> Upload:
        """Keep the file once, note who sent it; a retry with the same key answers alike."""
        self.check(data, media_type=media_type)
        sha = hashlib.sha256(data).hexdigest()
        if idempotency_key is not None:
            earlier = self._earlier(account_id, idempotency_key)
            if earlier is not None:
                if earlier.blob.sha256 != sha or earlier.file_name != file_name:
                    raise UploadKeyReused(
                        "this Idempotency-Key was already used for a different file",
                        field="Idempotency-Key",
                    )
                return earlier
        now = datetime.now(UTC).isoformat()
        if self.head(sha) is None:
            self._write(sha, data)
            self.db.execute(
                "INSERT INTO rectify_evidence (sha256, bytes, media_type, size, created_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
                (sha, self._column_bytes(data), media_type, len(data), now),
            )
        self.db.execute(
            "INSERT INTO rectify_evidence_uploads (sha256, account_id, created_at) "
            "VALUES (%s, %s, %s) ON CONFLICT (sha256, account_id) DO NOTHING",
            (sha, str(account_id), now),
        )
        if idempotency_key is not None:
            self.db.execute(
                "INSERT INTO rectify_evidence_keys (account_id, idempotency_key, sha256, "
                "file_name) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (str(account_id), idempotency_key, sha, file_name),
            )
        blob = self.head(sha)
        assert blob is not None  # written just above
        return Upload(blob=blob, file_name=file_name)

    def _earlier(self, account_id: UUID, key: str) -> Upload | None:
        rows = self.db.execute(
            "SELECT sha256, file_name FROM rectify_evidence_keys "
            "WHERE account_id = %s AND idempotency_key = %s",
            (str(account_id), key),
        )
        blob = self.head(rows[0][0]) if rows else None
        return Upload(blob=blob, file_name=rows[0][1]) if blob else None

    def head(self, sha256: str) -> Blob | None:
        rows = self.db.execute(
            "SELECT sha256, size, media_type FROM rectify_evidence WHERE sha256 = %s",
            (sha256,),
        )
        return (
            Blob(sha256=rows[0][0], size=int(rows[0][1]), media_type=rows[0][2]) if rows else None
        )

    def uploaded_by(self, sha256: str, account_id: UUID) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM rectify_evidence_uploads WHERE sha256 = %s AND account_id = %s",
                (sha256, str(account_id)),
            )
        )

    def read(self, sha256: str) -> bytes | None:
        raise NotImplementedError

    def _write(self, sha256: str, data: bytes) -> None:
        raise NotImplementedError

    def _column_bytes(self, data: bytes) -> bytes | None:
        return None


class DirectoryBlobStore(BlobStore):
    """The embedded default: ``<root>/<sha[:2]>/<sha>``, written atomically."""

    def __init__(
        self, db: SideDatabase, *, root: Path, max_bytes: int, media_types: tuple[str, ...]
    ) -> None:
        super().__init__(db, max_bytes=max_bytes, media_types=media_types)
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _write(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)

    def read(self, sha256: str) -> bytes | None:
        if self.head(sha256) is None:
            return None
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None


class TableBlobStore(BlobStore):
    """Production: the bytes live in ``rectify_evidence`` beside their metadata."""

    def _write(self, sha256: str, data: bytes) -> None:
        return None  # the row itself carries the bytes

    def _column_bytes(self, data: bytes) -> bytes | None:
        return data

    def read(self, sha256: str) -> bytes | None:
        rows = self.db.execute("SELECT bytes FROM rectify_evidence WHERE sha256 = %s", (sha256,))
        return bytes(rows[0][0]) if rows and rows[0][0] is not None else None
