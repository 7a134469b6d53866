"""API token hashes in a side table beside the event log (the log only says one was issued)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from infrastructure.database import SideDatabase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rectify_api_tokens (
    token_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


class SqlApiTokens:
    def __init__(self, db: SideDatabase) -> None:
        self.db = db

    def create_tables(self) -> None:
        self.db.execute(_SCHEMA)

    def store(self, token_id: UUID, *, account_id: UUID, secret_hash: str) -> None:
        self.db.execute(
            "INSERT INTO rectify_api_tokens (token_id, account_id, secret_hash, created_at) "
            "VALUES (%s, %s, %s, %s)",
            (str(token_id), str(account_id), secret_hash, datetime.now(UTC).isoformat()),
        )

    def lookup(self, token_id: UUID) -> tuple[UUID, str] | None:
        rows = self.db.execute(
            "SELECT account_id, secret_hash FROM rectify_api_tokens WHERE token_id = %s",
            (str(token_id),),
        )
        if not rows:
            return None
        return UUID(rows[0][0]), str(rows[0][1])

    def discard(self, token_id: UUID) -> None:
        self.db.execute("DELETE FROM rectify_api_tokens WHERE token_id = %s", (str(token_id),))
