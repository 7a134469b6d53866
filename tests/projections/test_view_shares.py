"""How ``rectify projections run`` shares the views out over its processes."""

from __future__ import annotations

from pathlib import Path

from infrastructure.projection_processes import WEIGHTS, share_out, spread_shares
from infrastructure.settings import load_settings
from projections.registry import VIEW_NAMES


def weight(share: tuple[str, ...]) -> int:
    return sum(WEIGHTS[name] for name in share)


def test_two_shares_hold_every_view_once_and_weigh_about_the_same() -> None:
    shares = share_out(list(VIEW_NAMES), 2)

    assert len(shares) == 2
    assert sorted(v for share in shares for v in share) == sorted(VIEW_NAMES)
    heavier, lighter = sorted(map(weight, shares), reverse=True)
    assert heavier - lighter <= min(WEIGHTS.values())


def test_the_two_heaviest_views_never_share_a_process() -> None:
    heaviest = sorted(WEIGHTS, key=lambda n: -WEIGHTS[n])[:2]

    shares = share_out(list(VIEW_NAMES), 2)

    assert not any(set(heaviest) <= set(share) for share in shares)


def test_one_process_takes_every_view_and_no_process_is_left_empty() -> None:
    assert [sorted(s) for s in share_out(list(VIEW_NAMES), 1)] == [sorted(VIEW_NAMES)]
    assert share_out(["progress"], 4) == [("progress",)]
    assert sorted(share_out(list(VIEW_NAMES), 9)) == sorted((name,) for name in VIEW_NAMES)


def test_every_view_has_a_weight() -> None:
    assert set(WEIGHTS) == set(VIEW_NAMES)


def test_a_catch_up_is_spread_only_from_the_threshold_on_postgres_with_several_processes(
    tmp_path: Path,
) -> None:
    postgres = load_settings(
        database_url="postgresql://rectify@localhost/rectify", projection_spread_events=1000
    )
    sqlite = load_settings(
        database_url=f"sqlite:///{tmp_path / 'one.sqlite3'}", projection_spread_events=1000
    )

    assert len(spread_shares(postgres, VIEW_NAMES, 1000)) == 2
    assert spread_shares(postgres, VIEW_NAMES, 999) == []
    assert spread_shares(postgres, VIEW_NAMES, 5000, processes=1) == []
    assert len(spread_shares(postgres, VIEW_NAMES, 5000, processes=3)) == 3
    assert spread_shares(sqlite, VIEW_NAMES, 5000) == []
