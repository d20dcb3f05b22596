"""Household cards and person wristband strips, printed on A4 (ReportLab).

Each household gets a card (six to a page, with cut lines): its QR code, its
token in large characters, the head's name in Arabic and Latin letters, the
number of persons, where it gathers and where it goes, and its most pressing
MEDEVAC precedence. Each person gets a wristband strip (25 mm x 250 mm, eight
to a page): QR code, token, name in both scripts, precedence and "stretcher".

Arabic is shaped (arabic-reshaper: letters joined into their contextual forms)
and put in visual order (python-bidi levels, with brackets mirrored), then
drawn with an embedded Arabic TrueType font; Latin runs use a Latin font.

The cards carry personal data: they are printed for the household itself.
Nothing here logs names.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
import bidi
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .qr import token_qr

__all__ = [
    "CARDS_PER_PAGE",
    "STRIPS_PER_PAGE",
    "FontNotFound",
    "FontSet",
    "find_fonts",
    "visual_text",
    "write_cards",
]

# ---------------------------------------------------------------- fonts

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


class FontNotFound(RuntimeError):
    """No usable Arabic font on this machine."""


@dataclass(frozen=True)
class FontSet:
    """Paths of the TrueType fonts the cards embed."""

    arabic: Path
    arabic_bold: Path
    latin: Path | None  # None: ReportLab's built-in Helvetica
    latin_bold: Path | None
    mono: Path | None  # None: built-in Courier-Bold


def _font_files() -> dict[str, Path]:
    """Every .ttf under the usual font folders, by file name (first found wins)."""
    found: dict[str, Path] = {}
    for folder in FONT_DIRS:
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


@lru_cache(maxsize=1)
def find_fonts() -> FontSet:
    """Find the fonts: $CORRIDOR_ARABIC_FONT, then known Noto/DejaVu files, then fontconfig's Arabic fonts."""
    files = _font_files()
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
    if arabic is None:
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
class _Faces:
    """ReportLab font names, and the code points each TrueType font covers."""

    arabic: str
    arabic_bold: str
    latin: str
    latin_bold: str
    mono: str
    cover: dict[str, frozenset[int] | None]  # None: built-in Type 1 font (Latin-1)


@lru_cache(maxsize=4)
def _register(fonts: FontSet) -> _Faces:
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

    return _Faces(
        arabic=reg("arabic", fonts.arabic, ""),
        arabic_bold=reg("arabic-bold", fonts.arabic_bold, ""),
        latin=reg("latin", fonts.latin, "Helvetica"),
        latin_bold=reg("latin-bold", fonts.latin_bold, "Helvetica-Bold"),
        mono=reg("mono", fonts.mono, "Courier-Bold"),
        cover=cover,
    )


def _has(faces: _Faces, font: str, char: str) -> bool:
    cover = faces.cover[font]
    return ord(char) < 256 if cover is None else ord(char) in cover


# ---------------------------------------------------------------- right-to-left text

_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": True, "support_ligatures": True, "delete_tatweel": False}
)
_MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
           "«": "»", "»": "«", "‹": "›", "›": "‹", "≤": "≥", "≥": "≤"}
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_RTL_CLASSES = {"R", "AL"}


def _is_rtl(text: str) -> bool:
    """Right-to-left paragraph: the first strong character is Arabic or Hebrew (rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


def _levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level of each character (python-bidi, Unicode bidi algorithm up to I2)."""
    info = bidi.get_display(text, base_dir="R" if rtl else "L", debug=True)
    # the debug form lists one level per UTF-8 byte, between "levels:" and "paragraphs:"
    section = info.split("levels:", 1)[1].split("paragraphs:", 1)[0]
    per_byte = [int(n) for n in _LEVEL.findall(section)]
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi returned levels in an unexpected form")
    levels, offset = [], 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


def visual_text(text: str) -> str:
    """Text in the order it is drawn left to right, Arabic letters shaped and brackets mirrored.

    One line: shaping (arabic-reshaper), then the Unicode bidi algorithm's resolved
    levels (python-bidi), reordering (rule L2) and mirroring (rule L4).
    """
    text = " ".join(text.split())
    if not any(unicodedata.bidirectional(ch) in _RTL_CLASSES | {"AN"} for ch in text):
        return text
    rtl = _is_rtl(text)
    shaped = _RESHAPER.reshape(text)
    levels = _levels(shaped, rtl)
    chars = [(_MIRROR.get(ch, ch) if level % 2 else ch) for ch, level in zip(shaped, levels)]
    order = list(range(len(chars)))
    top = max(levels, default=0)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2: reverse every run at this level or higher
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return "".join(chars[k] for k in order)


# ---------------------------------------------------------------- drawing helpers

def _runs(faces: _Faces, visual: str, arabic: str, latin: str) -> list[tuple[str, str]]:
    """Split a visual-order string into (font, text) runs: Arabic letters in the Arabic font, the rest in Latin."""
    runs: list[tuple[str, str]] = []
    for ch in visual:
        current = runs[-1][0] if runs else None
        if current and ch.isspace():
            font = current
        elif _has(faces, latin, ch) and not ("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"):
            font = latin
        elif _has(faces, arabic, ch):
            font = arabic
        elif current and _has(faces, current, ch):
            font = current
        else:
            font, ch = latin, "?"
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


class _Pen:
    """Draws one-line texts in either script, shrinking or shortening them to fit."""

    def __init__(self, canvas: Canvas, faces: _Faces):
        self.c = canvas
        self.f = faces
        self._cache: dict[tuple[str, bool, bool], list[tuple[str, str]]] = {}  # lives as long as one PDF

    def width(self, text: str, size: float, bold: bool = False, mono: bool = False) -> float:
        return sum(pdfmetrics.stringWidth(t, font, size) for font, t in self._layout(text, bold, mono))

    def _layout(self, text: str, bold: bool, mono: bool) -> list[tuple[str, str]]:
        key = (text, bold, mono)
        if key not in self._cache:
            arabic = self.f.arabic_bold if bold else self.f.arabic
            latin = self.f.mono if mono else (self.f.latin_bold if bold else self.f.latin)
            self._cache[key] = _runs(self.f, visual_text(text), arabic, latin)
        return self._cache[key]

    def text(
        self,
        text: str,
        x: float,
        y: float,
        size: float,
        *,
        width: float,
        align: str = "left",
        bold: bool = False,
        mono: bool = False,
        min_size: float | None = None,
        color: Color = black,
    ) -> float:
        """Draw `text` with its baseline at y inside [x, x + width]; returns the size used."""
        text = " ".join(str(text or "").split())
        if not text:
            return size
        min_size = min_size or size * 0.7
        while size > min_size and self.width(text, size, bold, mono) > width:
            size = max(min_size, size - 0.5)
        if self.width(text, size, bold, mono) > width:
            while len(text) > 1 and self.width(text + "…", size, bold, mono) > width:
                text = text[:-1].rstrip()
            text += "…"
        runs = self._layout(text, bold, mono)
        total = sum(pdfmetrics.stringWidth(t, font, size) for font, t in runs)
        start = {"left": x, "right": x + width - total, "center": x + (width - total) / 2}[align]
        self.c.setFillColor(color)
        for font, t in runs:
            self.c.setFont(font, size)
            self.c.drawString(start, y, t)
            start += pdfmetrics.stringWidth(t, font, size)
        self.c.setFillColor(black)
        return size


def _draw_qr(c: Canvas, token: str, x: float, y: float, size: float, border: int = 2) -> None:
    """The token's QR code as vector squares in a size x size box (lower-left at x, y), quiet zone included."""
    matrix = token_qr(token).matrix
    n = len(matrix)
    module = size / (n + 2 * border)
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(black)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (border + r) * module
        col = 0
        while col < n:
            if row[col] & 1:
                start = col
                while col < n and row[col] & 1:
                    col += 1
                # a hair of overlap so that viewers show no seams between rows
                path.rect(x + (border + start) * module, top - module - 0.05, (col - start) * module, module + 0.1)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)


# ---------------------------------------------------------------- wording

PRECEDENCE_RANK = {"urgent": 0, "priority": 1, "routine": 2, "none": 3}
PRECEDENCE = {  # English, Arabic, fill colour, text colour
    "urgent": ("MEDEVAC URGENT · within 1 h", "إخلاء طبي عاجل · خلال ساعة", Color(0.78, 0.0, 0.0), white),
    "priority": ("MEDEVAC PRIORITY · within 4 h", "إخلاء طبي ذو أولوية · خلال ٤ ساعات", Color(0.96, 0.62, 0.0), black),
    "routine": ("MEDEVAC ROUTINE · within 24 h", "إخلاء طبي روتيني · خلال ٢٤ ساعة", Color(0.0, 0.36, 0.68), white),
}
PRECEDENCE_SHORT = {"urgent": ("URGENT 1 h", "عاجل"), "priority": ("PRIORITY 4 h", "أولوية"),
                    "routine": ("ROUTINE 24 h", "روتيني")}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
GREY = Color(0.45, 0.45, 0.45)
CUT = Color(0.6, 0.6, 0.6)


def _arabic_number(n: int) -> str:
    return str(n).translate(_ARABIC_DIGITS)


def _top_precedence(persons: Sequence[Mapping]) -> str:
    values = [str(p.get("precedence") or "none") for p in persons]
    return min(values, key=lambda v: PRECEDENCE_RANK.get(v, 3), default="none")


def _head(persons: Sequence[Mapping]) -> Mapping:
    return next((p for p in persons if p.get("relationship") == "head"), persons[0] if persons else {})


def _site(sites: Mapping[str, Mapping], code: str | None) -> tuple[str, str]:
    """English and Arabic names of a site, with its code."""
    if not code:
        return "Any reception centre", "أي مركز استقبال"
    site = sites.get(code) or {}
    en = site.get("name_en")
    return (f"{en} ({code})" if en else code), (site.get("name_ar") or en or code)


# ---------------------------------------------------------------- layout

PAGE_W, PAGE_H = A4
CARD_COLS, CARD_ROWS = 2, 3
CARDS_PER_PAGE = CARD_COLS * CARD_ROWS
CARD_MARGIN = 6 * mm  # page margin around the grid of cards: inside every printer's reach
CARD_W = (PAGE_W - 2 * CARD_MARGIN) / CARD_COLS
CARD_H = (PAGE_H - 2 * CARD_MARGIN) / CARD_ROWS
STRIP_W, STRIP_L = 25 * mm, 250 * mm
STRIPS_PER_PAGE = 8
STRIP_X0 = (PAGE_W - STRIPS_PER_PAGE * STRIP_W) / 2
STRIP_Y0 = (PAGE_H - STRIP_L) / 2


def _cut_grid(c: Canvas, xs: Sequence[float], ys: Sequence[float]) -> None:
    """Dashed cut lines running across the page."""
    c.saveState()
    c.setStrokeColor(CUT)
    c.setLineWidth(0.4)
    c.setDash(3, 2)
    for x in xs:
        c.line(x, 0, x, PAGE_H)
    for y in ys:
        c.line(0, y, PAGE_W, y)
    c.restoreState()


def _card(c: Canvas, pen: _Pen, x0: float, y0: float, household: Mapping, sites: Mapping, operation: Mapping) -> None:
    pad = 5 * mm
    left, right = x0 + pad, x0 + CARD_W - pad
    width = right - left
    top = y0 + CARD_H - pad
    persons = list(household.get("persons") or [])
    token = str(household["token"])

    # operation, both languages
    pen.text(operation.get("name_en") or "", left, top - 7, 7, width=width * 0.48, color=GREY)
    pen.text(operation.get("name_ar") or "", left + width * 0.52, top - 7, 8, width=width * 0.48, align="right",
             color=GREY)
    c.setStrokeColor(CUT)
    c.setLineWidth(0.5)
    c.line(left, top - 10, right, top - 10)

    # QR and token
    qr = 33 * mm
    qr_top = top - 12
    _draw_qr(c, token, left - 1.5 * mm, qr_top - qr, qr)
    tx = left + qr + 1 * mm
    tw = right - tx
    pen.text("HOUSEHOLD", tx, qr_top - 10, 7.5, width=tw / 2, color=GREY)
    pen.text("الأسرة", tx + tw / 2, qr_top - 10, 9, width=tw / 2, align="right", color=GREY)
    pen.text(token, tx, qr_top - 30, 22, width=tw, mono=True, min_size=14)
    n = len(persons)
    stretchers = sum(1 for p in persons if p.get("mobility") == "stretcher")
    pen.text(f"{n} person{'s' if n != 1 else ''}", tx, qr_top - 47, 12, width=tw / 2, bold=True)
    pen.text(f"الأفراد: {_arabic_number(n)}", tx + tw / 2, qr_top - 47, 12, width=tw / 2, align="right", bold=True)
    if stretchers:
        pen.text(f"{stretchers} stretcher{'s' if stretchers != 1 else ''}", tx, qr_top - 63, 10, width=tw / 2)
        pen.text(f"نقالة: {_arabic_number(stretchers)}", tx + tw / 2, qr_top - 63, 10.5, width=tw / 2,
                 align="right")

    # head of household, both scripts
    head = _head(persons)
    y = qr_top - qr - 20
    pen.text(head.get("name_ar") or "", left, y, 18, width=width, align="right", bold=True, min_size=11)
    y -= 21
    pen.text(head.get("name_latin") or "", left, y, 13, width=width, bold=True, min_size=8)

    # from, to
    for label_en, label_ar, code in (("From", "من", household.get("gathering_point")),
                                     ("To", "إلى", household.get("destination"))):
        en, ar = _site(sites, code)
        y -= 20
        pen.text(label_en, left, y, 7.5, width=12 * mm, color=GREY)
        pen.text(en, left + 9 * mm, y, 10.5, width=width / 2 - 10 * mm, min_size=7)
        pen.text(label_ar, right - 8 * mm, y, 8.5, width=8 * mm, align="right", color=GREY)
        pen.text(ar, left + width / 2, y, 12, width=width / 2 - 9 * mm, align="right", min_size=8)

    # MEDEVAC precedence, the highest in the household
    level = _top_precedence(persons)
    if level in PRECEDENCE:
        en, ar, fill, ink = PRECEDENCE[level]
        band = 8.5 * mm
        c.setFillColor(fill)
        c.rect(left, y0 + pad - 1 * mm, width, band, stroke=0, fill=1)
        base = y0 + pad - 1 * mm + band / 2 - 3.5
        pen.text(en, left + 2 * mm, base, 9.5, width=width / 2 - 2 * mm, bold=True, color=ink)
        pen.text(ar, left + width / 2, base - 0.5, 11, width=width / 2 - 2 * mm, align="right", bold=True,
                 color=ink)


def _strip(c: Canvas, pen: _Pen, person: Mapping, household_token: str) -> None:
    """One wristband, drawn along the x axis in [0, STRIP_L] x [0, STRIP_W]."""
    token = str(person["token"])
    pad = 2 * mm
    qr = STRIP_W - 2 * pad
    _draw_qr(c, token, pad, pad, qr)
    x = pad + qr + 2 * mm
    text_end = 185 * mm
    upper, lower = STRIP_W - 9.5 * mm, 4 * mm
    pen.text(token, x, upper, 16, width=38 * mm, mono=True, min_size=11)
    badges_end = x
    level = str(person.get("precedence") or "none")
    if level in PRECEDENCE:
        en, ar = PRECEDENCE_SHORT[level]
        fill, ink = PRECEDENCE[level][2:]
        w = 33 * mm
        c.setFillColor(fill)
        c.rect(badges_end, lower - 2 * mm, w, 7.5 * mm, stroke=0, fill=1)
        pen.text(en, badges_end + 1.2 * mm, lower, 8.5, width=w * 0.62, bold=True, color=ink)
        pen.text(ar, badges_end + w * 0.6, lower - 0.4, 9.5, width=w * 0.4 - 1.2 * mm, align="right", bold=True,
                 color=ink)
        badges_end += w + 1.5 * mm
    if person.get("mobility") == "stretcher":
        w = 30 * mm
        c.setFillColor(black)
        c.rect(badges_end, lower - 2 * mm, w, 7.5 * mm, stroke=0, fill=1)
        pen.text("STRETCHER", badges_end + 1.2 * mm, lower, 8.5, width=w * 0.6, bold=True, color=white)
        pen.text("نقالة", badges_end + w * 0.6, lower - 0.4, 9.5, width=w * 0.4 - 1.2 * mm, align="right",
                 bold=True, color=white)
        badges_end += w + 1.5 * mm
    name_x = x + 40 * mm
    pen.text(person.get("name_latin") or "", name_x, upper, 13, width=text_end - name_x, bold=True, min_size=7)
    ar_x = max(badges_end, name_x)
    pen.text(person.get("name_ar") or "", ar_x, lower, 15, width=text_end - ar_x, align="right", bold=True,
             min_size=8)
    # the tail, under the fastening: which household, and the token once more
    c.setStrokeColor(CUT)
    c.setLineWidth(0.4)
    c.setDash(1, 2)
    c.line(text_end + 3 * mm, pad, text_end + 3 * mm, STRIP_W - pad)
    c.setDash()
    tail = text_end + 6 * mm
    pen.text(token, tail, upper, 9, width=STRIP_L - tail - pad, mono=True, color=GREY)
    pen.text(f"household {household_token}", tail, lower + 1, 7, width=STRIP_L - tail - pad, color=GREY)


def write_cards(
    path: str | Path,
    households: list[dict],
    sites: dict[str, dict],
    operation: dict,
    *,
    wristbands: bool = True,
) -> int:
    """Write the household cards, then (unless wristbands=False) the persons' wristband strips; returns pages.

    households: [{"token", "gathering_point", "destination", "persons": [{"token", "name_ar",
    "name_latin", "precedence", "mobility", "vulnerabilities", ("relationship")}]}]; the head is the
    person whose relationship is "head", else the first. sites: {code: {"name_en", "name_ar"}};
    operation: {"name_en", "name_ar"}. Raises FontNotFound when no Arabic font is installed.
    """
    faces = _register(find_fonts())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(path), pagesize=A4, pageCompression=1)
    c.setTitle("corridor household cards")  # no names in the metadata
    c.setAuthor("corridor")
    c.setCreator("corridor")
    pen = _Pen(c, faces)
    pages = 0

    for first in range(0, len(households), CARDS_PER_PAGE):
        _cut_grid(
            c,
            [CARD_MARGIN + i * CARD_W for i in range(CARD_COLS + 1)],
            [CARD_MARGIN + j * CARD_H for j in range(CARD_ROWS + 1)],
        )
        for i, household in enumerate(households[first:first + CARDS_PER_PAGE]):
            col, row = i % CARD_COLS, i // CARD_COLS
            x0 = CARD_MARGIN + col * CARD_W
            y0 = PAGE_H - CARD_MARGIN - (row + 1) * CARD_H
            _card(c, pen, x0, y0, household, sites, operation)
        c.showPage()
        pages += 1

    if wristbands:
        strips = [(p, str(h["token"])) for h in households for p in (h.get("persons") or [])]
        for first in range(0, len(strips), STRIPS_PER_PAGE):
            _cut_grid(
                c,
                [STRIP_X0 + i * STRIP_W for i in range(STRIPS_PER_PAGE + 1)],
                [STRIP_Y0, STRIP_Y0 + STRIP_L],
            )
            for i, (person, household_token) in enumerate(strips[first:first + STRIPS_PER_PAGE]):
                c.saveState()
                # the strip's length runs up the page; its text reads from bottom to top
                c.translate(STRIP_X0 + (i + 1) * STRIP_W, STRIP_Y0)
                c.rotate(90)
                _strip(c, pen, person, household_token)
                c.restoreState()
            c.showPage()
            pages += 1

    c.save()
    return pages
