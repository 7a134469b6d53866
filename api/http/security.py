"""Signed access tokens (JWT, HS256 with the settings' secret) and bearer authentication.

The accepted algorithms are fixed here, never read from the token. Expiry is checked
against the application's clock, so it is testable on any date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID, uuid4

import jwt

from application.errors import AuthenticationFailed
from application.ports import Clock
from application.principal import Principal
from application.service import RectifyApp
from application.tokens import looks_like_api_token
from infrastructure.settings import Settings

ALGORITHM = "HS256"
ALGORITHMS = [ALGORITHM]
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]
VERIFIED_TOKENS_MAXSIZE = 10_000


@dataclass(frozen=True)
class TokenSigner:
    secret: str
    issuer: str
    audience: str
    lifetime: timedelta
    clock: Clock
    _verified: dict[str, tuple[UUID, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> TokenSigner:
        return cls(
            secret=settings.secret_key.get_secret_value(),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime=timedelta(minutes=settings.access_token_minutes),
            clock=clock,
        )

    def issue(self, account_id: UUID) -> str:
        now = self.clock.now()
        claims = {
            "sub": str(account_id),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid4().hex,
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def account_id(self, token: str) -> UUID:
        """The account a valid token names; anything else fails authentication.

        A token whose signature and claims were checked once is remembered (by its exact
        text, with its expiry): later requests with it skip decoding, never the expiry.
        """
        known = self._verified.get(token)
        if known is None:
            known = self._verify(token)
            if len(self._verified) >= VERIFIED_TOKENS_MAXSIZE:
                self._verified.clear()
            self._verified[token] = known
        account_id, expires = known
        if expires <= self.clock.now().timestamp():
            raise AuthenticationFailed("access token has expired")
        return account_id

    def _verify(self, token: str) -> tuple[UUID, float]:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "require": _REQUIRED,
                    "verify_exp": False,  # checked against the application's clock
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError:
            raise AuthenticationFailed("invalid access token") from None
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or exp <= self.clock.now().timestamp():
            raise AuthenticationFailed("access token has expired")
        try:
            return UUID(str(claims["sub"])), float(exp)
        except ValueError:
            raise AuthenticationFailed("invalid access token") from None


def authenticate_bearer(app: RectifyApp, signer: TokenSigner, token: str) -> Principal:
    """A bearer credential is an API token (``rct_…``) or a signed access token."""
    if looks_like_api_token(token):
        return app.authenticate_api_token(token)
    return app.principal(signer.account_id(token))
