"""Password hashes in a credentials table beside the event log (argon2id)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from infrastructure.database import SideDatabase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rectify_credentials (
    account_id TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


class SqlCredentials:
    def __init__(self, db: SideDatabase, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()

    def create_tables(self) -> None:
        self.db.execute(_SCHEMA)

    def set_password(self, account_id: UUID, password: str) -> None:
        self.db.execute(
            "INSERT INTO rectify_credentials (account_id, password_hash, updated_at) "
            "VALUES (%s, %s, %s) ON CONFLICT (account_id) DO UPDATE SET "
            "password_hash = excluded.password_hash, updated_at = excluded.updated_at",
            (str(account_id), self.hasher.hash(password), datetime.now(UTC).isoformat()),
        )

    def check_password(self, account_id: UUID, password: str) -> bool:
        rows = self.db.execute(
            "SELECT password_hash FROM rectify_credentials WHERE account_id = %s",
            (str(account_id),),
        )
        if not rows:
            self.hasher.hash(password)  # same cost whether or not the account exists
            return False
        try:
            return self.hasher.verify(rows[0][0], password)
        except (VerificationError, InvalidHashError):
            return False
