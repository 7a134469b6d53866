"""What every schema shares: strict bodies, clean text, pages, who acted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def one_of(values: Iterable[str]) -> dict[str, JsonValue]:
    """An ``enum`` for the documentation; the domain checks the value and names the field."""
    choices: list[JsonValue] = [v for v in sorted(values)]
    return {"enum": choices}


Text = Annotated[str, Field(max_length=2000), AfterValidator(clean_text)]
ShortText = Annotated[str, Field(max_length=200), AfterValidator(clean_text)]
NAME_LENGTH: Final = 100  # a name or a code: an asset's, a person's, a token's
Name = Annotated[str, Field(max_length=NAME_LENGTH), AfterValidator(clean_text)]
Code = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")]


class Body(BaseModel):
    """A request body: unknown fields are refused (no mass assignment)."""

    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ActorRead(Read):
    id: str
    name: str
    role: str
    unit: str
