"""The sitrep as an A4 PDF, written by the papers' sheet writer (`papers.sheet`): Arabic shaped and every line right
to left, the table's first column on the right, cells too long for their column broken onto lines, numbered pages."""

from __future__ import annotations

from ..fonts import FontSet
from ..papers.sheet import Block, Paper, Table, render
from .document import Document, document

from ..shaping import BIDI_CONTROLS

NARROWEST, WIDEST = 6, 36  # characters: the shares of a table's columns follow their longest texts within these


def _widths(header: list[str], rows: list[list[str]]) -> list[float]:
    """Each column's share of the page: as its longest text (a time and a note get room, a grading little)."""
    def length(text: str) -> int:
        return sum(1 for ch in str(text) if ch not in BIDI_CONTROLS)

    return [min(WIDEST, max(NARROWEST, *(length(r[i]) for r in [header, *rows]))) for i in range(len(header))]


def paper(doc: Document) -> Paper:
    blocks = [Block(s.heading, paragraphs=list(s.paragraphs),
                    tables=[Table(header, rows, _widths(header, rows), size=9) for header, rows in s.tables])
              for s in doc.sections]
    return Paper(lang=doc.lang, title=doc.title, subtitle=doc.subtitle, blocks=blocks, footer=doc.footer)


def render_document(doc: Document, fonts: FontSet | None = None) -> bytes:
    return render([paper(doc)], title=doc.title, fonts=fonts)


def render_pdf(data: dict, lang: str = "en", fonts: FontSet | None = None) -> bytes:
    return render_document(document(data, lang), fonts)
