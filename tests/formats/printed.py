"""What a PDF writer prints, read back as the reader sees it: every text drawn with the pen, its runs (one per
font) joined left to right in the order they stand on the page, bidi marks and isolates already spent."""

from __future__ import annotations

from contextlib import contextmanager

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas


@contextmanager
def printed_texts(monkeypatch):
    """Yields a list that fills, while the block runs, with each text drawn: (page, visual string)."""
    texts: list[tuple[int, str]] = []
    page = [1]
    last = {"end": None}  # where the run before ended (x, y): the next one there belongs to the same text
    draw, show = Canvas.drawString, Canvas.showPage

    def drawn(self, x, y, text, *args, **kw):
        end = (round(x, 2), round(y, 2))
        if texts and last["end"] == end and texts[-1][0] == page[0]:
            texts[-1] = (page[0], texts[-1][1] + text)
        else:
            texts.append((page[0], text))
        last["end"] = (round(x + pdfmetrics.stringWidth(text, self._fontname, self._fontsize), 2), round(y, 2))
        return draw(self, x, y, text, *args, **kw)

    def shown(self, *args, **kw):
        page[0] += 1
        last["end"] = None
        return show(self, *args, **kw)

    monkeypatch.setattr(Canvas, "drawString", drawn)
    monkeypatch.setattr(Canvas, "showPage", shown)
    yield texts
