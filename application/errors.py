"""Errors raised by the application layer (the domain's own live in ``domain.errors``)."""

from __future__ import annotations

from uuid import UUID


class ApplicationError(Exception):
    code = "application_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ApplicationError):
    """Absent, or out of the caller's scope: the two answer alike (404)."""

    code = "not_found"


class PermissionDenied(ApplicationError):
    """The caller's roles do not allow this command (403)."""

    code = "forbidden"


class AuthenticationFailed(ApplicationError):
    """Unknown account, wrong password or disabled account (401)."""

    code = "unauthenticated"


class SignInLocked(ApplicationError):
    """Too many wrong passwords for this account in a row: signing in is paused for it,
    the right password included, for ``retry_after`` seconds (429)."""

    code = "sign_in_locked"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, field="password")
        self.retry_after = retry_after


class VersionConflict(ApplicationError):
    """The case changed since the caller read it (expected version mismatch) (412/409)."""

    code = "version_conflict"


class ConcurrentWrite(VersionConflict):
    """Another command wrote the same case at the same time (409)."""

    code = "concurrent_write"


class IdempotencyKeyReused(ApplicationError):
    """The idempotency key was first used for a different command (422)."""

    code = "idempotency_key_reused"

    def __init__(
        self, message: str, *, field: str | None = None, earlier: UUID | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.earlier = earlier  # what the key's first command made or changed


class ReadModelsBehind(ApplicationError):
    """The read models did not reach the log's head in time: an answer chosen from them would
    miss the latest writes, so none is given (503; retry after ``retry_after`` seconds)."""

    code = "read_models_behind"
    retry_after = 5
