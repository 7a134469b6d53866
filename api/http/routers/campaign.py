"""The campaign's units and calendar, and the vocabularies a client needs for its forms."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import AppDep, ReaderDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.campaign import CampaignRead, CategoryRead, LabelRead, MilestoneRead, UnitRead
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, ROLES, SOURCES

router = APIRouter(
    route_class=OffloadedRoute, tags=["campaign"], responses=problem_responses(401, 429)
)


def _labels(vocabulary: dict[str, str]) -> list[LabelRead]:
    return [LabelRead(code=code, label=label) for code, label in vocabulary.items()]


@router.get("/api/units", summary="Every unit: offices, sub-offices, oversight bodies")
def units(caller: ReaderDep, app: AppDep) -> list[UnitRead]:
    campaign = app.campaign
    return [
        UnitRead(
            code=u.code,
            name=u.name,
            parent=u.parent,
            is_office=u.is_office,
            sub_offices=sorted(campaign.subtree(u.code) - {u.code}),
        )
        for u in campaign.units
    ]


@router.get("/api/campaign", summary="The campaign: calendar (milestones) and vocabularies")
def campaign(caller: ReaderDep, app: AppDep) -> CampaignRead:
    today = app.today()
    return CampaignRead(
        name=app.campaign.name,
        timezone=app.campaign.timezone,
        today=today,
        rectification_end=app.campaign.rectification_end,
        milestones=[
            MilestoneRead(
                code=m.code,
                label=m.label,
                due=m.due,
                passed=m.due < today,
                days_left=(m.due - today).days,
            )
            for m in app.campaign.milestones
        ],
        categories=[
            CategoryRead(code=code, label=label, subtypes=_labels(subtypes))
            for code, (label, subtypes) in CATEGORIES.items()
        ],
        sources=_labels(SOURCES),
        measure_types=_labels(MEASURE_TYPES),
        involves=_labels(INVOLVES),
        roles=_labels(ROLES),
    )
