"""The case page marks a date entered long after it as the ledgers do (倒签日期): the
auditor reads the date there, not only in the lists."""

from __future__ import annotations

from datetime import timedelta

from tests.web.conftest import Console

FLAG = '<span class="flag">倒签日期</span>'


def test_a_backdated_found_on_and_rectification_are_flagged_on_the_case_page(
    console: Console,
) -> None:
    world = console.world
    today = world.today()
    old = world.issue(title="补录的问题", found_on=today - timedelta(days=30)).id
    fresh = world.issue(title="当天的问题", found_on=today).id
    item = world.item(old).id
    world.app.request_approval(world["bj-clerk"], item)
    world.app.decide_approval(world["coord"], item, approve=True, comment="同意")
    world.app.record_rectification(
        world["bj-clerk"],
        item,
        description="早已整改",
        evidence=world.evidence(),
        rectified_on=today - timedelta(days=20),
    )
    console.settle()
    console.log_in("bj-clerk")

    backdated = console.client.get(f"/issues/{old}").text
    on_time = console.client.get(f"/issues/{fresh}").text

    found_line = backdated.split("<dt>发现日期</dt>", 1)[1].split("</div>", 1)[0]
    rectified_line = backdated.split("<strong>整改情况</strong>", 1)[1].split("</p>", 1)[0]
    assert FLAG in found_line
    assert FLAG in rectified_line
    assert FLAG not in on_time


def test_the_case_page_flags_an_item_as_its_ledger_row_does_after_a_second_rectification(
    console: Console,
) -> None:
    """The first rectification was backdated, failed its check, and was done again today:
    the 整改台账 keeps the flag (its claims), so the case page does too."""
    world = console.world
    today = world.today()
    issue = world.issue(title="补录的问题", found_on=today - timedelta(days=30)).id
    item = world.item(issue).id
    world.app.request_approval(world["bj-clerk"], item)
    world.app.decide_approval(world["coord"], item, approve=True, comment="同意")
    rectify = world.app.record_rectification
    rectify(
        world["bj-clerk"],
        item,
        description="早已整改",
        evidence=world.evidence(),
        rectified_on=today - timedelta(days=20),
    )
    world.app.record_verification(world["coord"], item, passed=False, comment="照片不清")
    rectify(world["bj-clerk"], item, description="重新整改", evidence=world.evidence())
    console.settle()
    console.log_in("bj-clerk")

    listed = world.container.read_models.items(offices=None).items[0].claim_flags
    page = console.client.get(f"/issues/{issue}").text

    rectified_line = page.split("<strong>整改情况</strong>", 1)[1].split("</p>", 1)[0]
    assert listed == ["backdated"]
    assert FLAG in rectified_line


def test_an_evidence_file_saved_without_a_name_is_named_alike_by_the_console_and_the_api(
    console: Console,
) -> None:
    sha = console.world.evidence()[0]["sha256"]
    console.log_in("bj-clerk")
    token = console.client.post(
        "/api/auth/token", data={"username": "bj-clerk", "password": "secret"}
    ).json()["access_token"]

    page = console.client.get(f"/evidence/{sha}")
    api = console.client.get(f"/api/evidence/{sha}", headers={"Authorization": f"Bearer {token}"})

    assert page.headers["content-disposition"].endswith(f"''{sha[:12]}.pdf")
    assert api.headers["content-disposition"] == page.headers["content-disposition"]


def test_a_hand_made_download_name_is_refused_on_a_page_or_stripped_of_folders(
    console: Console,
) -> None:
    sha = console.world.evidence()[0]["sha256"]
    console.log_in("bj-clerk")

    hidden = console.client.get(f"/evidence/{sha}", params={"name": "a\x00b.pdf"})
    foldered = console.client.get(f"/evidence/{sha}", params={"name": "../../etc/passwd"})

    assert hidden.status_code == 422
    assert "<!doctype html>" in hidden.text.lower()
    assert foldered.headers["content-disposition"].endswith("''passwd")


def test_the_files_of_an_earlier_rectification_stay_linked_on_the_case_page(
    console: Console,
) -> None:
    """A failed verification, then the office's second try with other files: the auditor
    still downloads what the first try cited."""
    world = console.world
    issue_id, item_id = world.rectified_item()  # cites 盘点表.pdf
    first = world.app.get_item(world["coord"], item_id).evidence[0]
    world.app.record_verification(world["coord"], item_id, passed=False, comment="账实仍不符")
    second = world.container.blobs.upload(
        b"%PDF-1.4\n% second try\n",
        media_type="application/pdf",
        file_name="复盘表.pdf",
        account_id=world["bj-clerk"].principal.account_id,
    ).blob
    world.app.record_rectification(
        world["bj-clerk"],
        item_id,
        description="重新盘点",
        evidence=[
            {
                "file_name": "复盘表.pdf",
                "media_type": second.media_type,
                "size": second.size,
                "sha256": second.sha256,
            }
        ],
    )
    console.settle()
    console.log_in("auditor")

    page = console.client.get(f"/issues/{issue_id}").text
    earlier = page.split('aria-label="此前提交的佐证材料"', 1)[1].split("</ul>", 1)[0]

    assert f'href="/evidence/{first["sha256"]}?name=' in earlier
    assert "盘点表.pdf" in earlier
    assert "复盘表.pdf" not in earlier
    assert f"{first['size']} 字节" in earlier
    assert console.client.get(f"/evidence/{first['sha256']}").status_code == 200
