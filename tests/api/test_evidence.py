"""Evidence: uploads checked against the settings, stored once by SHA-256, fetched in scope."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.api.conftest import Api

PDF = b"%PDF-1.7\n" + b"0" * 2000


def upload(
    api: Api,
    who: str = "bj-clerk",
    data: bytes = PDF,
    media_type: str = "application/pdf",
    name: str = "盘点表.pdf",
    **headers: str,
) -> Any:
    return api.client.post(
        "/api/evidence",
        files={"file": (name, data, media_type)},
        headers=api.headers(who, **headers),
    )


def cite(api: Api, uploaded: dict[str, Any], who: str = "bj-clerk") -> str:
    _, item_id = api.world.approved_item(by=who, office="bj")
    answer = api.post(
        who,
        f"/api/items/{item_id}/rectification",
        {
            "description": "已整改",
            "evidence": [{"sha256": uploaded["sha256"], "file_name": uploaded["file_name"]}],
        },
    )
    assert answer.status_code == 200, answer.text
    return str(item_id)


def test_an_upload_answers_its_sha256_size_and_type(api: Api) -> None:
    answer = upload(api)

    assert answer.status_code == 201
    body = answer.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["size"] == len(PDF)
    assert body["media_type"] == "application/pdf"
    assert body["href"] == f"/api/evidence/{body['sha256']}"


def test_the_same_bytes_twice_are_stored_once(api: Api, tmp_path: Path) -> None:
    first = upload(api).json()
    second = upload(api, "tj-clerk", name="copy.pdf").json()

    assert first["sha256"] == second["sha256"]
    stored = [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [first["sha256"]]
    assert stored[0].parent.name == first["sha256"][:2]


def test_a_file_over_the_limit_answers_413(api: Api) -> None:
    limit = api.services.container.blobs.max_bytes
    api.services.container.blobs.max_bytes = 1000

    answer = upload(api, data=PDF)

    api.services.container.blobs.max_bytes = limit
    assert answer.status_code == 413
    assert answer.json()["field"] == "file"


def test_a_body_declared_far_over_the_limit_is_refused_before_reading(api: Api) -> None:
    answer = api.client.post(
        "/api/evidence",
        content=b"x",
        headers=api.headers("bj-clerk", **{"Content-Length": str(10**10)}),
    )

    assert answer.status_code == 413


def test_a_media_type_off_the_allow_list_answers_415(api: Api) -> None:
    answer = upload(api, data=b"PK\x03\x04zip", media_type="application/zip", name="a.zip")

    assert answer.status_code == 415


def test_a_file_that_is_not_what_it_claims_answers_422(api: Api) -> None:
    answer = upload(api, data=b"MZ\x90\x00 not a pdf")

    assert answer.status_code == 422
    assert answer.json()["field"] == "file"


def test_a_missing_file_part_names_it(api: Api) -> None:
    answer = api.client.post("/api/evidence", data={"other": "x"}, headers=api.headers("bj-clerk"))

    assert answer.status_code == 422
    assert answer.json()["field"] == "file"


def test_an_auditor_may_not_upload(api: Api) -> None:
    assert upload(api, "auditor").status_code == 403


def test_an_upload_retried_with_its_key_answers_alike_and_another_file_422(api: Api) -> None:
    first = upload(api, **{"Idempotency-Key": "up-1"})
    again = upload(api, **{"Idempotency-Key": "up-1"})
    other = upload(api, data=PDF + b"1", **{"Idempotency-Key": "up-1"})

    assert again.status_code == 201
    assert again.json() == first.json()
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"


def test_the_uploader_fetches_the_file(api: Api) -> None:
    sha = upload(api).json()["sha256"]

    answer = api.get("bj-clerk", f"/api/evidence/{sha}")

    assert answer.status_code == 200
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"


def test_a_fetched_file_is_saved_under_a_name_with_its_extension(api: Api) -> None:
    """Not as a bare hash: the name asked for, else the hash's start and the type's ending."""
    sha = upload(api).json()["sha256"]

    named = api.get("bj-clerk", f"/api/evidence/{sha}", params={"name": "盘点表.pdf"})
    unnamed = api.get("bj-clerk", f"/api/evidence/{sha}")

    assert named.headers["content-disposition"].endswith(f"UTF-8''{quote('盘点表.pdf')}")
    assert unnamed.headers["content-disposition"].endswith(f"UTF-8''{sha[:12]}.pdf")


def test_a_name_asked_for_is_held_to_a_file_names_rules_and_loses_its_folders(
    api: Api,
) -> None:
    sha = upload(api).json()["sha256"]

    hidden = api.get("bj-clerk", f"/api/evidence/{sha}", params={"name": "a\x00b.pdf"})
    turned = api.get("bj-clerk", f"/api/evidence/{sha}", params={"name": "a\u202efdp.exe"})
    foldered = api.get("bj-clerk", f"/api/evidence/{sha}", params={"name": "../../etc/passwd"})

    for refused in (hidden, turned):
        assert refused.status_code == 422
        assert refused.json()["field"] == "name"
    assert foldered.headers["content-disposition"].endswith("UTF-8''passwd")
    dots = api.get("bj-clerk", f"/api/evidence/{sha}", params={"name": ".."})
    assert dots.headers["content-disposition"].endswith(f"UTF-8''{sha[:12]}.pdf")


def test_an_uploaded_file_name_is_plain_text_of_one_line(api: Api) -> None:
    turned = upload(api, name="a\u202etxt.exe")
    foldered = upload(api, name="C:\\扫描件\\盘点表.pdf")

    assert turned.status_code == 422
    assert turned.json()["field"] == "file"
    assert foldered.status_code == 201
    assert foldered.json()["file_name"] == "盘点表.pdf"


def test_a_cited_file_name_that_shows_nothing_names_its_entry(api: Api) -> None:
    uploaded = upload(api).json()
    _, item_id = api.world.approved_item(office="bj")

    answer = api.post(
        "bj-clerk",
        f"/api/items/{item_id}/rectification",
        {"description": "已整改", "evidence": [{"sha256": uploaded["sha256"], "file_name": " "}]},
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "evidence[0].file_name"


def test_whoever_may_read_a_citing_case_fetches_it_and_nobody_else(api: Api) -> None:
    uploaded = upload(api).json()
    cite(api, uploaded)
    path = f"/api/evidence/{uploaded['sha256']}"

    assert api.get("coord", path).status_code == 200
    assert api.get("auditor", path).status_code == 200
    assert api.get("bj-clerk2", path).status_code == 200
    assert api.get("tj-clerk", path).status_code == 404
    assert api.get("sh-clerk", path).status_code == 404


def test_a_file_nobody_cites_is_only_its_uploaders(api: Api) -> None:
    sha = upload(api).json()["sha256"]

    assert api.get("coord", f"/api/evidence/{sha}").status_code == 404


def test_citing_another_offices_upload_is_refused(api: Api) -> None:
    uploaded = upload(api, "sh-clerk").json()
    _, item_id = api.world.approved_item()

    answer = api.post(
        "bj-clerk",
        f"/api/items/{item_id}/rectification",
        {"description": "x", "evidence": [{"sha256": uploaded["sha256"], "file_name": "a"}]},
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "evidence[0].sha256"


def test_the_event_records_the_stored_type_and_size(api: Api) -> None:
    uploaded = upload(api).json()
    item_id = cite(api, uploaded)

    item = api.get("bj-clerk", f"/api/items/{item_id}").json()

    assert item["evidence"] == [
        {
            "file_name": "盘点表.pdf",
            "media_type": "application/pdf",
            "size": len(PDF),
            "sha256": uploaded["sha256"],
        }
    ]


def test_an_unknown_or_malformed_digest(api: Api) -> None:
    assert api.get("bj-clerk", f"/api/evidence/{'0' * 64}").status_code == 404
    assert api.get("bj-clerk", "/api/evidence/xyz").status_code == 422


def test_on_any_database_the_same_bytes_are_kept_once(any_api: Api) -> None:
    first = upload(any_api).json()
    again = upload(any_api, "tj-clerk", name="again.pdf").json()

    rows = any_api.services.container.db.execute(
        "SELECT sha256, size FROM rectify_evidence WHERE sha256 = %s", (first["sha256"],)
    )

    assert again["sha256"] == first["sha256"]
    assert [(r[0], int(r[1])) for r in rows] == [(first["sha256"], len(PDF))]
    assert any_api.services.container.blobs.read(first["sha256"]) == PDF
