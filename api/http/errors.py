"""Errors as ``application/problem+json`` (RFC 9457): one table from exception to status.

Every answer that is not a success names what went wrong and, where one field is at fault,
the field. A bug answers a bare 500 without details; the exception goes to the log.
"""

from __future__ import annotations

from typing import Any, Final

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from application.errors import (
    AuthenticationFailed,
    ConcurrentWrite,
    IdempotencyKeyReused,
    NotFound,
    PermissionDenied,
    ReadModelsBehind,
    SignInLocked,
    VersionConflict,
)
from domain.errors import DomainError, FourEyesViolation, InvalidInput, InvalidTransition
from infrastructure.blobstore import (
    ContentMismatch,
    EvidenceTooLarge,
    MediaTypeNotAllowed,
    UploadKeyReused,
)
from infrastructure.digests import DigestError, SigningKeyUnavailable
from infrastructure.rate_limit import RateLimited

PROBLEM_JSON = "application/problem+json"
MAX_DETAIL: Final = 500

# The one table: an exception family and the status it answers. The most specific class
# of an exception that appears here wins (its method resolution order decides).
STATUS: dict[type[Exception], int] = {
    AuthenticationFailed: 401,
    PermissionDenied: 403,
    FourEyesViolation: 403,
    NotFound: 404,
    InvalidTransition: 409,
    ConcurrentWrite: 409,
    DigestError: 409,
    VersionConflict: 412,
    EvidenceTooLarge: 413,
    MediaTypeNotAllowed: 415,
    InvalidInput: 422,
    DomainError: 422,
    IdempotencyKeyReused: 422,
    UploadKeyReused: 422,
    ContentMismatch: 422,
    RateLimited: 429,
    SignInLocked: 429,
    ReadModelsBehind: 503,
    SigningKeyUnavailable: 503,
}

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    503: "Service unavailable",
    500: "Internal server error",
}


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with the field at fault and the request id."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Invalid input",
                    "status": 422,
                    "detail": "deadline: deadline 2020-01-01 is in the past",
                    "code": "deadline_out_of_range",
                    "field": "deadline",
                    "request_id": "3f2c1e0a9b8d4c7e",
                }
            ]
        }
    )

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str
    field: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


def problem(
    request: Request | None,
    status: int,
    detail: str,
    *,
    code: str,
    field: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        code=code,
        field=field,
        request_id=_request_id(request),
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _request_id(request: Request | None) -> str | None:
    if request is None:
        return None
    return getattr(request.state, "request_id", None)


def status_for(exc: Exception) -> int | None:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return None


def _headers_for(exc: Exception, status: int) -> dict[str, str] | None:
    if status == 401:
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, RateLimited | SignInLocked | ReadModelsBehind):
        return {"Retry-After": str(exc.retry_after)}
    return None


async def _known_error(request: Request, exc: Exception) -> JSONResponse:
    status = status_for(exc) or 500
    message = str(getattr(exc, "message", "") or exc)
    field = getattr(exc, "field", None)
    if isinstance(exc, VersionConflict) and field == "expected_version":
        field = "If-Match"  # over HTTP the expected version is the If-Match header
    detail = f"{field}: {message}" if field and not message.startswith(field) else message
    if len(detail) > MAX_DETAIL:  # a refused value is quoted, never echoed whole
        detail = detail[: MAX_DETAIL - 1] + "…"
    code = error_code(exc)
    return problem(
        request, status, detail, code=code, field=field, headers=_headers_for(exc, status)
    )


def error_code(exc: Exception) -> str:
    """The machine-readable code of a refusal: the error's own ``code``, else its class name
    in snake_case (``EvidenceTooLarge`` → ``evidence_too_large``); the web console shows
    the same."""
    name = type(exc).__name__
    own = str(getattr(exc, "code", "") or "")
    return own or "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def field_name(loc: tuple[int | str, ...]) -> str:
    """``("body", "evidence", 0, "sha256")`` → ``evidence[0].sha256``; headers keep their case."""
    where, *rest = loc if loc else ("body",)
    if where == "header" and rest:
        return "-".join(part.capitalize() for part in str(rest[0]).split("-"))
    parts = [str(where)] if not rest else []
    for part in rest:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}" if parts else str(part))
    return "".join(parts) or "body"


def _field_error(error: dict[str, Any]) -> FieldError:
    """A body that is not JSON is the body's fault: pydantic places it at a character
    offset (``("body", 10)``), which names no field; the offset goes into the message."""
    loc, message = tuple(error.get("loc", ())), str(error.get("msg", ""))
    if error.get("type") == "json_invalid":
        at = next((part for part in loc if isinstance(part, int)), None)
        return FieldError(field="body", message=message + ("" if at is None else f" at {at}"))
    return FieldError(field=field_name(loc), message=message)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or "invalid request"
    first = errors[0].field if errors else None
    return problem(request, 422, detail, code="validation_error", field=first, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:  # a body that cannot be parsed: bad input like any other
        detail = f"body: {exc.detail}" if isinstance(exc.detail, str) else "body: unreadable"
        return problem(request, 422, detail, code="validation_error", field="body")
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return problem(
        request,
        exc.status_code,
        detail,
        code=TITLES.get(exc.status_code, "error").lower().replace(" ", "_"),
        headers=dict(exc.headers) if exc.headers else None,
    )


def unexpected_error(request: Request | None) -> JSONResponse:
    """A bug: a bare 500 that gives nothing away (the log has the traceback)."""
    return problem(request, 500, "an unexpected error occurred", code="internal_error")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    structlog.get_logger("rectify.http").exception("unhandled_error")
    return unexpected_error(request)


def install_error_handlers(app: FastAPI) -> None:
    for exc_class in STATUS:
        app.add_exception_handler(exc_class, _known_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


_EXAMPLES: dict[int, tuple[str, str, str | None]] = {
    401: ("missing or invalid bearer token", "unauthenticated", None),
    403: ("your roles do not allow record_verification", "forbidden", None),
    404: ("no RectificationItem 0f8fad5b-d9cb-469f-a165-70867728950e", "not_found", None),
    409: ("cannot verify: item is planned", "invalid_transition", None),
    412: ("expected_version: the case is at version 5, not 4", "version_conflict", "If-Match"),
    413: ("file is larger than 20971520 bytes", "evidence_too_large", "file"),
    415: ("media type 'application/zip' is not allowed", "media_type_not_allowed", "file"),
    422: ("deadline: Field required", "validation_error", "deadline"),
    429: ("more than 600 requests in a minute; retry in 12 s", "rate_limited", None),
    503: (
        "the ledgers are still catching up with the latest records; export again in a few seconds",
        "read_models_behind",
        None,
    ),
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can give, each with an example."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        detail, code, field = _EXAMPLES[status]
        example = {"type": "about:blank", "title": TITLES[status], "status": status}
        example |= {"detail": detail, "code": code, "request_id": "3f2c1e0a9b8d4c7e"}
        if field:
            example["field"] = field
        responses[status] = {
            "description": TITLES[status],
            "content": {
                PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": example,
                }
            },
        }
    return responses
