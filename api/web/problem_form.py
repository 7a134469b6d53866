"""The fields a problem is recorded with on a form — its kind (category and sub-type in one
choice) and its 涉及资产 lines — read the same way when it is found and when it is corrected."""

from __future__ import annotations

import re
from typing import Final

from api.web.forms import Form
from api.web.messages import refusal
from application.sheet_rows import asset_of
from domain.errors import DomainError
from domain.issue import MAX_ASSETS, check_assets
from domain.taxonomy import CATEGORIES

ASSETS_HINT: Final = "每行一项：资产编号 资产名称（可不填）"
KIND_LABELS: Final = {"subtype": "问题类别", "category": "问题类别"}
_ASSET_SPLIT = re.compile(r"[\s,，]+", re.UNICODE)


def read_kind(form: Form) -> tuple[str, str]:
    """The category and sub-type the 问题类别 choice names (``category/subtype``)."""
    kind = form.values.get("kind", "")
    category, _, subtype = kind.partition("/")
    if not kind:
        form.error("kind", "请选择问题类别。")
    elif category not in CATEGORIES or subtype not in CATEGORIES[category][1]:
        form.error("kind", "问题类别的取值无效，请从列表中重新选择。")
    return category, subtype


def asset_lines(assets: list[dict[str, str]]) -> str:
    """The asset lines as the 涉及资产 box shows them: one per line, code then name."""
    return "\n".join(" ".join(p for p in (a["code"], a["name"]) if p) for a in assets)


def read_assets(form: Form) -> list[dict[str, str]]:
    """The 涉及资产 box's lines (a code, then a name), each held to the domain's rules for
    an asset line and named by its line number when it breaks one."""
    text = form.values.get("assets", "")
    assets = []
    lines_of: dict[str, int] = {}  # an asset code → the line it is first on
    # split at line feeds only: str.splitlines would also split at \x0b, \x1c or U+2028,
    # and the control characters the rules refuse would pass as line ends
    lines = [(n, line.strip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)]
    for n, line in ((n, line) for n, line in lines if line):
        parts = _ASSET_SPLIT.split(line, maxsplit=1)
        asset = asset_of(parts[0], parts[1] if len(parts) > 1 else "")
        try:
            check_assets([asset])
        except DomainError as exc:
            failure = refusal(exc, {"assets": f"涉及资产第{n}行"})
            form.error("assets", failure.message if failure else "涉及资产填写有误。")
        first = lines_of.setdefault(asset["code"], n) if asset["code"] else n
        if first != n:  # by the box's own line numbers (blank lines count)
            form.error("assets", f"涉及资产第{n}行的资产编号与第{first}行重复，同一资产只填一行。")
        assets.append(asset)
    if len(assets) > MAX_ASSETS:
        form.error("assets", f"涉及资产最多填写{MAX_ASSETS}项（每行一项），现有{len(assets)}项。")
    return assets
