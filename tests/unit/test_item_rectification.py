"""Rectified with evidence, verified by another account, flagged when the work was falsified."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.errors import FourEyesViolation, InvalidInput
from tests.unit.domain_builders import (
    CLERK,
    COORD2,
    EVIDENCE,
    SHA,
    TODAY,
    flag,
    item_in,
    rectify,
)


def test_a_rectification_records_its_description_evidence_and_recorder() -> None:
    _, item = item_in("approved")

    rectify(item)

    assert item.status == "rectified"
    assert item.evidence == EVIDENCE
    assert item.rectified_by == CLERK
    assert item.rectified_on == TODAY


def test_evidence_digests_are_stored_in_lower_case() -> None:
    _, item = item_in("approved")
    upper = [{**EVIDENCE[0], "sha256": SHA.upper()}]

    item.rectify(
        description="已整改",
        evidence=upper,
        rectified_on=TODAY,
        today=TODAY,
        found_on=TODAY,
        by=CLERK,
    )

    assert item.evidence[0]["sha256"] == SHA


@pytest.mark.parametrize(
    "reference",
    [
        {"file_name": "a.pdf", "media_type": "application/pdf", "size": 1},
        {**EVIDENCE[0], "sha256": "not-a-digest"},
        {**EVIDENCE[0], "size": -1},
        {**EVIDENCE[0], "size": "big"},
        {**EVIDENCE[0], "file_name": " "},
    ],
    ids=["no-digest", "bad-digest", "negative-size", "size-not-a-number", "no-file-name"],
)
def test_malformed_evidence_is_refused(reference: dict[str, Any]) -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.rectify(
            description="已整改",
            evidence=[reference],
            rectified_on=TODAY,
            today=TODAY,
            found_on=TODAY,
            by=CLERK,
        )

    assert refused.value.field.split("[")[0] == "evidence"
    assert item.status == "approved"


def test_a_rectification_cannot_be_dated_in_the_future() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.rectify(
            description="已整改",
            evidence=[],
            rectified_on=TODAY + timedelta(days=1),
            today=TODAY,
            found_on=TODAY,
            by=CLERK,
        )

    assert refused.value.field == "rectified_on"


def test_a_rectification_needs_at_least_one_evidence_file() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.rectify(
            description="已整改",
            evidence=[],
            rectified_on=TODAY,
            today=TODAY,
            found_on=TODAY,
            by=CLERK,
        )

    assert refused.value.field == "evidence"
    assert item.status == "approved"
    assert item.evidence == []


def test_a_rectification_cannot_be_dated_before_the_problem_was_found() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.rectify(
            description="已整改",
            evidence=EVIDENCE,
            rectified_on=TODAY - timedelta(days=1),
            today=TODAY,
            found_on=TODAY,
            by=CLERK,
        )

    assert refused.value.field == "rectified_on"
    assert item.status == "approved"


def test_a_rectification_needs_a_description() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.rectify(
            description="", evidence=[], rectified_on=TODAY, today=TODAY, found_on=TODAY, by=CLERK
        )

    assert refused.value.field == "description"


@pytest.mark.parametrize("passed", [True, False], ids=["pass", "fail"])
def test_the_account_that_recorded_the_rectification_cannot_verify_it(passed: bool) -> None:
    _, item = item_in("rectified")

    with pytest.raises(FourEyesViolation):
        item.verify(passed=passed, comment="自验", by=CLERK)

    assert item.status == "rectified"
    assert item.collect_events() == []


def test_a_failed_verification_needs_a_comment() -> None:
    _, item = item_in("rectified")

    with pytest.raises(InvalidInput) as refused:
        item.verify(passed=False, comment=" ", by=COORD2)

    assert refused.value.field == "comment"


def test_failed_verifications_are_counted_and_the_item_is_rectified_again() -> None:
    _, item = item_in("verification_failed")

    rectify(item)
    item.verify(passed=False, comment="仍不到位", by=COORD2)

    assert item.status == "verification_failed"
    assert item.failed_verifications == 2


def test_a_new_rectification_is_checked_against_its_own_recorder() -> None:
    _, item = item_in("verification_failed")
    rectify(item, by=COORD2)

    with pytest.raises(FourEyesViolation):
        item.verify(passed=True, comment="", by=COORD2)


def test_flagging_a_verified_item_sends_it_back_to_rectifying() -> None:
    _, item = item_in("verified")

    counted = item.flag_falsification(reason="照片系整改前拍摄")

    assert counted is True
    assert item.status == "rectifying"
    assert item.falsification_flags == 1


def test_flagging_an_unverified_rectification_says_it_had_not_counted() -> None:
    _, item = item_in("rectified")

    counted = item.flag_falsification(reason="佐证材料与实际不符")

    assert counted is False
    assert item.status == "rectifying"


def test_a_falsification_flag_needs_a_reason() -> None:
    _, item = item_in("verified")

    with pytest.raises(InvalidInput) as refused:
        item.flag_falsification(reason="")

    assert refused.value.field == "reason"
    assert item.status == "verified"


def test_a_flagged_item_counts_each_flag() -> None:
    issue, item = item_in("rectifying")
    rectify(item)

    flag(issue, item)

    assert item.falsification_flags == 2
