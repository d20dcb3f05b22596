"""The sitrep as an A4 PDF, written by the papers' sheet writer (`papers.sheet`): Arabic shaped and every line right
to left, the table's first column on the right, cells too long for their column broken onto lines, numbered pages."""

from __future__ import annotations

from ..fonts import FontSet
from ..papers.sheet import Block, Paper, Table, render
from .document import Document, document

FIRST_COLUMN = 0.26  # of the page's width: the row's label; the other columns share the rest


def _widths(columns: int) -> list[float]:
    return [FIRST_COLUMN] + [(1 - FIRST_COLUMN) / (columns - 1)] * (columns - 1) if columns > 1 else [1.0]


def paper(doc: Document) -> Paper:
    blocks = [Block(s.heading, paragraphs=list(s.paragraphs),
                    tables=[Table(header, rows, _widths(len(header)), size=9) for header, rows in s.tables])
              for s in doc.sections]
    return Paper(lang=doc.lang, title=doc.title, subtitle=doc.subtitle, blocks=blocks, footer=doc.footer)


def render_document(doc: Document, fonts: FontSet | None = None) -> bytes:
    return render([paper(doc)], title=doc.title, fonts=fonts)


def render_pdf(data: dict, lang: str = "en", fonts: FontSet | None = None) -> bytes:
    return render_document(document(data, lang), fonts)
