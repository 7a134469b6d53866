"""The caller of a command: an account with its role grants."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.recording import Actor


@dataclass(frozen=True)
class Grant:
    role: str
    unit: str


@dataclass(frozen=True)
class Principal:
    account_id: UUID
    username: str
    display_name: str
    grants: tuple[Grant, ...]

    def actor(self, grant: Grant) -> Actor:
        return Actor(
            id=str(self.account_id), name=self.display_name, role=grant.role, unit=grant.unit
        )

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)


@dataclass(frozen=True)
class Caller:
    """Who calls, and how: the request it came from and an optional idempotency key."""

    principal: Principal
    request_id: str = ""
    idempotency_key: str | None = None
