"""A refusal's code on a page is the one the JSON API answers for the same error: snake_case,
never the name of the exception class behind it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.web.conftest import Console

PDF = b"%PDF-1.7\n" + b"0" * 2000
WRONG_TYPE = ("清单.zip", b"PK\x03\x04" + b"0" * 100, "application/zip")
WRONG_CONTENT = ("盘点表.pdf", b"not a pdf at all", "application/pdf")


def _rectify(console: Console, file: tuple[str, bytes, str]) -> Any:
    _, item_id = console.world.approved_item()
    console.settle()
    console.log_in("bj-clerk")
    form = {"description": "已补登台账", "rectified_on": console.world.today().isoformat()}
    return console.post(f"/items/{item_id}/rectification", form, files={"files": file})


def _api_code(api: Api, file: tuple[str, bytes, str]) -> str:
    answer = api.client.post("/api/evidence", files={"file": file}, headers=api.headers("bj-clerk"))
    assert answer.status_code >= 400, answer.text
    return str(answer.json()["code"])


@pytest.mark.parametrize(
    ("file", "code", "exception"),
    [
        (WRONG_TYPE, "media_type_not_allowed", "MediaTypeNotAllowed"),
        (WRONG_CONTENT, "content_mismatch", "ContentMismatch"),
    ],
    ids=["wrong_type", "wrong_content"],
)
def test_a_refused_evidence_file_on_the_form_shows_the_apis_snake_case_code(
    console: Console, api: Api, file: tuple[str, bytes, str], code: str, exception: str
) -> None:
    page = _rectify(console, file)

    assert f"（代码：{code}）" in page.text
    assert exception not in page.text
    assert _api_code(api, file) == code


def test_a_file_over_the_limit_on_the_form_shows_evidence_too_large(
    console: Console, api: Api
) -> None:
    blobs = console.world.container.blobs
    limit, blobs.max_bytes = blobs.max_bytes, 1000
    try:
        page = _rectify(console, ("盘点表.pdf", PDF, "application/pdf"))
        api_code = _api_code(api, ("盘点表.pdf", PDF, "application/pdf"))
    finally:
        blobs.max_bytes = limit

    assert "（代码：evidence_too_large）" in page.text
    assert "EvidenceTooLarge" not in page.text
    assert api_code == "evidence_too_large"


def test_of_several_files_the_refusal_names_the_one_refused_and_the_limit(
    console: Console,
) -> None:
    blobs = console.world.container.blobs
    limit, blobs.max_bytes = blobs.max_bytes, 1024 * 1024
    _, item_id = console.world.approved_item()
    console.settle()
    console.log_in("bj-clerk")
    before = console.world.last_position()
    form = {"description": "已补登台账", "rectified_on": console.world.today().isoformat()}
    files = [
        ("files", ("盘点表.pdf", PDF, "application/pdf")),
        ("files", ("现场照片合集.pdf", PDF + b"0" * 1024 * 1024, "application/pdf")),
    ]
    try:
        page = console.post(f"/items/{item_id}/rectification", form, files=files)
    finally:
        blobs.max_bytes = limit

    assert page.status_code == 413
    assert "文件“现场照片合集.pdf”超过允许的大小（每个文件不超过 1 MB）" in page.text
    assert "请重新选择" in page.text  # the browser has dropped the files chosen
    assert console.world.last_position() == before
