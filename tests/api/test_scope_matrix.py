"""Office scope, generated from the app's route table.

For every route that takes an id, a token from another office gets 404, in both
directions; account routes are for administrators only; no list leaks another office's
cases. A new route whose path names a parameter this file does not know fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from tests.api.conftest import Api
from tests.builders import WORK_GROUP

# Each parameter that names something belonging to an office, and how to fill it in.
CASE_PARAMS = {"issue_id", "item_id", "sha256", "office", "report_id", "notice_id"}
ACCOUNT_PARAMS = {"account_id", "token_id", "username"}
NOT_IDS = {"fmt"}  # a file format in a download's path
# Coordinator-only commands on a notice check the role before looking anything up: every
# other caller gets the same 403 whether or not the notice exists, which reveals nothing.
ROLE_GATED = {
    ("PATCH", "/api/notices/{notice_id}"),
    ("POST", "/api/notices/{notice_id}/issue"),
    ("POST", "/api/notices/{notice_id}/discard"),
}
ABSENT = "00000000-0000-4000-8000-000000000000"
# Who must not see whose cases: (caller, office of the case). tj is below bj: bj's clerk
# sees tj's cases, tj's clerk does not see bj's.
STRANGERS = [("sh-clerk", "bj"), ("bj-clerk", "sh"), ("tj-clerk", "bj")]
CLERK_OF = {"bj": "bj-clerk", "sh": "sh-clerk"}


def routes(api: Api) -> list[tuple[str, str]]:
    """(method, path) of every API route, routers included, hidden ones too (not the pages
    that document the API: /docs, /redoc and Swagger UI's OAuth2 redirect)."""
    documenting = {"/docs", "/redoc", api.app.swagger_ui_oauth2_redirect_url}
    found = []
    for context in iter_route_contexts(api.app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not context.path or not context.methods:
            continue
        if context.path in documenting:
            continue
        found.extend((method, context.path) for method in sorted(context.methods))
    return found


def params(path: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", path))


def bodies(api: Api) -> dict[tuple[str, str], Any]:
    later = (api.world.today() + timedelta(days=25)).isoformat()
    # one file every account uploaded, so that a rectification's body is valid for anyone
    # and the answer is the case's scope or the caller's role, never the evidence
    refs = [api.world.evidence(by)[0] for by in api.world.callers]
    evidence = [{"sha256": refs[0]["sha256"], "file_name": refs[0]["file_name"]}]
    return {
        ("POST", "/api/issues/{issue_id}/reopen"): {"reason": "复查"},
        ("POST", "/api/issues/{issue_id}/correction"): {"title": "更正", "reason": "r"},
        ("POST", "/api/issues/{issue_id}/items"): {
            "measure": "m",
            "measure_type": "conduct",
            "responsible": "r",
            "deadline": later,
        },
        ("POST", "/api/items/{item_id}/replan"): {
            "measure": "m",
            "measure_type": "conduct",
            "responsible": "r",
            "deadline": later,
        },
        ("POST", "/api/items/{item_id}/approval-request"): {},
        ("POST", "/api/items/{item_id}/approvals"): {"decision": "approve"},
        ("POST", "/api/items/{item_id}/rectification"): {"description": "d", "evidence": evidence},
        ("POST", "/api/items/{item_id}/verification"): {"result": "pass"},
        ("POST", "/api/items/{item_id}/deadline-extensions"): {
            "new_deadline": later,
            "reason": "r",
        },
        ("POST", "/api/items/{item_id}/reassignment"): {"responsible": "x", "reason": "r"},
        ("POST", "/api/items/{item_id}/falsification-flags"): {"reason": "r"},
        ("PUT", "/api/offices/{office}/work-group"): WORK_GROUP | {"reason": "换人"},
        ("POST", "/api/offices/{office}/self-inspection"): {"note": "更正"},
        ("PATCH", "/api/notices/{notice_id}"): {"title": "t", "reason": "r"},
        ("POST", "/api/notices/{notice_id}/issue"): {"number": "机管国资〔2026〕9号"},
        ("POST", "/api/notices/{notice_id}/discard"): {"reason": "重复起草"},
    }


@dataclass
class OfficeCases:
    office: str
    issue_id: UUID
    item_id: UUID
    sha256: str
    report_id: UUID
    notice_id: UUID

    def ids(self) -> set[str]:
        ids = {self.issue_id, self.item_id, self.report_id, self.notice_id}
        return {self.sha256, *map(str, ids)}

    def url(self, path: str, **extra: object) -> str:
        return path.format(
            **extra,
            issue_id=self.issue_id,
            item_id=self.item_id,
            sha256=self.sha256,
            office=self.office,
            report_id=self.report_id,
            notice_id=self.notice_id,
            fmt="pdf",
        )


def office_cases(api: Api, office: str) -> OfficeCases:
    clerk = CLERK_OF[office]
    data = f"%PDF-1.4 evidence of {office}".encode()
    uploaded = api.client.post(
        "/api/evidence",
        files={"file": ("f.pdf", data, "application/pdf")},
        headers=api.headers(clerk),
    ).json()
    issue_id, item_id = api.world.approved_item(office=office, by=clerk)
    cited = api.post(
        clerk,
        f"/api/items/{item_id}/rectification",
        {"description": "d", "evidence": [{"sha256": uploaded["sha256"], "file_name": "f.pdf"}]},
    )
    assert cited.status_code == 200, cited.text
    app, world = api.world.app, api.world
    app.record_verification(world["coord2"], item_id, passed=True)
    app.flag_falsification(world["auditor"], item_id, reason="照片系整改前拍摄")
    app.name_work_group(world[clerk], office=office, **WORK_GROUP)
    report = app.submit_report(world[clerk], office=office)
    api.settle()
    notice = app.draft_notice(
        world["coord"], record_ids=[f"falsified:{item_id}"], recipients=[office]
    )
    app.issue_notice(world["coord"], notice.id, number=f"机管国资〔2026〕{ord(office[0])}号")
    return OfficeCases(
        office=office,
        issue_id=issue_id,
        item_id=item_id,
        sha256=uploaded["sha256"],
        report_id=report.id,
        notice_id=notice.id,
    )


@pytest.fixture
def cases(api: Api) -> dict[str, OfficeCases]:
    made = {office: office_cases(api, office) for office in CLERK_OF}
    api.settle()
    return made


def test_the_route_table_is_read_whole(api: Api) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in api.client.get("/openapi.json").json()["paths"].items()
        for method in operations
    }
    assert len(routes(api)) >= 35
    assert documented == set(routes(api))


def test_every_path_parameter_is_covered(api: Api) -> None:
    unknown = {
        (method, path, param)
        for method, path in routes(api)
        for param in params(path)
        if param not in CASE_PARAMS | ACCOUNT_PARAMS | NOT_IDS
    }
    assert unknown == set(), "add these routes to the scope matrix"


def test_every_case_route_is_404_for_another_office(
    api: Api, cases: dict[str, OfficeCases]
) -> None:
    table = bodies(api)
    checked = 0
    for method, path in routes(api):
        if not params(path) & CASE_PARAMS:
            continue
        for stranger, office in STRANGERS:
            url = cases[office].url(path)
            if method == "GET":
                answer = api.get(stranger, url)
            else:
                assert (method, path) in table, f"give {method} {path} a valid body here"
                answer = api.client.request(
                    method, url, json=table[(method, path)], headers=api.headers(stranger)
                )
            if (method, path) in ROLE_GATED:
                absent = api.client.request(
                    method,
                    url.replace(str(cases[office].notice_id), ABSENT),
                    json=table[(method, path)],
                    headers=api.headers(stranger),
                )
                assert (answer.status_code, absent.status_code) == (403, 403), url
                continue
            assert answer.status_code == 404, (stranger, method, url, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked >= 3 * 16


def test_the_own_office_reaches_every_case_read_route(
    api: Api, cases: dict[str, OfficeCases]
) -> None:
    for method, path in routes(api):
        if method != "GET" or not params(path) & CASE_PARAMS:
            continue
        for office, clerk in CLERK_OF.items():
            url = cases[office].url(path)
            assert api.get(clerk, url).status_code == 200, (clerk, url)


def test_account_routes_are_for_administrators_only(api: Api) -> None:
    tj = api.world["tj-clerk"].principal.account_id
    for method, path in routes(api):
        if not params(path) & ACCOUNT_PARAMS:
            continue
        url = path.format(account_id=tj, token_id=tj, username="tj-clerk")
        answer = api.get("bj-clerk", url) if method == "GET" else api.post("bj-clerk", url, {})
        assert answer.status_code in (403, 422), (method, url)
        if method == "POST":  # with a body that passes validation, the role decides
            full = {"reason": "r", "role": "office_staff", "unit": "tj", "name": "n"}
            full |= {"password": "long-enough"}
            answer = api.post("bj-clerk", url, _only_known(api, method, path, full))
            assert answer.status_code == 403, (method, url, answer.text)


def _only_known(api: Api, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    schema = api.client.get("/openapi.json").json()
    ref = schema["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[1]
    known = schema["components"]["schemas"][name]["properties"]
    return {k: v for k, v in body.items() if k in known}


def test_no_list_shows_another_offices_cases(api: Api, cases: dict[str, OfficeCases]) -> None:
    lists = [p for m, p in routes(api) if m == "GET" and not params(p) and p.startswith("/api/")]
    assert {"/api/issues", "/api/items", "/api/audit/events", "/api/progress"} <= set(lists)
    for stranger, office in STRANGERS:
        foreign = cases[office].ids()
        for path in lists:
            text = api.get(stranger, path, params={"page_size": 200}).text
            leaked = {i for i in foreign if i in text}
            assert leaked == set(), (stranger, path, leaked)


def test_lists_do_show_the_own_offices_cases(api: Api, cases: dict[str, OfficeCases]) -> None:
    for path in ("/api/issues", "/api/items", "/api/audit/events"):
        for office, clerk in CLERK_OF.items():
            text = api.get(clerk, path).text
            assert str(cases[office].issue_id) in text, (clerk, path)


def test_progress_shows_only_the_callers_offices(api: Api, cases: dict[str, OfficeCases]) -> None:
    offices = {o["office"] for o in api.get("sh-clerk", "/api/progress").json()["offices"]}

    assert offices <= {"sh", "cq"}


def test_auditors_write_nothing_but_falsification_flags_and_digests(
    api: Api, cases: dict[str, OfficeCases]
) -> None:
    """Every write route, generated from the route table: an auditor is refused (403)."""
    table = bodies(api) | {
        ("POST", "/api/issues"): {
            "office": "bj",
            "category": "use",
            "subtype": "misuse",
            "source": "spot_check",
            "title": "t",
        },
        ("POST", "/api/accounts"): {"username": "new-one", "display_name": "n", "password": "pw12"},
        ("POST", "/api/notices"): {"records": [f"falsified:{cases['bj'].item_id}"]},
        ("POST", "/api/reports"): {"office": "bj"},
        ("POST", "/api/accounts/{account_id}/role-grants"): {"role": "auditor", "unit": "tj"},
        ("POST", "/api/accounts/{account_id}/role-revocations"): {
            "role": "office_staff",
            "unit": "tj",
        },
        ("POST", "/api/accounts/{account_id}/disablement"): {"reason": "r"},
        ("POST", "/api/accounts/{account_id}/enablement"): {"reason": "r"},
        ("POST", "/api/accounts/{account_id}/password-reset"): {"password": "long-enough"},
        ("POST", "/api/accounts/{account_id}/api-tokens"): {"name": "n"},
        ("POST", "/api/accounts/{account_id}/api-tokens/{token_id}/revocation"): {"reason": "r"},
        ("POST", "/api/audit/digests"): {},
    }
    template = api.get(
        "coord", "/api/imports/self-inspection/template.xlsx", params={"office": "bj"}
    )
    uploads = {
        "/api/evidence": ("f.pdf", b"%PDF-1.4 x", "application/pdf", {}),
        "/api/imports/self-inspection": (
            "t.xlsx",
            template.content,
            "application/octet-stream",
            {"office": "bj"},
        ),
    }
    allowed = {
        ("POST", "/api/items/{item_id}/falsification-flags"),
        ("POST", "/api/auth/token"),
        ("POST", "/api/me/password"),  # every account, its own password (test_own_password)
        ("POST", "/api/audit/digests"),  # an auditor signs the chain head it verified
    }
    tj = api.world["tj-clerk"].principal.account_id
    checked = 0
    for method, path in routes(api):
        if method == "GET" or (method, path) in allowed:
            continue
        url = cases["bj"].url(path, account_id=tj, token_id=tj)
        if path in uploads:
            name, content, media_type, form = uploads[path]
            answer = api.client.post(
                url,
                data=form,
                files={"file": (name, content, media_type)},
                headers=api.headers("auditor"),
            )
        else:
            assert (method, path) in table, f"give {method} {path} a valid body here"
            answer = api.client.request(
                method, url, json=table[(method, path)], headers=api.headers("auditor")
            )
        assert answer.status_code == 403, (method, path, answer.text)
        checked += 1
    assert checked >= 25
