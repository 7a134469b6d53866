"""The campaign: its units (offices and who oversees whom) and its calendar.

Both are data, loaded from a file; another province loads its own list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.errors import InvalidInput, UnknownUnit
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT, ROLES, check_choice

OFFICE_ROLES = frozenset({"office_staff", "office_lead"})


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str | None = None
    is_office: bool = True


@dataclass(frozen=True)
class Milestone:
    code: str
    label: str
    due: date


@dataclass(frozen=True)
class Campaign:
    name: str
    timezone: str
    units: tuple[Unit, ...]
    milestones: tuple[Milestone, ...]
    _by_code: dict[str, Unit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {u.code: u for u in self.units})

    def unit(self, code: str) -> Unit:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownUnit(f"unknown unit {code!r}", field="office") from None

    def office(self, code: str) -> Unit:
        unit = self.unit(code)
        if not unit.is_office:
            raise UnknownUnit(f"{code!r} is not an office", field="office")
        return unit

    def check_grant(self, role: str, unit: str, *, field: str = "") -> None:
        """A role fits one kind of unit: an office's roles an office, the coordination
        office's and the Finance Department's their own unit, auditors and administrators
        a unit that is not an office. Else an office could approve a disposal as 省财政厅.
        ``field``: where the grant sits in the caller's input (``grants[0].``)."""
        check_choice(role, ROLES, field=f"{field}role")
        try:
            found = self.unit(unit)
        except UnknownUnit as exc:
            raise UnknownUnit(exc.message, field=f"{field}unit") from None
        if role in OFFICE_ROLES:
            fits, where = found.is_office, "an office"
        elif role in ("coordinator", "finance"):
            own = COORDINATION_UNIT if role == "coordinator" else FINANCE_UNIT
            fits, where = unit == own, repr(own)
        else:
            fits, where = not found.is_office, "a unit that is not an office"
        if not fits:
            raise InvalidInput(
                f"role {role} is held at {where}, not at {unit!r}", field=f"{field}unit"
            )

    def offices(self) -> list[Unit]:
        return [u for u in self.units if u.is_office]

    def subtree(self, code: str) -> frozenset[str]:
        """The unit and every unit below it (a parent office answers for its sub-offices)."""
        found = {code}
        changed = True
        while changed:
            changed = False
            for unit in self.units:
                if unit.parent in found and unit.code not in found:
                    found.add(unit.code)
                    changed = True
        return frozenset(found)

    def above(self, code: str) -> list[str]:
        """The units above this one, nearest first (a sub-office's parent office, …)."""
        found: list[str] = []
        parent = self.unit(code).parent
        while parent is not None:
            found.append(parent)
            parent = self.unit(parent).parent
        return found

    def milestone(self, code: str) -> Milestone:
        for m in self.milestones:
            if m.code == code:
                return m
        raise KeyError(code)

    @property
    def rectification_end(self) -> date:
        return self.milestone("rectification_end").due
