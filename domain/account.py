"""Account: who may do what is itself on the audited record.

Password and token hashes never enter an event: the log says only that they changed.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import InvalidInput, InvalidTransition
from domain.recording import RecordedAggregate
from domain.taxonomy import ROLES, check_choice, check_text

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


class Account(RecordedAggregate):
    @staticmethod
    def create_id(username: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:account:{username}")

    @event("Registered")
    def __init__(self, *, username: str, display_name: str) -> None:
        self.username = username
        self.display_name = display_name
        self.grants: list[dict[str, str]] = []
        self.disabled = False
        self.password_changes = 0
        self.logins = 0
        self.api_tokens: dict[str, str] = {}

    @classmethod
    def register(cls, *, username: str, display_name: str) -> Account:
        if not _USERNAME.match(username):
            raise InvalidInput(
                "username must be 2-40 lowercase letters, digits, '.', '_' or '-'",
                field="username",
            )
        return cls(
            username=username,
            display_name=check_text(
                display_name, field="display_name", max_length=100, single_line=True
            ),
        )

    def grant(self, *, role: str, unit: str) -> None:
        check_choice(role, ROLES, field="role")
        if {"role": role, "unit": unit} in self.grants:
            raise InvalidTransition(f"{self.username} already holds {role} at {unit}")
        self._role_granted(role=role, unit=unit)

    @event("RoleGranted")
    def _role_granted(self, role: str, unit: str) -> None:
        self.grants.append({"role": role, "unit": unit})

    def revoke(self, *, role: str, unit: str) -> None:
        if {"role": role, "unit": unit} not in self.grants:
            raise InvalidTransition(f"{self.username} does not hold {role} at {unit}")
        self._role_revoked(role=role, unit=unit)

    @event("RoleRevoked")
    def _role_revoked(self, role: str, unit: str) -> None:
        self.grants.remove({"role": role, "unit": unit})

    def note_password_changed(self, *, reset_by_admin: bool) -> None:
        self._password_changed(reset_by_admin=reset_by_admin)

    @event("PasswordChanged")
    def _password_changed(self, reset_by_admin: bool) -> None:
        self.password_changes += 1

    def log_in(self, *, method: str) -> None:
        """Record a sign-in; the method says how (``password`` form, or an ``api_token``)."""
        if self.disabled:
            raise InvalidTransition(f"{self.username} is disabled")
        self._logged_in(method=method)

    @event("LoggedIn")
    def _logged_in(self, method: str) -> None:
        self.logins += 1

    def issue_api_token(self, *, token_id: str, name: str) -> None:
        """Record that a token was issued; its secret and hash never enter the log."""
        if self.disabled:
            raise InvalidTransition(f"{self.username} is disabled")
        name = check_text(name, field="name", max_length=100, single_line=True)
        if name in self.api_tokens.values():
            raise InvalidTransition(f"{self.username} already has a token named {name!r}")
        self._api_token_issued(token_id=token_id, name=name)

    @event("ApiTokenIssued")
    def _api_token_issued(self, token_id: str, name: str) -> None:
        self.api_tokens[token_id] = name

    def revoke_api_token(self, *, token_id: str, reason: str) -> None:
        if token_id not in self.api_tokens:
            raise InvalidTransition(f"{self.username} has no active token {token_id}")
        self._api_token_revoked(token_id=token_id, reason=check_text(reason, field="reason"))

    @event("ApiTokenRevoked")
    def _api_token_revoked(self, token_id: str, reason: str) -> None:
        del self.api_tokens[token_id]

    def disable(self, *, reason: str) -> None:
        if self.disabled:
            raise InvalidTransition(f"{self.username} is already disabled")
        self._disabled(reason=check_text(reason, field="reason"))

    @event("Disabled")
    def _disabled(self, reason: str) -> None:
        self.disabled = True

    def enable(self, *, reason: str) -> None:
        if not self.disabled:
            raise InvalidTransition(f"{self.username} is not disabled")
        self._enabled(reason=check_text(reason, field="reason"))

    @event("Enabled")
    def _enabled(self, reason: str) -> None:
        self.disabled = False

    def summary(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "username": self.username,
            "display_name": self.display_name,
            "grants": list(self.grants),
            "disabled": self.disabled,
            "api_tokens": [{"id": k, "name": v} for k, v in self.api_tokens.items()],
        }
