"""The library's repository, with its aggregate cache made atomic per aggregate and cheaper.

With a cache, ``Repository.get`` fast-forwards the cached aggregate under a lock, releases
it and then deep-copies the aggregate for the caller. A second read of the same aggregate
can apply newer events to it during that copy, and the copy would mix two versions. Here
the fast-forward and the copy happen under one lock per aggregate (striped), and the copy
is a structural one of the aggregate's state (the plain values events leave there) instead
of ``copy.deepcopy``, which costs several times more per command.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from threading import Lock
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import ProjectorFunction, Repository, project_aggregate

T = TypeVar("T")

_IMMUTABLE: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), bytes, UUID, Decimal, date, datetime, time, timedelta}
)


def copied(value: T) -> T:
    """A copy sharing nothing mutable with ``value``: lists, dicts and tuples are rebuilt,
    immutable values shared, anything else deep-copied."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is list:
        return [copied(v) for v in value]  # type: ignore[attr-defined, return-value]
    if kind is dict:
        return {k: copied(v) for k, v in value.items()}  # type: ignore[attr-defined, return-value]
    if kind is tuple:
        return tuple(copied(v) for v in value)  # type: ignore[attr-defined, return-value]
    return deepcopy(value)


def copy_aggregate(aggregate: T) -> T:
    """An independent copy of an aggregate: the same class, its state copied."""
    kind = type(aggregate)
    twin: T = kind.__new__(kind)
    twin.__dict__.update({name: copied(value) for name, value in vars(aggregate).items()})
    return twin


class CachingRepository(Repository[UUID]):
    """Reads of the current state from the cache are atomic per aggregate and cheap to copy."""

    STRIPES = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stripes = tuple(Lock() for _ in range(self.STRIPES))

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        if self.cache is None or version is not None:
            return super().get(aggregate_id, version=version, projector_func=projector_func)
        with self._stripes[hash(aggregate_id) % self.STRIPES]:
            aggregate = super().get(
                aggregate_id,
                projector_func=projector_func,
                fastforward_skipping=fastforward_skipping,
                deepcopy_from_cache=False,
            )
            if deepcopy_from_cache and self.deepcopy_from_cache:
                return copy_aggregate(aggregate)
            return aggregate
