"""The fonts of the printed cards: an Arabic TrueType font with the presentation forms (required), a
Latin and a monospaced one (built-in Type 1 fonts otherwise), found on this machine and registered
with ReportLab.

A machine without an Arabic font gets a refusal (`FontNotFound`, a CorridorError) that names the
Debian package to install, fonts-noto-core.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..domain.errors import CorridorError

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
# preferred first; each needs the Arabic presentation forms (arabic-reshaper emits them)
ARABIC_FONTS = (
    ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("FreeSerif.ttf", "FreeSerifBold.ttf"),
)
LATIN_FONTS = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)
MONO_FONTS = ("DejaVuSansMono-Bold.ttf", "NotoSansMono-Bold.ttf", "LiberationMono-Bold.ttf")
# isolated alef, initial lam, lam-alef ligature, final yeh: the forms every name needs
_PRESENTATION_PROBE = (0xFE8D, 0xFEDF, 0xFEFB, 0xFEF2, 0xFEE3)
FONT_HINT = (
    "no Arabic TrueType font found for the household cards: install Debian's fonts-noto-core "
    "(apt-get install fonts-noto-core) or set CORRIDOR_ARABIC_FONT to a .ttf with Arabic "
    "presentation forms, such as NotoNaskhArabic-Regular.ttf"
)


class FontNotFound(CorridorError):
    """No usable Arabic font on this machine: a refusal that says which package to install."""

    status = 503
    title = "A font needed for printing is missing"
    slug = "font-missing"

    def __init__(self, detail: str):
        super().__init__(detail, field="fonts")


@dataclass(frozen=True)
class FontSet:
    """Paths of the TrueType fonts the cards embed."""

    arabic: Path
    arabic_bold: Path
    latin: Path | None  # None: ReportLab's built-in Helvetica
    latin_bold: Path | None
    mono: Path | None  # None: built-in Courier-Bold


def _font_files(folders: Sequence[str | Path]) -> dict[str, Path]:
    """Every .ttf under `folders`, by file name (first found wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        root = Path(folder).expanduser()
        if root.is_dir():
            for path in sorted(root.rglob("*.ttf")):
                found.setdefault(path.name, path)
    return found


def _fc_arabic_files() -> list[Path]:
    """Arabic-capable fonts fontconfig knows of, if fc-list is there."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run([fc_list, ":lang=ar", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = (Path(line.split(":")[0].strip()) for line in out.splitlines())
    return sorted(p for p in paths if p.suffix.lower() == ".ttf")


def _covers(path: Path, codepoints: Iterable[int]) -> bool:
    try:
        face = TTFont(f"probe-{path.name}", str(path)).face
    except Exception:  # not a TrueType font ReportLab can embed (CFF, collection, damaged)
        return False
    return all(cp in face.charToGlyph for cp in codepoints)


def _bold_sibling(path: Path, bold_name: str | None) -> Path:
    if bold_name:
        sibling = path.with_name(bold_name)
        if sibling.is_file():
            return sibling
    guess = path.with_name(path.name.replace("-Regular", "-Bold"))
    return guess if guess.is_file() and guess != path else path


@lru_cache(maxsize=4)
def find_fonts(folders: tuple[str | Path, ...] | None = None) -> FontSet:
    """Find the fonts: $CORRIDOR_ARABIC_FONT, then known Noto/DejaVu files, then fontconfig's Arabic fonts.

    `folders`: where to look instead of the usual font folders (then fontconfig is not asked either).
    Raises FontNotFound, naming the package to install, when no Arabic font is found."""
    files = _font_files(FONT_DIRS if folders is None else folders)
    arabic = arabic_bold = None
    override = os.environ.get("CORRIDOR_ARABIC_FONT")
    if override:
        path = Path(override).expanduser()
        if not path.is_file() or not _covers(path, _PRESENTATION_PROBE):
            raise FontNotFound(f"CORRIDOR_ARABIC_FONT={override!r} is not a TrueType font with Arabic presentation forms")
        arabic, arabic_bold = path, _bold_sibling(path, None)
    if arabic is None:
        for regular, bold in ARABIC_FONTS:
            path = files.get(regular)
            if path and _covers(path, _PRESENTATION_PROBE):
                arabic, arabic_bold = path, _bold_sibling(path, bold)
                break
    if arabic is None and folders is None:
        for path in _fc_arabic_files():
            if path.is_file() and _covers(path, _PRESENTATION_PROBE):
                arabic, arabic_bold = path, _bold_sibling(path, None)
                break
    if arabic is None or arabic_bold is None:
        raise FontNotFound(FONT_HINT)
    latin = latin_bold = None
    for regular, bold in LATIN_FONTS:
        if regular in files:
            latin, latin_bold = files[regular], _bold_sibling(files[regular], bold)
            break
    mono = next((files[name] for name in MONO_FONTS if name in files), None)
    return FontSet(arabic, arabic_bold, latin, latin_bold, mono)


@dataclass(frozen=True)
class Faces:
    """ReportLab font names, and the code points each TrueType font covers."""

    arabic: str
    arabic_bold: str
    latin: str
    latin_bold: str
    mono: str
    cover: dict[str, frozenset[int] | None]  # None: built-in Type 1 font (Latin-1)


@lru_cache(maxsize=4)
def register_faces(fonts: FontSet) -> Faces:
    cover: dict[str, frozenset[int] | None] = {}

    def reg(name: str, path: Path | None, builtin: str) -> str:
        if path is None:
            cover[builtin] = None
            return builtin
        name = f"corridor-{name}"
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        cover[name] = frozenset(font.face.charToGlyph)
        return name

    return Faces(
        arabic=reg("arabic", fonts.arabic, ""),
        arabic_bold=reg("arabic-bold", fonts.arabic_bold, ""),
        latin=reg("latin", fonts.latin, "Helvetica"),
        latin_bold=reg("latin-bold", fonts.latin_bold, "Helvetica-Bold"),
        mono=reg("mono", fonts.mono, "Courier-Bold"),
        cover=cover,
    )


def has_glyph(faces: Faces, font: str, char: str) -> bool:
    cover = faces.cover[font]
    return ord(char) < 256 if cover is None else ord(char) in cover
