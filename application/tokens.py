"""Long-lived API tokens for automation: issued and revoked by an administrator.

A token reads ``rct_<token id>_<secret>``. Only a hash of the secret is kept, in a store
beside the event log; the log records that a token was issued or revoked, never the hash.
The account's own events decide whether a token still works: a revoked token, or any
token of a disabled account, fails authentication.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID, uuid4

from application.accounts import AccountCommands, principal_of
from application.commanding import Command, CommandResult
from application.errors import AuthenticationFailed, NotFound
from application.principal import Caller, Principal
from domain.account import Account

TOKEN_PREFIX = "rct_"  # noqa: S105 - a label, not a secret
_TOKEN = re.compile(r"^rct_([0-9a-f]{32})_([A-Za-z0-9_-]{20,100})$")


class ApiTokenStore(Protocol):
    """Where token hashes live (beside the log, never in it)."""

    def store(self, token_id: UUID, *, account_id: UUID, secret_hash: str) -> None: ...

    def lookup(self, token_id: UUID) -> tuple[UUID, str] | None:
        """The token's account and secret hash, if the token was stored."""
        ...

    def discard(self, token_id: UUID) -> None: ...


class MemoryApiTokens:
    """An in-process store, for an application built without a database."""

    def __init__(self) -> None:
        self._rows: dict[UUID, tuple[UUID, str]] = {}
        self._lock = threading.Lock()

    def store(self, token_id: UUID, *, account_id: UUID, secret_hash: str) -> None:
        with self._lock:
            self._rows[token_id] = (account_id, secret_hash)

    def lookup(self, token_id: UUID) -> tuple[UUID, str] | None:
        with self._lock:
            return self._rows.get(token_id)

    def discard(self, token_id: UUID) -> None:
        with self._lock:
            self._rows.pop(token_id, None)


@dataclass(frozen=True)
class IssuedToken:
    """The command's result, the token's id and, the first time only, the token itself."""

    result: CommandResult
    token_id: UUID
    token: str | None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_api_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


class TokenCommands(AccountCommands):
    """Account management plus API tokens."""

    api_tokens: ApiTokenStore

    def issue_api_token(self, caller: Caller, account_id: UUID, *, name: str) -> IssuedToken:
        token_id = uuid4()
        secret = secrets.token_urlsafe(32)

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_accounts")
            account = self.load(Account, account_id)
            account.issue_api_token(token_id=str(token_id), name=name)
            return cmd.done(account, result_of=account, token_id=str(token_id))

        args = {"account_id": account_id, "name": name}
        result = self.execute(caller, "issue_api_token", args, change)
        if result.position is None:  # a retry: the token was shown once, with the first answer
            return IssuedToken(result=result, token_id=UUID(result.extra["token_id"]), token=None)
        self.api_tokens.store(token_id, account_id=account_id, secret_hash=hash_secret(secret))
        return IssuedToken(
            result=result, token_id=token_id, token=f"{TOKEN_PREFIX}{token_id.hex}_{secret}"
        )

    def revoke_api_token(
        self, caller: Caller, account_id: UUID, token_id: UUID, *, reason: str
    ) -> CommandResult:
        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_accounts")
            account = self.load(Account, account_id)
            if str(token_id) not in account.api_tokens:
                raise NotFound(f"no active API token {token_id} on this account")
            account.revoke_api_token(token_id=str(token_id), reason=reason)
            return cmd.done(account, result_of=account)

        args = {"account_id": account_id, "token_id": token_id, "reason": reason}
        result = self.execute(caller, "revoke_api_token", args, change)
        self.api_tokens.discard(token_id)
        return result

    def authenticate_api_token(self, token: str) -> Principal:
        """The token's account as a caller; any flaw answers alike: authentication failed."""
        match = _TOKEN.match(token)
        found = self.api_tokens.lookup(UUID(match.group(1))) if match else None
        if match is None or found is None:
            raise AuthenticationFailed("invalid API token")
        account_id, secret_hash = found
        if not hmac.compare_digest(secret_hash, hash_secret(match.group(2))):
            raise AuthenticationFailed("invalid API token")
        account = self.active_account(account_id)
        if str(UUID(match.group(1))) not in account.api_tokens:
            raise AuthenticationFailed("this API token was revoked")
        return principal_of(account)
