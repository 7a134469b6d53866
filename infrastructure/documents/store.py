"""Generated documents kept by their SHA-256 in a side table (every API process sees them)."""

from __future__ import annotations

import hashlib

from infrastructure.database import SideDatabase


class SqlDocumentStore:
    def __init__(self, db: SideDatabase) -> None:
        self.db = db

    def create_tables(self) -> None:
        blob = "BYTEA" if self.db.dialect == "postgres" else "BLOB"
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS rectify_documents ("
            " sha256 TEXT PRIMARY KEY, media_type TEXT NOT NULL, file_name TEXT NOT NULL,"
            f" size INTEGER NOT NULL, content {blob} NOT NULL)"
        )

    def put(self, data: bytes, *, media_type: str, file_name: str) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        self.db.execute(
            "INSERT INTO rectify_documents (sha256, media_type, file_name, size, content)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
            (sha256, media_type, file_name, len(data), data),
        )
        return sha256

    def get(self, sha256: str) -> bytes:
        rows = self.db.execute("SELECT content FROM rectify_documents WHERE sha256 = %s", (sha256,))
        if not rows:
            raise KeyError(sha256)
        return bytes(rows[0][0])
