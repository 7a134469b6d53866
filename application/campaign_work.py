"""Campaign work (issue 7): milestones, notices, reports and the Excel import.

``CampaignWork`` is the one mixin RectifyApp takes for them.
"""

from __future__ import annotations

from application.imports import ImportCommands
from application.notices import NoticeCommands
from application.reports import ReportCommands


class CampaignWork(ImportCommands, NoticeCommands, ReportCommands):
    """Work groups, self-inspections, notices (通报), reports and sheet imports."""
