"""The web console's session: a signed access token in an HttpOnly cookie, and CSRF tokens.

Signing in checks the same credentials and records the same audited ``LoggedIn`` event as
``POST /api/auth/token``; the cookie holds the same signed JWT the API hands out, so a
session ends when that token expires. Every form carries a CSRF token: an HMAC, keyed with
the service's secret, of a random nonce kept in its own cookie (signed double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Final
from urllib.parse import urlsplit

import structlog
from fastapi import Depends, Request, Response

from api.http.deps import Services, get_services, request_id
from api.http.security import authenticate_bearer
from application.errors import AuthenticationFailed
from application.policy import COMMANDS, POLICY
from application.principal import Caller, Principal

SESSION_COOKIE = "rectify_session"
SESSION_GRACE: Final = timedelta(days=1)
CSRF_COOKIE = "rectify_csrf"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """No valid session: the page redirects to the sign-in form."""


class CsrfRejected(Exception):
    """A form arrived without the token this session's pages carry (403)."""


def _secure(request: Request, services: Services) -> bool:
    return services.container.settings.env == "prod" or request.url.scheme == "https"


def csrf_nonce(request: Request) -> str:
    """This browser's nonce: from its cookie, or a fresh one set on the response."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce is None:
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        if len(nonce) < 20:
            nonce = secrets.token_urlsafe(32)
            request.state.new_csrf_nonce = True
        request.state.csrf_nonce = nonce
    return str(nonce)


def csrf_token(request: Request, services: Services) -> str:
    secret = services.container.settings.secret_key.get_secret_value().encode()
    nonce = csrf_nonce(request).encode()
    return hmac.new(secret, b"csrf:" + nonce, hashlib.sha256).hexdigest()


def finish(request: Request, response: Response, services: Services) -> Response:
    """Set the CSRF cookie when this request made a new nonce."""
    if getattr(request.state, "new_csrf_nonce", False):
        response.set_cookie(
            CSRF_COOKIE,
            csrf_nonce(request),
            httponly=True,
            samesite="strict",
            secure=_secure(request, services),
            path="/",
        )
    return response


def _same_origin(request: Request) -> bool:
    """A browser names where a form comes from (Origin, else Referer): it must be this host.

    Without either header (not a browser) the CSRF token alone decides; ``null`` (a
    sandboxed or stripped origin) is refused.
    """
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return True
    if source == "null":
        return False
    return urlsplit(source).netloc == request.headers.get("host", request.url.netloc)


async def check_csrf(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> None:
    """Every state-changing form: same origin, and the token matching this browser's nonce."""
    form = await request.form()  # parsed once; handlers read it again from the cache
    sent = str(form.get(CSRF_FIELD) or "")
    if not request.cookies.get(CSRF_COOKIE) or not _same_origin(request):
        raise CsrfRejected("missing csrf cookie or cross-origin form")
    if not hmac.compare_digest(sent, csrf_token(request, services)):
        raise CsrfRejected("csrf token does not match")


def start_session(request: Request, response: Response, services: Services, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        # The cookie outlives its token by a day: a browser that comes back after the token
        # expired still sends it, so the sign-in page can say the session ended.
        max_age=int((services.signer.lifetime + SESSION_GRACE).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request, services),
        path="/",
    )
    # A new session gets a new CSRF nonce (no token from before the sign-in stays valid).
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(32),
        httponly=True,
        samesite="strict",
        secure=_secure(request, services),
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@dataclass(frozen=True)
class WebUser:
    """The signed-in account on a page: who, what it may do, and its request's caller."""

    principal: Principal
    request_id: str
    commands: frozenset[str]
    readable: frozenset[str] | None

    def caller(self, idempotency_key: str | None = None) -> Caller:
        return Caller(self.principal, request_id=self.request_id, idempotency_key=idempotency_key)

    def may(self, command: str) -> bool:
        """Whether some grant allows this command somewhere (for menus and buttons)."""
        return command in self.commands


def _session_principal(request: Request, services: Services) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return authenticate_bearer(services.container.app, services.signer, token)
    except AuthenticationFailed:
        return None


def _web_user(request: Request, services: Services, principal: Principal) -> WebUser:
    request.state.account = principal.username
    structlog.contextvars.bind_contextvars(account=principal.username)
    user = WebUser(
        principal=principal,
        request_id=request_id(request),
        commands=frozenset(c for c in COMMANDS if principal.roles & set(POLICY[c])),
        readable=services.container.app.policy.readable_offices(principal),
    )
    request.state.web_user = user
    return user


def current_user(request: Request, services: Annotated[Services, Depends(get_services)]) -> WebUser:
    principal = _session_principal(request, services)
    if principal is None:
        raise LoginRequired()
    user = _web_user(request, services, principal)
    services.limiter.hit(f"account:{principal.account_id}")
    return user


def signed_in_user(request: Request, services: Services) -> WebUser | None:
    """The session's account, for a page that did not ask for one (an unknown address, a
    refusal before the page's own check): None when nobody is signed in."""
    known: WebUser | None = getattr(request.state, "web_user", None)
    if known is not None:
        return known
    principal = _session_principal(request, services)
    return None if principal is None else _web_user(request, services, principal)


UserDep = Annotated[WebUser, Depends(current_user)]
CsrfDep = Depends(check_csrf)
