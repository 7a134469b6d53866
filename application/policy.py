"""Who may do what, where: one table shared by the CLI, the API and the web pages.

Each command lists the roles that may run it and how far each role reaches:
``OWN`` — the grant's own unit and the units below it (a parent office answers for its
sub-offices); ``ALL`` — every office.
"""

from __future__ import annotations

from typing import Final

from application.errors import NotFound, PermissionDenied
from application.principal import Grant, Principal
from domain.campaign import Campaign
from domain.recording import Actor

OWN: Final = "own"
ALL: Final = "all"

_OFFICE_HANDS = {"office_staff": OWN, "office_lead": OWN}
_OVERSIGHT_READ = {"coordinator": ALL, "finance": ALL, "auditor": ALL}

POLICY: Final[dict[str, dict[str, str]]] = {
    "read_cases": {**_OFFICE_HANDS, **_OVERSIGHT_READ},
    "find_issue": {**_OFFICE_HANDS, "coordinator": ALL, "finance": ALL},
    "correct_issue": {**_OFFICE_HANDS, "coordinator": ALL},
    "plan_item": dict(_OFFICE_HANDS),
    "replan_item": dict(_OFFICE_HANDS),
    "request_approval": dict(_OFFICE_HANDS),
    "decide_approval": {"coordinator": ALL, "finance": ALL},
    "record_rectification": dict(_OFFICE_HANDS),
    "record_verification": {"coordinator": ALL},
    "request_extension": dict(_OFFICE_HANDS),
    "decide_extension": {"coordinator": ALL},
    "reassign": {**_OFFICE_HANDS, "coordinator": ALL},
    "flag_falsification": {"coordinator": ALL, "auditor": ALL},
    "reopen_issue": {"coordinator": ALL},
    "mark_reported": {"office_lead": OWN, "office_staff": OWN, "coordinator": ALL},
    "name_work_group": {**_OFFICE_HANDS, "coordinator": ALL},
    "submit_self_inspection": dict(_OFFICE_HANDS),
    "import_self_inspection": dict(_OFFICE_HANDS),
    "submit_report": dict(_OFFICE_HANDS),
    "submit_consolidated_report": {"coordinator": ALL},
    "manage_notices": {"coordinator": ALL},
    "upload_evidence": dict(_OFFICE_HANDS),
    "manage_accounts": {"admin": ALL},
    "read_accounts": {"admin": ALL, "auditor": ALL},
    "verify_chain": {"coordinator": ALL, "auditor": ALL},
    "issue_digest": {"coordinator": ALL, "auditor": ALL},
}

COMMANDS: Final = tuple(sorted(POLICY))


class Policy:
    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def grant_for(self, principal: Principal, command: str, office: str | None) -> Grant | None:
        """The first grant that allows the command on this office, if any."""
        rules = POLICY[command]
        for grant in principal.grants:
            reach = rules.get(grant.role)
            if reach == ALL:
                return grant
            if reach == OWN and office is not None and office in self.campaign.subtree(grant.unit):
                return grant
        return None

    def authorize(
        self, principal: Principal, command: str, office: str | None, *, on_office: bool = False
    ) -> Actor:
        """The actor to record, or an error.

        A caller who may not even read the office's cases is told the case is absent (404),
        never that it exists; a caller who can read it but may not act gets 403. A command
        on an office itself (``on_office``: its report, its sheet, its work group) names the
        office the caller gave instead of a case.
        """
        grant = self.grant_for(principal, command, office)
        if grant is not None:
            return principal.actor(grant)
        if office is not None and not self.can_read(principal, office):
            if on_office:
                raise NotFound(f"office {office!r} is not in this account's scope")
            raise NotFound("no such case")
        raise PermissionDenied(f"your roles do not allow {command}")

    def authorize_anywhere(self, principal: Principal, command: str) -> None:
        """For commands not tied to one case yet (an upload): some grant must allow it."""
        if not any(grant.role in POLICY[command] for grant in principal.grants):
            raise PermissionDenied(f"your roles do not allow {command}")

    def can_read(self, principal: Principal, office: str) -> bool:
        return self.grant_for(principal, "read_cases", office) is not None

    def readable_offices(self, principal: Principal) -> frozenset[str] | None:
        """The offices whose cases the caller may read; None means every office."""
        rules = POLICY["read_cases"]
        offices: set[str] = set()
        for grant in principal.grants:
            reach = rules.get(grant.role)
            if reach == ALL:
                return None
            if reach == OWN:
                offices |= self.campaign.subtree(grant.unit)
        return frozenset(offices)
