"""Each refusal beside a field names that field as the form labels it."""

from __future__ import annotations

from datetime import timedelta

from tests.web.conftest import Console


def test_a_verification_without_a_verdict_asks_for_the_verdict_by_its_label(
    console: Console,
) -> None:
    _, item_id = console.world.rectified_item()
    console.settle()
    version = console.world.app.get_item(console.world["coord"], item_id).version
    console.log_in("coord")

    answer = console.post(f"/items/{item_id}/verification", {"version": version})

    assert answer.status_code == 422
    assert "请选择核查结论。" in answer.text


def test_a_choice_off_the_list_reads_as_a_sentence(console: Console) -> None:
    _, item_id = console.world.planned_item()
    console.settle()
    console.log_in("bj-clerk")
    plan = {
        "version": "1",
        "measure": "全面清查",
        "measure_type": "basic_management",
        "responsible": "张伟",
        "deadline": (console.world.today() + timedelta(days=20)).isoformat(),
        "involves": "sale",
    }

    answer = console.post(f"/items/{item_id}/replan", plan)

    assert answer.status_code == 422
    assert "是否涉及处置或出租的取值无效，请从列表中重新选择。" in answer.text
