"""Free text (``check_text``): what shows nothing is empty, hidden controls are refused,
and a one-line field keeps to one line. Valid text is stored stripped, as typed."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.taxonomy import check_text

BIDI_CONTROLS = [
    "\u061c",  # Arabic letter mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
]


@pytest.mark.parametrize(
    "value",
    [
        "\u200b\u200b",  # zero-width spaces
        "\u200c\u200d",  # zero-width non-joiner and joiner
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark
        " \u3000\u200b\t",  # full-width space around a zero-width space
        "\u3164",  # Hangul filler: a letter that is drawn as nothing
        "\ufe0f\u034f",  # a variation selector and the combining grapheme joiner
    ],
)
def test_text_that_shows_nothing_counts_as_empty(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(value, field="title", single_line=True)

    assert refused.value.field == "title"
    assert refused.value.message == "title must not be empty"


@pytest.mark.parametrize("single_line", [True, False])
@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_a_bidirectional_control_is_refused_in_every_text_field(
    control: str, single_line: bool
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(f"整改{control}txet", field="reason", single_line=single_line)

    assert refused.value.field == "reason"
    assert refused.value.message.startswith(
        "reason must not contain bidirectional control characters"
    )
    assert f"U+{ord(control):04X}" in refused.value.message


def test_a_lone_right_to_left_override_is_refused_as_such_not_as_empty() -> None:
    with pytest.raises(InvalidInput, match="bidirectional control characters"):
        check_text("\u202e", field="title", single_line=True)


@pytest.mark.parametrize(
    "control",
    ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9b"],
)
def test_a_control_character_is_refused_even_where_lines_are_allowed(control: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(f"第一行\n{control}第二行", field="description", single_line=False)

    assert refused.value.field == "description"
    assert refused.value.message.startswith("description must not contain control characters")


def test_a_control_character_at_the_end_is_refused_not_stripped() -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        check_text("标题\x1f", field="title", single_line=True)


@pytest.mark.parametrize("value", ["a\nb\tc", "第一行\r\n第二行", "办公\t用房", "甲\u2028乙"])
def test_a_single_line_field_refuses_line_breaks_and_tabs(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_text(value, field="title", single_line=True)

    assert refused.value.field == "title"
    assert refused.value.message.startswith("title must be a single line")


def test_a_single_line_field_strips_surrounding_line_breaks_as_before() -> None:
    assert (
        check_text("\n  办公用房长期闲置\r\n", field="title", single_line=True)
        == "办公用房长期闲置"
    )


def test_a_multi_line_field_keeps_its_line_breaks_and_tabs() -> None:
    text = "一、全面清查。\r\n二、补登台账：\t办公设备12台。\n三、建立制度。"

    assert check_text(f"  {text}\n", field="measure", single_line=False) == text


@pytest.mark.parametrize(
    "text",
    [
        "关于“办公用房”长期闲置的问题（第1项）；已整改！",
        "办公用房　长期闲置",  # a full-width space inside
        "资产台账不健全，账实不符……",
        "整改完成👍🏻",
        "家庭👨\u200d👩\u200d👧用房",  # an emoji sequence joined by zero-width joiners
        "安全❤️第一",  # an emoji variation selector
        "标\u200b题",  # a zero-width space beside visible text is kept as typed
    ],
)
def test_ordinary_text_passes_a_single_line_field_as_typed(text: str) -> None:
    assert check_text(f" {text} ", field="title", max_length=200, single_line=True) == text
