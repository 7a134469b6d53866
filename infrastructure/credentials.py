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
# Wrong passwords tried since the account's last sign-in: any username, known or not.
_FAILURES = """
CREATE TABLE IF NOT EXISTS rectify_sign_in_failures (
    account_id TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at TEXT NOT NULL
)
"""


class SqlCredentials:
    def __init__(self, db: SideDatabase, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()

    def create_tables(self) -> None:
        self.db.execute(_SCHEMA)
        self.db.execute(_FAILURES)

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

    def failed_sign_ins(self, account_id: UUID) -> tuple[int, datetime | None]:
        rows = self.db.execute(
            "SELECT failures, last_at FROM rectify_sign_in_failures WHERE account_id = %s",
            (str(account_id),),
        )
        if not rows:
            return 0, None
        return int(rows[0][0]), datetime.fromisoformat(str(rows[0][1]))

    def count_sign_in_attempt(self, account_id: UUID, at: datetime, *, since: datetime) -> int:
        stale = _stamp(since)
        with self.db.transaction() as cur:
            cur.execute(  # runs that ended before ``since``: any username's, so none piles up
                self.db.sql("DELETE FROM rectify_sign_in_failures WHERE last_at <= %s"), (stale,)
            )
            cur.execute(
                self.db.sql(
                    "INSERT INTO rectify_sign_in_failures (account_id, failures, last_at) "
                    "VALUES (%s, 1, %s) ON CONFLICT (account_id) DO UPDATE SET failures = "
                    "rectify_sign_in_failures.failures + 1, last_at = excluded.last_at "
                    "RETURNING failures"
                ),
                (str(account_id), _stamp(at)),
            )
            row = cur.fetchone()
        return int(row[0])

    def clear_failed_sign_ins(self, account_id: UUID) -> None:
        self.db.execute(
            "DELETE FROM rectify_sign_in_failures WHERE account_id = %s", (str(account_id),)
        )


def _stamp(moment: datetime) -> str:
    """One text form for every moment kept here, so that they compare as they sort."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
