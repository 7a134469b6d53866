"""Ids as the views store them: text, formatted once for all views.

Every view keys its rows by the text of an aggregate's id, and the same event reaches five
views (an issue's id also reaches every one of its items' events): ``str(uuid)`` runs in
Python, so the text of the ids seen lately is remembered.
"""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

_REMEMBERED = 1 << 16


@lru_cache(maxsize=_REMEMBERED)
def id_text(value: UUID | str) -> str:
    """``str(value)`` of an aggregate id (a UUID, or text already)."""
    return str(value)
