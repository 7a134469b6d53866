"""ReadModels filters, scopes, sorts and pages; unknown values name the field at fault."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.item import RectificationItem
from tests.builders import World
from tests.projections.support import fresh_views


def test_a_scope_shows_only_its_offices_and_an_empty_scope_shows_nothing(world: World) -> None:
    world.issue(office="bj", title="北京问题")
    world.issue(office="tj", by="tj-clerk", title="天津问题")
    world.issue(office="sh", by="sh-clerk", title="上海问题")
    views = fresh_views(world)

    def titles(**kwargs: Any) -> set[str]:
        return {i.title for i in views.issues(**kwargs).items}

    assert titles(offices=None) == {"北京问题", "天津问题", "上海问题"}
    assert titles(offices=frozenset({"tj"})) == {"天津问题"}
    assert titles(offices=frozenset()) == set()
    assert titles(offices=None, office="bj") == {"北京问题", "天津问题"}
    assert titles(offices=frozenset({"sh"}), office="bj") == set()
    assert views.items(offices=frozenset()).total == 0
    assert views.progress(offices=frozenset()).offices == []
    assert views.accountability(offices=frozenset()) == []


def test_issue_rows_carry_labels_counts_and_who_found_them(world: World) -> None:
    issue_id, _ = world.rectified_item()
    world.item(issue_id, measure="第二项措施")
    row = fresh_views(world).issues(offices=None).items[0]

    assert (row.id, row.office_name, row.parent_office) == (issue_id, "北京办事处", None)
    assert (row.category_label, row.subtype_label, row.source_label) == (
        "基础管理",
        "资产台账不健全",
        "自查",
    )
    assert (row.status, row.status_label, row.found_by_name) == ("open", "整改中", "bj-clerk")
    assert row.item_counts == {"planned": 1, "rectified": 1}
    assert (row.items_total, row.items_verified) == (2, 0)
    assert row.found_at.utcoffset() == timedelta(hours=8), "shown in the campaign's zone"


def test_item_rows_follow_approvals_verification_and_extensions(world: World) -> None:
    _, item_id = world.approved_item(involves="disposal")
    world.app.extend_deadline(
        world["coord"], item_id, new_deadline=world.today() + timedelta(days=40), reason="同意"
    )
    world.app.record_rectification(
        world["bj-clerk"], item_id, description="已处置", evidence=world.evidence()
    )
    world.app.record_verification(world["coord2"], item_id, passed=True, comment="到位")
    row = fresh_views(world).items(offices=None).items[0]

    assert (row.status, row.status_label) == ("verified", "核查通过")
    assert (row.approvals, row.missing_approvals) == (["admin-bureau", "finance"], [])
    assert (row.extensions, row.deadline - row.original_deadline) == (1, timedelta(days=20))
    assert (row.rectified_by_name, row.verified_by_name) == ("bj-clerk", "coord2")
    assert row.version == world.app.load(RectificationItem, item_id).version
    assert not row.falsified


def test_text_status_category_and_source_filters(world: World) -> None:
    world.issue(title="房屋长期闲置", category="real_estate", subtype="long_idle")
    world.issue(title="台账缺失", source="spot_check", by="coord")
    views = fresh_views(world)

    assert [i.title for i in views.issues(offices=None, q="闲置").items] == ["房屋长期闲置"]
    assert [i.title for i in views.issues(offices=None, q="100%").items] == []
    assert [i.title for i in views.issues(offices=None, category="real_estate").items] == [
        "房屋长期闲置"
    ]
    assert [i.title for i in views.issues(offices=None, source="spot_check").items] == ["台账缺失"]
    assert views.issues(offices=None, status="closed").total == 0


def test_sorting_and_paging(world: World) -> None:
    issue = world.issue().id
    for days in (30, 10, 20):
        world.item(issue, deadline=world.today() + timedelta(days=days), responsible=f"人{days}")
    views = fresh_views(world)

    first = views.items(offices=None, sort="deadline", page_size=2)
    second = views.items(offices=None, sort="deadline", page=2, page_size=2)
    backwards = views.items(offices=None, sort="-deadline")

    assert [i.responsible for i in first.items + second.items] == ["人10", "人20", "人30"]
    assert (first.total, first.pages, len(second.items)) == (3, 2, 1)
    assert [i.responsible for i in backwards.items] == ["人30", "人20", "人10"]


@pytest.mark.parametrize(
    ("read", "filters"),
    [
        ("items", {"sort": "deadline"}),
        ("items", {"sort": "-responsible", "status": "planned"}),
        ("items", {"sort": "-deadline", "overdue": False, "q": "人"}),
        ("issues", {"sort": "title"}),
        ("issues", {"sort": "-found_on", "category": "basic_management"}),
    ],
)
def test_a_querys_ids_are_its_rows_on_every_page_in_its_order(
    world: World, read: str, filters: dict[str, Any]
) -> None:
    for title in ("乙", "甲", "丙"):
        issue = world.issue(title=title).id
        for days in (30, 10):
            deadline = world.today() + timedelta(days=days)
            world.item(issue, deadline=deadline, responsible=f"人{days}")
    views = fresh_views(world)

    pages = [getattr(views, read)(offices=None, page=n, page_size=2, **filters) for n in (1, 2, 3)]
    ids = views.row_ids(read, offices=None, **filters)

    assert ids == [row.id for page in pages for row in page.items]
    assert len(ids) == pages[0].total > 2


@pytest.mark.parametrize(
    ("method", "arguments", "field"),
    [
        ("issues", {"sort": "colour"}, "sort"),
        ("issues", {"status": "lost"}, "status"),
        ("issues", {"category": "gardening"}, "category"),
        ("issues", {"source": "rumour"}, "source"),
        ("issues", {"light": "blue"}, "light"),
        ("issues", {"office": "mars"}, "office"),
        ("issues", {"page": 0}, "page"),
        ("items", {"page_size": 100_000}, "page_size"),
        ("items", {"status": "open"}, "status"),
        ("items", {"sort": "-title"}, "sort"),
        ("accountability", {"kind": "lazy"}, "kind"),
    ],
)
def test_unknown_filter_values_name_their_field(
    world: World, method: str, arguments: dict[str, Any], field: str
) -> None:
    views = fresh_views(world)

    with pytest.raises(InvalidInput) as raised:
        getattr(views, method)(offices=None, **arguments)

    assert raised.value.field == field


def test_status_shows_position_head_and_lag(world: World) -> None:
    views = world.container.read_models
    head = world.container.projections.log.head()
    assert {s.lag for s in views.status()} == {head}

    world.container.projections.catch_up()

    assert {(s.position, s.head, s.lag) for s in views.status()} == {(head, head, 0)}
    assert [s.label for s in views.status()][:2] == ["问题清单", "整改台账"]


def test_the_offices_citing_a_file_are_those_of_the_items_whose_rectification_cites_it(
    world: World,
) -> None:
    cited, other, elsewhere = "a" * 64, "b" * 64, "d" * 64

    def rectify(by: str, office: str, *shas: str) -> None:
        _, item_id = world.approved_item(by=by, office=office)
        refs = [
            {"file_name": "盘点表.pdf", "media_type": "application/pdf", "size": 9, "sha256": s}
            for s in shas
        ]
        world.app.record_rectification(world[by], item_id, description="已整改", evidence=refs)

    rectify("bj-clerk", "bj", cited)
    rectify("tj-clerk", "tj", cited, other)
    rectify("sh-clerk", "sh", elsewhere)
    views = fresh_views(world)

    assert views.offices_citing(cited) == {"bj", "tj"}
    assert views.offices_citing(other) == {"tj"}
    assert views.offices_citing("c" * 64) == set()


@pytest.mark.parametrize(
    ("ledger", "arguments", "field"),
    [
        ("issues", {"sort": "colour"}, "sort"),
        ("issues", {"source": "rumour"}, "source"),
        ("items", {"light": "blue"}, "light"),
        ("items", {"office": "mars"}, "office"),
        ("items", {"sort": "found_on"}, "sort"),
    ],
)
def test_a_querys_ids_refuse_what_its_list_refuses(
    world: World, ledger: str, arguments: dict[str, Any], field: str
) -> None:
    views = fresh_views(world)

    with pytest.raises(InvalidInput) as raised:
        views.row_ids(ledger, offices=None, **arguments)

    assert raised.value.field == field
