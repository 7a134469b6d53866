"""RectifyApp: the one application service behind the API, the CLI and the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Transcoding
from eventsourcing.utils import EnvType

from application.accounts import KnownPrincipals
from application.audit import AuditTrail
from application.campaign_work import CampaignWork
from application.cases import CaseCommands
from application.evidence import EvidenceReads
from application.policy import Policy
from application.ports import Clock, Credentials, SystemClock
from application.reads import CaseReads
from application.tokens import ApiTokenStore, MemoryApiTokens, TokenCommands
from domain.account import Account
from domain.campaign import Campaign
from domain.recording import SYSTEM, recording


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class RectifyApp(CampaignWork, CaseCommands, TokenCommands, CaseReads, EvidenceReads, AuditTrail):
    """Issues, rectification items and accounts, each an event-sourced aggregate."""

    name = "Rectify"
    # Every sign-in is an event on the account, and every request loads the account.
    snapshotting_intervals: ClassVar[dict[Any, int]] = {Account: 50}

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        campaign: Campaign,
        credentials: Credentials,
        clock: Clock | None = None,
        api_tokens: ApiTokenStore | None = None,
    ) -> None:
        self.campaign = campaign
        self.credentials = credentials
        self.api_tokens = api_tokens or MemoryApiTokens()
        self.clock = clock or SystemClock()
        self.policy = Policy(campaign)
        self.known_principals = KnownPrincipals()
        super().__init__(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def bootstrap_admin(self, *, username: str, display_name: str, password: str) -> UUID:
        """Create the first administrator (the only account not created by another)."""
        if self.account_exists(username):
            return Account.create_id(username)
        with recording(SYSTEM, request_id="bootstrap", now=self.clock.now()):
            account = Account.register(username=username, display_name=display_name)
            account.grant(role="admin", unit="admin-bureau")
            account.note_password_changed(reset_by_admin=False)
        self.save(account)
        self.credentials.set_password(account.id, password)
        return account.id
