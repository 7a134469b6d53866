"""Accounts (administrators): create, grant and revoke roles, disable, reset passwords,
issue and revoke API tokens. Every change is an audited event on the account."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.http.answers import WriteDep
from api.http.deps import AppDep, ReaderDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.accounts import (
    AccountCreate,
    AccountRead,
    ApiTokenCreate,
    ApiTokenRead,
    ApiTokenRevocationCreate,
    PasswordResetCreate,
    ReasonCreate,
    RoleGrantCreate,
    RoleRevocationCreate,
)
from domain.account import Account

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/accounts",
    tags=["accounts"],
    responses=problem_responses(401, 403, 422, 429),
)

ACCOUNT_ERRORS = problem_responses(404, 409)


@router.post("", status_code=201, summary="Create an account with its role grants")
def create_account(body: AccountCreate, write: WriteDep) -> AccountRead:
    grants = [(g.role, g.unit) for g in body.grants]
    return write.account(
        write.app.create_account(
            write.caller,
            username=body.username,
            display_name=body.display_name,
            password=body.password,
            grants=grants,
        )
    )


@router.get("/{account_id}", summary="One account (admin, auditor)", responses=ACCOUNT_ERRORS)
def read_account(account_id: UUID, caller: ReaderDep, app: AppDep) -> AccountRead:
    return AccountRead.model_validate(app.get_account(caller, account_id).summary())


@router.get(
    "/by-username/{username}",
    summary="Look an account up by its username (admin, auditor)",
    responses=ACCOUNT_ERRORS,
)
def find_account(username: str, caller: ReaderDep, app: AppDep) -> AccountRead:
    account_id = Account.create_id(username)
    return AccountRead.model_validate(app.get_account(caller, account_id).summary())


@router.post(
    "/{account_id}/role-grants", summary="Grant a role at a unit", responses=ACCOUNT_ERRORS
)
def grant_role(account_id: UUID, body: RoleGrantCreate, write: WriteDep) -> AccountRead:
    return write.account(write.app.grant_role(write.caller, account_id, **body.model_dump()))


@router.post(
    "/{account_id}/role-revocations", summary="Revoke a role at a unit", responses=ACCOUNT_ERRORS
)
def revoke_role(account_id: UUID, body: RoleRevocationCreate, write: WriteDep) -> AccountRead:
    return write.account(write.app.revoke_role(write.caller, account_id, **body.model_dump()))


@router.post(
    "/{account_id}/disablement",
    summary="Disable an account: its tokens stop working at once",
    responses=ACCOUNT_ERRORS,
)
def disable_account(account_id: UUID, body: ReasonCreate, write: WriteDep) -> AccountRead:
    return write.account(write.app.disable_account(write.caller, account_id, reason=body.reason))


@router.post(
    "/{account_id}/enablement", summary="Enable a disabled account", responses=ACCOUNT_ERRORS
)
def enable_account(account_id: UUID, body: ReasonCreate, write: WriteDep) -> AccountRead:
    return write.account(write.app.enable_account(write.caller, account_id, reason=body.reason))


@router.post("/{account_id}/password-reset", summary="Set a new password", responses=ACCOUNT_ERRORS)
def reset_password(account_id: UUID, body: PasswordResetCreate, write: WriteDep) -> AccountRead:
    result = write.app.reset_password(write.caller, account_id, password=body.password)
    return write.account(result)


@router.post(
    "/{account_id}/api-tokens",
    status_code=201,
    summary="Issue a long-lived API token; the token is shown once, in this answer",
    responses=ACCOUNT_ERRORS,
)
def issue_api_token(account_id: UUID, body: ApiTokenCreate, write: WriteDep) -> ApiTokenRead:
    issued = write.app.issue_api_token(write.caller, account_id, name=body.name)
    write.settle(issued.result, location=f"/api/accounts/{account_id}")
    return ApiTokenRead(
        id=issued.token_id, account_id=account_id, name=body.name, token=issued.token
    )


@router.post(
    "/{account_id}/api-tokens/{token_id}/revocation",
    summary="Revoke an API token: it stops working at once",
    responses=ACCOUNT_ERRORS,
)
def revoke_api_token(
    account_id: UUID, token_id: UUID, body: ApiTokenRevocationCreate, write: WriteDep
) -> AccountRead:
    result = write.app.revoke_api_token(write.caller, account_id, token_id, reason=body.reason)
    return write.account(result)
