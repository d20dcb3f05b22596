"""An A4 sheet writer (ReportLab) for the road's papers: titles, paragraphs, tables with chosen column widths and
signature lines, in English (left to right) or Arabic (shaped, right to left: the first column on the right). One
PDF may hold the same paper in several languages, each starting on a new page."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet, find_fonts, register_faces
from ..pen import Pen
from ..shaping import number

__all__ = ["Block", "Paper", "Table", "render"]

MARGIN = 15 * mm
GREY = Color(0.4, 0.4, 0.4)
RULE = Color(0.75, 0.75, 0.75)
WARN = Color(0.72, 0.1, 0.05)
SHRINK = 0.8  # a table's text is drawn at no less than this share of its size before it is wrapped


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # shares of the page's width, in the header's order
    size: float = 8.5


@dataclass
class Block:
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)  # a line to sign under each label


@dataclass
class Paper:
    lang: str
    title: str
    subtitle: str
    blocks: list[Block]
    footer: str

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


class _Writer:
    def __init__(self, fonts: FontSet, title: str):
        self.buffer = io.BytesIO()
        self.c = Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.c.setTitle(title)  # no names in the metadata
        self.c.setAuthor("corridor")
        self.c.setCreator("corridor")
        self.pen = Pen(self.c, register_faces(fonts))
        self.width = A4[0] - 2 * MARGIN
        self.y = A4[1] - MARGIN
        self.paper: Paper | None = None
        self.page = 0

    @property
    def align(self) -> str:
        return "right" if self.rtl else "left"

    @property
    def rtl(self) -> bool:
        """Every line of an Arabic paper runs right to left, whatever its first letter."""
        return bool(self.paper and self.paper.rtl)

    def new_page(self) -> None:
        if self.page:
            self.footer()
            self.c.showPage()
        self.page += 1
        self.y = A4[1] - MARGIN

    def room(self, height: float) -> None:
        if self.y - height < MARGIN + 8 * mm:
            self.new_page()

    def footer(self) -> None:
        if self.paper is not None:
            # the page number alone in the paper's digits: codes in the footer keep theirs
            text = f"{self.paper.footer} · {number(self.page, self.paper.lang)}"
            self.pen.text(text, MARGIN, MARGIN - 4 * mm, 7, width=self.width, align=self.align, color=GREY,
                          rtl=self.rtl)

    def line(self, text: str, size: float, *, bold: bool = False, color=black, gap: float = 1.35) -> None:
        self.room(size * gap)
        self.y -= size * gap
        self.pen.text(text, MARGIN, self.y, size, width=self.width, align=self.align, bold=bold, color=color,
                      rtl=self.rtl)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        return self.pen.lines(text, size, width, bold, rtl=self.rtl)

    def paragraph(self, text: str, size: float = 9.5, color=black, bold: bool = False) -> None:
        for line in self.wrap(text, size, self.width, bold):
            self.line(line, size, color=color, bold=bold)

    def table(self, t: Table) -> None:
        widths = [w * self.width / sum(t.widths) for w in t.widths]
        header = [t.header] if any(t.header) else []  # a table of facts has no header
        for i, row in enumerate([*header, *t.rows]):
            lines = self._cell_lines(row, widths, t.size, bold=bool(header) and i == 0)
            if i > 0 and self.y - self._height(lines, t.size) < MARGIN + 8 * mm:
                self.new_page()
                if header:
                    self._row(self._cell_lines(t.header, widths, t.size, bold=True), widths, t.size, header=True)
            self._row(lines, widths, t.size, header=bool(header) and i == 0)
        self.y -= t.size * 0.8

    def _cell_lines(self, row: list[str], widths: list[float], size: float, bold: bool) -> list[list[str]]:
        """Each cell's lines: one when it fits, shrunk to no less than SHRINK of the size (smaller is hard to read);
        else broken between words, so that nothing on the paper is cut off (a person's fate once ended 'Held at the
        checkpoint (CP-RAM) · n…'). A single word too long still shrinks, down to 0.6 of the size."""
        cells = []
        for text, w in zip(row, widths):
            text = str(text)
            one_line = self.pen.width(text, size * SHRINK, bold, rtl=self.rtl) <= w - 3
            cells.append([text] if one_line else self.wrap(text, size, w - 3, bold) or [""])
        return cells

    @staticmethod
    def _height(lines: list[list[str]], size: float) -> float:
        return size * 1.7 + (max(map(len, lines), default=1) - 1) * size * 1.2

    def _row(self, lines: list[list[str]], widths: list[float], size: float, header: bool) -> None:
        height = self._height(lines, size)
        self.room(height)
        top = self.y - size * 1.7
        cells = list(zip(lines, widths))
        x = MARGIN
        for cell, w in (reversed(cells) if self.rtl else cells):
            for k, text in enumerate(cell):
                self.pen.text(text, x + 1.5, top - k * size * 1.2, size, width=w - 3, align=self.align, bold=header,
                              min_size=size * 0.6, rtl=self.rtl)
            x += w
        self.y -= height
        self.c.setStrokeColor(RULE)
        self.c.line(MARGIN, self.y - size * 0.5, MARGIN + self.width, self.y - size * 0.5)

    def signatures(self, labels: list[str]) -> None:
        for label in labels:
            self.room(22)
            self.y -= 20
            rtl = self.paper.rtl  # the label first in reading order, the line to sign after it
            self.pen.text(label, MARGIN + (self.width * 0.55 if rtl else 0), self.y, 9, width=self.width * 0.45,
                          align=self.align, rtl=rtl)
            self.c.setStrokeColor(black)
            x0 = MARGIN if rtl else MARGIN + self.width * 0.5
            self.c.line(x0, self.y - 2, x0 + self.width * 0.5, self.y - 2)

    def write(self, paper: Paper) -> None:
        if self.page:  # the last page of the paper before, with its own footer
            self.footer()
            self.c.showPage()
        self.paper, self.page = paper, 1
        self.y = A4[1] - MARGIN
        self.line(paper.title, 16, bold=True)
        self.line(paper.subtitle, 9, color=GREY)
        for block in paper.blocks:
            self.y -= 3
            if block.heading:
                self.line(block.heading, 11.5, bold=True, gap=1.7)
            for w in block.warnings:
                self.paragraph(w, 10, color=WARN, bold=True)
            for p in block.paragraphs:
                self.paragraph(p)
            for t in block.tables:
                self.table(t)
            if block.signatures:
                self.signatures(block.signatures)

    def finish(self) -> bytes:
        self.footer()
        self.c.save()
        return self.buffer.getvalue()


def render(papers: list[Paper], *, title: str, fonts: FontSet | None = None) -> bytes:
    """One PDF of the papers, each starting on a new page."""
    writer = _Writer(fonts or find_fonts(), title)
    for paper in papers:
        writer.write(paper)
    return writer.finish()
