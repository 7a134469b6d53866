"""Who may upload an evidence file (who may download one: ``api.http.deps.EvidenceAccess``)."""

from __future__ import annotations

from application.commanding import CommandingApp
from application.principal import Caller


class EvidenceReads(CommandingApp):
    def check_may_upload(self, caller: Caller) -> None:
        self.policy.authorize_anywhere(caller.principal, "upload_evidence")
