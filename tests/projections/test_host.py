"""The embedded projection host: a thread that follows the log; read-your-writes waits."""

from __future__ import annotations

from tests.builders import World


def test_a_started_host_lets_a_reader_wait_for_its_own_write(world: World) -> None:
    host = world.container.projections
    host.start()
    try:
        result = world.issue(office="hn", by="coord", title="海南问题")

        assert host.wait_for(result.position, timeout=30)

        views = world.container.read_models
        assert [i.title for i in views.issues(offices=frozenset({"hn"})).items] == ["海南问题"]
        assert min(host.positions().values()) >= (result.position or 0)
    finally:
        host.stop()
    assert not host.running


def test_without_a_running_host_a_wait_ends_unfulfilled(world: World) -> None:
    host = world.container.projections
    result = world.issue()

    assert host.wait_for(None, timeout=0)
    assert not host.wait_for(result.position, timeout=0.05)
    host.catch_up()
    assert host.wait_for(result.position, timeout=0)


def test_catching_up_reports_progress_batch_by_batch(world: World) -> None:
    host = world.container.projections
    host.batch_size = 10
    seen: list[tuple[int, int]] = []

    read = host.catch_up(on_batch=lambda position, head: seen.append((position, head)))

    head = host.log.head()
    assert read == head
    assert [p for p, _ in seen] == [min(n, head) for n in range(10, head + 10, 10)]
    assert {h for _, h in seen} == {head}
    assert host.catch_up() == 0
