"""CJK TrueType fonts from the system's font packages, embedded (subset) in every PDF.

A Song-style face (AR PL UMing, Debian ``fonts-arphic-uming``) sets the body and a Hei
face (WenQuanYi Zen Hei, ``fonts-wqy-zenhei``) the headings; with only one installed it
sets both. Fonts with PostScript outlines (Noto CJK OTF) cannot be embedded by reportlab.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF = "RectifySong"
SANS = "RectifyHei"

# (path, index in the collection) in order of preference.
_SERIF_CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
)
_SANS_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
INSTALL_HINT = "install a CJK TrueType font: apt-get install fonts-wqy-zenhei fonts-arphic-uming"


class NoCjkFont(RuntimeError):
    """No embeddable CJK font is installed."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int


def _first(candidates: tuple[tuple[str, int], ...]) -> FontFile | None:
    for path, index in candidates:
        if Path(path).is_file():
            return FontFile(path, index)
    return None


def _fontconfig() -> FontFile | None:
    """Any TrueType face fontconfig knows for Chinese, as a last resort."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listing = subprocess.run(
        [fc_list, "-f", "%{file}|%{index}|%{fontformat}\n", ":lang=zh"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout
    for line in sorted(listing.splitlines()):
        path, _, rest = line.partition("|")
        index, _, fmt = rest.partition("|")
        if fmt == "TrueType" and path.endswith((".ttf", ".ttc")):
            return FontFile(path, int(index or 0))
    return None


@cache
def register_fonts() -> tuple[str, str]:
    """Register the body and heading faces with reportlab; answers their names."""
    sans = _first(_SANS_CANDIDATES)
    serif = _first(_SERIF_CANDIDATES)
    fallback = sans or serif or _fontconfig()
    if fallback is None:
        raise NoCjkFont(f"no CJK TrueType font found; {INSTALL_HINT}")
    for name, font in ((SERIF, serif or fallback), (SANS, sans or fallback)):
        pdfmetrics.registerFont(TTFont(name, font.path, subfontIndex=font.index))
    return SERIF, SANS
