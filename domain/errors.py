"""Domain errors: one named exception per rule.

The API maps each family to one HTTP status in one table (``api/errors.py``).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule the domain enforces."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A value is missing, malformed or outside what the campaign allows (422)."""

    code = "invalid_input"


class DeadlineOutOfRange(InvalidInput):
    """A deadline is in the past or after the campaign's rectification end."""

    code = "deadline_out_of_range"


class DuplicateMeasure(InvalidInput):
    """The problem has a measure of this wording under way already."""

    code = "duplicate_measure"


class RepeatedAsset(InvalidInput):
    """A problem's asset list names one asset code twice (``index`` repeats ``first``)."""

    def __init__(self, message: str, *, field: str, index: int, first: int) -> None:
        super().__init__(message, field=field)
        self.index, self.first = index, first


class UnknownUnit(InvalidInput):
    """A unit code that the campaign does not list."""

    code = "unknown_unit"


class InvalidTransition(DomainError):
    """The command does not apply to the aggregate's current state (409)."""

    code = "invalid_transition"


class IssueNotOpen(InvalidTransition):
    """Items are planned only against an open issue."""

    code = "issue_not_open"


class AlreadyDecided(InvalidTransition):
    """This approving unit has already decided on the current plan."""

    code = "already_decided"


class FourEyesViolation(DomainError):
    """The same account may not both do a thing and check it (403)."""

    code = "four_eyes"


class OfficeMismatch(InvalidInput):
    """An item's office must be its issue's office."""

    code = "office_mismatch"
