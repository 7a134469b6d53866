"""A title that shows nothing, reorders what is read, or breaks its one line is refused at
both edges: the API answers 422 naming the field; the console says why beside the field."""

from __future__ import annotations

import re

import pytest

from api.web.messages import refusal
from domain.errors import InvalidInput
from tests.api.conftest import Api
from tests.api.test_issues import NEW_ISSUE
from tests.web.conftest import Console

# A title, and what the console says beside it.
BAD_TITLES = {
    "zero-width-only": ("\u200b\u200b", "请填写问题标题。"),
    "lone-override": ("\u202e", "问题标题含有改变文字显示方向的不可见字符"),
    "override": ("\u202etxet", "问题标题含有改变文字显示方向的不可见字符"),
    "line-break-and-tab": ("a\nb\tc", "问题标题只能填写一行"),
}


def _issue_form(console: Console, **fields: str) -> dict[str, str]:
    """The new-problem form filled in well, but for ``fields``."""
    return {
        "office": "bj",
        "kind": "real_estate/long_idle",
        "source": "self_inspection",
        "title": "资产台账不全",
        "found_on": console.world.today().isoformat(),
    } | fields


def assert_refused_beside(console: Console, field: str, message: str, **fields: str) -> None:
    """bj-clerk sends the new-problem form with ``fields``: 422, ``message`` beside
    ``field``, nothing recorded."""
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post("/issues/new", _issue_form(console, **fields))

    assert answer.status_code == 422
    assert f'<p class="field-error" id="{field}-error">{message}' in answer.text
    assert console.world.last_position() == before


@pytest.mark.parametrize("case", BAD_TITLES)
def test_the_api_refuses_a_bad_title_with_422_naming_the_field(api: Api, case: str) -> None:
    title, _ = BAD_TITLES[case]
    before = api.world.last_position()

    answer = api.post("bj-clerk", "/api/issues", NEW_ISSUE | {"title": title})

    assert answer.status_code == 422
    assert answer.json()["field"] == "title"
    assert answer.json()["code"] == "invalid_input"
    assert api.world.last_position() == before


@pytest.mark.parametrize("case", BAD_TITLES)
def test_the_issue_form_shows_why_a_title_is_refused_beside_it(console: Console, case: str) -> None:
    title, message = BAD_TITLES[case]
    assert_refused_beside(console, "title", message, title=title)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("responsible must be a single line (no line breaks or tabs)", "责任人只能填写一行"),
        (
            "reason must not contain bidirectional control characters (found U+202E)",
            "理由含有改变文字显示方向的不可见字符",
        ),
        ("body must not contain control characters (found U+0000)", "正文含有不可见的控制字符"),
    ],
)
def test_each_new_text_refusal_reads_in_chinese(english: str, chinese: str) -> None:
    field = english.split()[0]

    found = refusal(InvalidInput(english, field=field))

    assert found is not None
    assert found.message.startswith(chinese)
    assert (found.field, found.status) == (field, 422)


@pytest.mark.parametrize(
    ("assets", "message"),
    [
        ("ZC-0 桌子\nZC-1\x07 电脑", "涉及资产第2行含有不可见的控制字符"),
        ("ZC-1 电\u202e脑", "涉及资产第1行含有改变文字显示方向的不可见字符"),
        ("ZC-1 " + "名" * 101, "涉及资产第1行不能超过100个字。"),
        ("ZC-1 电\u2028脑", "涉及资产第1行只能填写一行"),
        ("\n".join(f"Z{n} 名" for n in range(101)), "涉及资产最多填写100项（每行一项），现有101项"),
    ],
)
def test_the_issue_form_holds_each_asset_line_to_the_apis_rules(
    console: Console, assets: str, message: str
) -> None:
    """An asset line the API would refuse is refused on the form, by its line number, and
    nothing is recorded (a control character once reached the ledger and broke its export)."""
    assert_refused_beside(console, "assets", message, assets=assets)


def test_the_issue_form_records_a_hundred_asset_lines_of_a_hundred_characters(
    console: Console,
) -> None:
    console.log_in("bj-clerk")
    before = console.world.last_position()
    assets = "\n".join(f"ZC-{n} " + "名" * 100 for n in range(100))

    answer = console.post("/issues/new", _issue_form(console, assets=assets))

    assert answer.status_code == 200  # followed to the case page
    assert console.world.last_position() > before


def test_a_problem_found_before_the_ledgers_start_is_refused_beside_its_date(
    console: Console,
) -> None:
    """1900-01-01 was recorded (flagged 倒签 only), and an exported 0001-01-01 is a date
    Excel cannot show."""
    assert_refused_beside(
        console, "found_on", "发现日期不能早于1970-01-01。", found_on="1900-01-01"
    )


def test_a_problem_form_sent_again_after_going_back_keeps_the_edits_and_links_the_first(
    console: Console,
) -> None:
    """A clerk registers a problem, goes back, corrects the title and sends the same form
    again: nothing more is recorded, the form comes back with the correction kept, the page
    links the problem already registered, and a deliberate second send records a new one."""
    console.log_in("bj-clerk")
    first = _issue_form(console, form_id="a" * 32)
    answer = console.post("/issues/new", first, follow_redirects=False)
    registered = answer.headers["location"].split("?", 1)[0]
    before = console.world.last_position()

    again = console.post("/issues/new", first | {"title": "资产台账不全（已更正）"})

    assert again.status_code == 409
    assert "这张表单已经提交过，问题已经登记" in again.text
    assert f'<a href="{registered}">查看已登记的问题</a>' in again.text
    assert 'value="资产台账不全（已更正）"' in again.text
    assert console.world.last_position() == before
    form_id = re.search(r'name="form_id" value="([^"]+)"', again.text)
    assert form_id is not None
    assert form_id.group(1) != first["form_id"]
    once_more = console.post(
        "/issues/new",
        first | {"title": "资产台账不全（已更正）", "form_id": form_id.group(1)},
        follow_redirects=False,
    )
    assert once_more.status_code == 303
    assert once_more.headers["location"].split("?", 1)[0] != registered


def test_an_asset_listed_twice_is_refused_beside_the_assets_naming_both_lines(
    console: Console,
) -> None:
    assert_refused_beside(
        console,
        "assets",
        "涉及资产第2行的资产编号与第1行重复，同一资产只填一行。",
        assets="ZC-1 电脑\nZC-1 打印机",
    )


def test_an_asset_repeated_after_a_blank_line_is_named_by_its_own_line(
    console: Console,
) -> None:
    assert_refused_beside(
        console,
        "assets",
        "涉及资产第3行的资产编号与第1行重复，同一资产只填一行。",
        assets="ZC-1 电脑\n\nZC-1 打印机",
    )


def test_a_field_too_large_to_read_is_refused_in_chinese_and_records_nothing(
    console: Console,
) -> None:
    """The form parser reads no field past 1 MB (400,000 characters pasted into 问题描述):
    the console says so in Chinese, where it answered the API's English problem+json."""
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post("/issues/new", _issue_form(console, description="名" * 400_000))

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "某一项填写的内容过长（每项不能超过1 MB）" in answer.text
    assert "exceeded" not in answer.text
    assert console.world.last_position() == before
