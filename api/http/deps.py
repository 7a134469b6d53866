"""Dependencies as ``Annotated`` aliases: the wired services, the caller, headers, paging.

Those that only compute are ``async def``: FastAPI runs them on the event loop, while every
plain ``def`` costs a hop into the thread pool and back. Only what touches the database or
waits stays ``def`` (authentication here; the route handlers themselves).

Login is required by default: every route that takes a ``ReaderDep`` or ``WriterDep``
authenticates the bearer token, counts the request against the account's rate limit and
records the account for the request's log line, once per request however many of its
dependencies ask for the caller.

Each dependency a request resolves costs FastAPI's solver work of its own (a cache key, its
own parameters, a call), about as much as a command's own Python. So what every request
needs (the caller, a write's wiring) is built by one dependency from the request and its
headers with plain calls, not assembled from a tree of small ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import structlog
from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer

from api.http.schemas.items import EvidenceCite
from api.http.security import TokenSigner, authenticate_bearer
from api.moments import LaterThanToday, OutOfYears, read_as_of, read_moment
from application.commanding import CommandResult
from application.errors import AuthenticationFailed
from application.principal import Caller, Principal
from application.service import RectifyApp
from domain.errors import InvalidInput
from infrastructure.blobstore import BlobStore
from infrastructure.container import Container
from infrastructure.rate_limit import RateLimiter
from infrastructure.settings import Settings
from projections.queries import ReadModels


@dataclass
class Services:
    """What the HTTP app holds: the container and the HTTP edge's own helpers."""

    container: Container
    signer: TokenSigner
    limiter: RateLimiter


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_app(services: ServicesDep) -> RectifyApp:
    return services.container.app


async def get_settings(services: ServicesDep) -> Settings:
    return services.container.settings


async def get_blobs(services: ServicesDep) -> BlobStore:
    return services.container.blobs


async def get_read_models(services: ServicesDep) -> ReadModels:
    return services.container.read_models


AppDep = Annotated[RectifyApp, Depends(get_app)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
ReadModelsDep = Annotated[ReadModels, Depends(get_read_models)]

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/auth/token",
    scheme_name="OAuth2",
    description="Sign in with a username and password (demo: bj-clerk / demo), "
    "or send an API token (rct_…) as the bearer token.",
    auto_error=False,
)


BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def authenticate(request: Request, token: str | None) -> Principal:
    """The caller the bearer token names, once per request: counted against the account's
    rate limit and noted for the request's log line. Reads the account (blocking)."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    if not token:
        raise AuthenticationFailed("missing bearer token (Authorization: Bearer …)")
    services = services_of(request)
    principal = authenticate_bearer(services.container.app, services.signer, token)
    request.state.principal = principal
    request.state.account = principal.username
    structlog.contextvars.bind_contextvars(account=principal.username)
    services.limiter.hit(f"account:{principal.account_id}")
    return principal


def get_principal(request: Request, token: BearerToken) -> Principal:
    return authenticate(request, token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def get_reader(request: Request, token: BearerToken) -> Caller:
    return Caller(authenticate(request, token), request_id=request_id(request))


async def get_scope(app: AppDep, principal: PrincipalDep) -> frozenset[str] | None:
    """The offices whose cases the caller may read (None: every office)."""
    return app.policy.readable_offices(principal)


ScopeDep = Annotated[frozenset[str] | None, Depends(get_scope)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A retry with the same key and body returns the first answer and "
        "records nothing new; the same key with another body is refused (422).",
        examples=["7c9e6679-7425-40de-944b-e07fc1f90ae7"],
    ),
]


def get_writer(
    request: Request, token: BearerToken, idempotency_key: IdempotencyKey = None
) -> Caller:
    return Caller(
        authenticate(request, token),
        request_id=request_id(request),
        idempotency_key=idempotency_key,
    )


ReaderDep = Annotated[Caller, Depends(get_reader)]
WriterDep = Annotated[Caller, Depends(get_writer)]


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=40,
        pattern=r'^\s*(\*|(W/)?"?\d{1,9}"?)\s*$',
        description="The ETag (version) you last read; a write to a case that changed "
        "since then answers 412.",
        examples=['"3"'],
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names (None: any, or no header)."""
    if if_match is None or if_match.strip() == "*":
        return None
    return int(if_match.strip().removeprefix("W/").strip('"'))


async def get_expected_version(if_match: IfMatch = None) -> int | None:
    return expected_version(if_match)


ExpectedVersionDep = Annotated[int | None, Depends(get_expected_version)]


def etag(version: int) -> str:
    return f'"{version}"'


MOMENT_TEXT = (
    "a date (that day in the campaign's time zone) or a moment (ISO 8601; without a zone "
    "offset it is read in the campaign's time zone)"
)


async def get_as_of(
    request: Request,
    as_of: Annotated[
        str | None,
        Query(
            max_length=40,
            description=f"Show the state at this moment: {MOMENT_TEXT}; a date means the end "
            "of that day",
            examples=["2026-10-01", "2026-10-01T12:00:00+08:00"],
        ),
    ] = None,
) -> datetime | None:
    container = services_of(request).container
    today = container.app.today()
    return moment(container.settings, as_of, field="as_of", end_of_day=True, today=today)


def moment(
    settings: Settings,
    text: str | None,
    *,
    field: str,
    end_of_day: bool,
    today: date | None = None,
) -> datetime | None:
    """A moment from a query parameter, in UTC: a date is the start of that day or, for
    an upper bound, its end (as in the console and on the command line); with ``today``,
    an as-of moment, on today at the latest."""
    if text is None:
        return None
    tz = ZoneInfo(settings.timezone)
    try:
        if today is not None:
            value = read_as_of(text, tz, today=today)
        else:
            value = read_moment(text, tz, end_of_day=end_of_day)
    except (OutOfYears, LaterThanToday) as exc:
        raise InvalidInput(f"{field} {exc}", field=field) from None
    except ValueError:
        raise InvalidInput(
            f"{field} must be a date (2026-09-01) or a moment (2026-09-01T12:00:00+08:00)",
            field=field,
        ) from None
    return value.astimezone(UTC)


AsOfDep = Annotated[datetime | None, Depends(get_as_of)]


@dataclass(frozen=True)
class Paging:
    page: int
    page_size: int


async def get_paging(
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    page_size: Annotated[
        int, Query(ge=1, le=10_000, description="Rows per page, capped by the server")
    ] = 50,
) -> Paging:
    return Paging(page=page, page_size=min(page_size, settings.max_page_size))


PagingDep = Annotated[Paging, Depends(get_paging)]


class Settle:
    """Read-your-writes: after a write, wait (bounded) until the read models include it.

    Calling it blocks: only sync route handlers (run in the thread pool) call it.
    """

    def __init__(self, services: Services, response: Response) -> None:
        self.services = services
        self.response = response

    def __call__(self, result: CommandResult, *, location: str) -> None:
        self.wait(result.position)
        self.response.headers["ETag"] = etag(result.version)
        self.response.headers["Location"] = location

    def wait(self, position: int | None) -> None:
        """Until the read models hold the log up to ``position`` (a write's last event)."""
        read_your_write(self.services.container, position)


def read_your_write(container: Container, position: int | None) -> None:
    """Wait (bounded by RECTIFY_READ_YOUR_WRITES_SECONDS) until the read models hold the log
    up to ``position``; past the bound the answer goes out anyway, and the log says so."""
    if position is None:
        return
    caught_up = container.projections.wait_for(
        position, container.settings.read_your_writes_seconds
    )
    if not caught_up:
        structlog.get_logger("rectify.http").warning("read_models_behind", position=position)


class EvidenceAccess:
    """Who may fetch or cite a file: its uploader, or whoever may read a case citing it
    (the citing items' offices from the item ledger, by the file's hash)."""

    def __init__(self, container: Container) -> None:
        self.app = container.app
        self.blobs = container.blobs
        self.read_models = container.read_models

    def may_read(self, caller: Caller, sha256: str) -> bool:
        if self.blobs.uploaded_by(sha256, caller.principal.account_id):
            return True
        offices = self.read_models.offices_citing(sha256)
        return any(self.app.policy.can_read(caller.principal, office) for office in offices)


async def get_evidence_access(request: Request) -> EvidenceAccess:
    return EvidenceAccess(services_of(request).container)


EvidenceAccessDep = Annotated[EvidenceAccess, Depends(get_evidence_access)]


class EvidenceRefs:
    """Turn cited files into the references an event records (type and size from the store)."""

    def __init__(self, access: EvidenceAccess) -> None:
        self.access = access

    def __call__(self, cites: list[EvidenceCite], caller: Caller) -> list[dict[str, object]]:
        refs: list[dict[str, object]] = []
        for n, cite in enumerate(cites):
            blob = self.access.blobs.head(cite.sha256)
            if blob is None or not self.access.may_read(caller, cite.sha256):
                raise InvalidInput(
                    "no uploaded file with this sha256 (upload it with POST /api/evidence)",
                    field=f"evidence[{n}].sha256",
                )
            refs.append(
                {
                    "file_name": cite.file_name,
                    "media_type": blob.media_type,
                    "size": blob.size,
                    "sha256": blob.sha256,
                }
            )
        return refs


async def get_evidence_refs(access: EvidenceAccessDep) -> EvidenceRefs:
    return EvidenceRefs(access)


EvidenceRefsDep = Annotated[EvidenceRefs, Depends(get_evidence_refs)]
