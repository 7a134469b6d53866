"""Days and counts in words a clerk reads at a glance: a deadline today is 今天到期, not
剩0天; a problem with no measure yet is 尚未制定, not 0/0."""

from __future__ import annotations

from tests.web.conftest import Console


def test_a_deadline_today_reads_due_today_and_an_unplanned_problem_not_yet_planned(
    console: Console,
) -> None:
    world = console.world
    issue_id = world.issue(title="今天到期的问题").id
    item_id = world.item(issue_id, deadline=world.today()).id
    bare = world.issue(title="尚无措施的问题").id
    console.settle()
    console.log_in("bj-clerk")

    case = console.client.get(f"/issues/{issue_id}").text
    ledger = console.client.get("/items?office=bj").text
    unplanned = console.client.get(f"/issues/{bare}").text
    issues = console.client.get("/issues?office=bj").text

    card = case.split(f'id="item-{item_id}"', 1)[1].split("</article>", 1)[0]
    assert "今天到期" in card
    assert "剩0天" not in card
    row = ledger.split(f"#item-{item_id}", 1)[1].split("</tr>", 1)[0]
    assert "今天到期" in row
    assert "剩0天" not in row
    assert "尚未制定" in unplanned.split("<dt>整改事项</dt>", 1)[1].split("</div>", 1)[0]
    bare_row = issues.split(f'href="/issues/{bare}"', 1)[1].split("</tr>", 1)[0]
    assert "尚未制定" in bare_row
    assert "0/0" not in bare_row
