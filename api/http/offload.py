"""Blocking route handlers run in the thread pool once per request, not twice.

FastAPI runs a plain ``def`` handler in the thread pool, then, because the handler was not
a coroutine, validates its answer against the response model in the pool again: two hops
of the request into a worker thread and back, each waking a thread under the GIL. A route
of an ``OffloadedRoute`` router runs such a handler from a coroutine of the same signature
that hops into the pool once, so the answer is validated on the event loop (it is already
the response model's instance: little work). Handlers declared ``async def`` are left as
they are. Everything else (dependencies, validation, errors, the OpenAPI schema) is
FastAPI's own, since the wrapper carries the handler's signature and annotations.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def offloaded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` as a coroutine function that runs it in the thread pool; a coroutine
    function, a generator function (a streamed answer) or any other callable is left as it
    is, for FastAPI to run its own way."""
    if not inspect.isfunction(handler) or (
        inspect.iscoroutinefunction(handler)
        or inspect.isgeneratorfunction(handler)
        or inspect.isasyncgenfunction(handler)
    ):
        return handler

    @functools.wraps(handler)
    async def in_pool(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(handler, *args, **kwargs)

    return in_pool


class OffloadedRoute(APIRoute):
    """An API route whose blocking handler costs one thread-pool hop (see above)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, offloaded(endpoint), **kwargs)
