"""Signing in (OAuth2 password form → signed access token), who am I, and my password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.http.deps import AppDep, PrincipalDep, ServicesDep, WriterDep, request_id
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.accounts import GrantRead, MeRead, PasswordChangeCreate, TokenRead
from application.policy import COMMANDS, POLICY

router = APIRouter(route_class=OffloadedRoute, tags=["auth"])


@router.post(
    "/api/auth/token",
    summary="Sign in with a username and password (OAuth2 password flow)",
    responses=problem_responses(401, 422, 429),
)
def sign_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    services: ServicesDep,
    app: AppDep,
) -> TokenRead:
    services.limiter.hit(f"login:{form.username}")
    principal = app.log_in(form.username, form.password, request_id=request_id(request))
    request.state.account = principal.username
    return TokenRead(
        access_token=services.signer.issue(principal.account_id),
        expires_in=int(services.signer.lifetime.total_seconds()),
    )


@router.get(
    "/api/me",
    summary="The signed-in account, its grants and what it may read and do",
    responses=problem_responses(401, 429),
)
def me(principal: PrincipalDep, app: AppDep) -> MeRead:
    offices = app.policy.readable_offices(principal)
    return MeRead(
        id=principal.account_id,
        username=principal.username,
        display_name=principal.display_name,
        grants=[GrantRead(role=g.role, unit=g.unit) for g in principal.grants],
        readable_offices=sorted(offices) if offices is not None else None,
        commands=[c for c in COMMANDS if principal.roles & set(POLICY[c])],
    )


@router.post(
    "/api/me/password",
    status_code=204,
    summary="Change your own password, giving the current one",
    description="A wrong current password counts toward the sign-in pause, as at sign-in "
    "(429 `sign_in_locked` while it lasts). The change is an audited `PasswordChanged` event; "
    "tokens already issued stay valid until they expire.",
    responses=problem_responses(401, 422, 429),
)
def change_password(body: PasswordChangeCreate, caller: WriterDep, app: AppDep) -> Response:
    app.change_own_password(caller, current=body.current_password, new=body.new_password)
    return Response(status_code=204)
