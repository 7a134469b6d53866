"""Accounts, role grants, API tokens and the signed-in caller."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.http.schemas.common import Body, Code, Name, Read, Text, one_of
from domain.taxonomy import ROLES

Password = Field(min_length=1, max_length=200)


class GrantIn(Body):
    role: Code = Field(json_schema_extra=one_of(ROLES))
    unit: Code = Field(examples=["bj"])


class AccountCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "xa-clerk",
                    "display_name": "西安办经办人",
                    "password": "change-me-soon",
                    "grants": [{"role": "office_staff", "unit": "xa"}],
                }
            ]
        }
    )

    username: Code
    display_name: Name
    password: str = Password
    grants: list[GrantIn] = Field(default_factory=list, max_length=20)


class RoleGrantCreate(GrantIn):
    """Grant a role at a unit."""


class RoleRevocationCreate(GrantIn):
    """Revoke a role held at a unit."""


class ReasonCreate(Body):
    reason: Text = Field(examples=["调离岗位"])


class PasswordResetCreate(Body):
    password: str = Field(min_length=1, max_length=200, examples=["a-new-long-passphrase"])


class PasswordChangeCreate(Body):
    """Your own new password, with the one it replaces."""

    current_password: str = Field(min_length=1, max_length=200, examples=["the-one-you-use"])
    new_password: str = Field(min_length=1, max_length=200, examples=["a-new-long-passphrase"])


class ApiTokenCreate(Body):
    name: Name = Field(examples=["nightly-export"])


class ApiTokenRevocationCreate(Body):
    reason: Text = Field(examples=["令牌疑似泄露"])


class GrantRead(Read):
    role: str
    unit: str


class ApiTokenInfo(Read):
    id: UUID
    name: str


class AccountRead(Read):
    id: UUID
    version: int
    username: str
    display_name: str
    grants: list[GrantRead]
    disabled: bool
    api_tokens: list[ApiTokenInfo]


class ApiTokenRead(Read):
    """A new token. ``token`` is shown once, in the first answer; a retry shows ``null``."""

    id: UUID
    account_id: UUID
    name: str
    token: str | None


class MeRead(Read):
    id: UUID
    username: str
    display_name: str
    grants: list[GrantRead]
    readable_offices: list[str] | None = Field(
        description="The offices whose cases you may read; null means every office"
    )
    commands: list[str] = Field(description="The commands one of your roles allows somewhere")


class TokenRead(Read):
    """An OAuth2 bearer token (a signed JWT)."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the token expires")
