"""Drawing on a card: one-line texts in either script that shrink or shorten to fit (`Pen`), and QR
codes as vector squares (`draw_qr`)."""

from __future__ import annotations

from reportlab.lib.colors import Color, black, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..domain.text import has_arabic
from .fonts import Faces, has_glyph
from .qr import token_qr
from .shaping import BIDI_CONTROLS, visual_text

PLACEHOLDER = "\ufffd"  # REPLACEMENT CHARACTER: something is here that cannot be printed
# zero-width joiner and the text/emoji variation selectors (invisible parts of emoji sequences), and the
# marks and isolates that have already set the order of the line
_INVISIBLE = frozenset("\u200d\ufe0e\ufe0f") | BIDI_CONTROLS

def _font_for(faces: Faces, ch: str, current: str | None, arabic: str, latin: str) -> str | None:
    """The font to draw `ch` in: Arabic letters in the Arabic font, the rest in Latin; None if none can."""
    if current and ch.isspace():
        return current
    if has_glyph(faces, latin, ch) and not has_arabic(ch):
        return latin
    if has_glyph(faces, arabic, ch):
        return arabic
    if current and has_glyph(faces, current, ch):
        return current
    return None


def _runs(faces: Faces, visual: str, arabic: str, latin: str) -> list[tuple[str, str]]:
    """Split a visual-order string into (font, text) runs.

    Characters no loaded font can draw (emoji, mostly) are not printed as "?", which reads like a
    letter: each run of them becomes one
    PLACEHOLDER (U+FFFD; "?" only where the built-in Type 1 fonts are all there is)."""
    runs: list[tuple[str, str]] = []
    undrawable = False  # the character before could not be drawn
    for ch in visual:
        if ch in _INVISIBLE:  # invisible in themselves
            continue
        font = _font_for(faces, ch, runs[-1][0] if runs else None, arabic, latin)
        if font is None:
            if undrawable:
                continue
            font, ch, undrawable = latin, PLACEHOLDER if has_glyph(faces, latin, PLACEHOLDER) else "?", True
        else:
            undrawable = False
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


class Pen:
    """Draws one-line texts in either script, shrinking or shortening them to fit."""

    def __init__(self, canvas: Canvas, faces: Faces):
        self.c = canvas
        self.f = faces
        # lives as long as one PDF
        self._cache: dict[tuple[str, bool, bool, bool | None], list[tuple[str, str]]] = {}

    def width(self, text: str, size: float, bold: bool = False, mono: bool = False, rtl: bool | None = None) -> float:
        return sum(pdfmetrics.stringWidth(t, font, size) for font, t in self._layout(text, bold, mono, rtl))

    def _layout(self, text: str, bold: bool, mono: bool, rtl: bool | None) -> list[tuple[str, str]]:
        key = (text, bold, mono, rtl)
        if key not in self._cache:
            arabic = self.f.arabic_bold if bold else self.f.arabic
            latin = self.f.mono if mono else (self.f.latin_bold if bold else self.f.latin)
            self._cache[key] = _runs(self.f, visual_text(text, rtl), arabic, latin)
        return self._cache[key]

    def lines(self, text: str, size: float, width: float, bold: bool = False, rtl: bool | None = None) -> list[str]:
        """`text` in lines no wider than `width` at `size`, broken between words (a word wider than that alone)."""
        out, current = [], ""
        for word in str(text or "").split():
            trial = f"{current} {word}".strip()
            if current and self.width(trial, size, bold, rtl=rtl) > width:
                out.append(current)
                current = word
            else:
                current = trial
        return [*out, current] if current else out

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
        rtl: bool | None = None,
    ) -> float:
        """Draw `text` with its baseline at y inside [x, x + width]; returns the size used.

        `rtl`: the line's direction (True on an Arabic paper); None: from its first strong character."""
        text = " ".join(str(text or "").split())
        if not text:
            return size
        min_size = min_size or size * 0.7
        while size > min_size and self.width(text, size, bold, mono, rtl) > width:
            size = max(min_size, size - 0.5)
        if self.width(text, size, bold, mono, rtl) > width:
            while len(text) > 1 and self.width(text + "…", size, bold, mono, rtl) > width:
                text = text[:-1].rstrip()
            text += "…"
        runs = self._layout(text, bold, mono, rtl)
        total = sum(pdfmetrics.stringWidth(t, font, size) for font, t in runs)
        start = {"left": x, "right": x + width - total, "center": x + (width - total) / 2}[align]
        self.c.setFillColor(color)
        for font, t in runs:
            self.c.setFont(font, size)
            self.c.drawString(start, y, t)
            start += pdfmetrics.stringWidth(t, font, size)
        self.c.setFillColor(black)
        return size


def draw_qr(c: Canvas, token: str, x: float, y: float, size: float, border: int = 2) -> None:
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
