"""The sitrep as an A4 PDF (ReportLab): Arabic shaped and drawn right to left with the cards' fonts and pen;
in Arabic the table's first column is on the right."""

from __future__ import annotations

import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet, find_fonts, register_faces
from ..pen import Pen
from .document import Document, document

MARGIN = 18 * mm
GREY = Color(0.4, 0.4, 0.4)
RULE = Color(0.75, 0.75, 0.75)


class _Writer:
    def __init__(self, doc: Document, fonts: FontSet):
        self.doc, self.buffer = doc, io.BytesIO()
        self.c = Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.c.setTitle(doc.title)
        self.pen = Pen(self.c, register_faces(fonts))
        self.width = A4[0] - 2 * MARGIN
        self.y = A4[1] - MARGIN
        self.align = "right" if doc.rtl else "left"

    def room(self, height: float) -> None:
        if self.y - height < MARGIN + 10 * mm:
            self.footer()
            self.c.showPage()
            self.y = A4[1] - MARGIN

    def footer(self) -> None:
        self.pen.text(self.doc.footer, MARGIN, MARGIN, 8, width=self.width, align=self.align, color=GREY,
                      rtl=self.doc.rtl)

    def line(self, text: str, size: float, *, bold: bool = False, color=None, gap: float = 1.35) -> None:
        self.room(size * gap)
        self.y -= size * gap
        self.pen.text(text, MARGIN, self.y, size, width=self.width, align=self.align, bold=bold,
                      rtl=self.doc.rtl, **({"color": color} if color else {}))

    def paragraph(self, text: str, size: float = 10) -> None:
        words, current = text.split(), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and self.pen.width(trial, size, rtl=self.doc.rtl) > self.width:
                self.line(current, size)
                current = word
            else:
                current = trial
        if current:
            self.line(current, size)

    def table(self, header: list[str], rows: list[list[str]], size: float = 9) -> None:
        n = len(header)
        widths = [self.width * 0.26] + [self.width * 0.74 / (n - 1)] * (n - 1) if n > 1 else [self.width]
        for i, row in enumerate([header, *rows]):
            self.room(size * 1.6)
            self.y -= size * 1.6
            cells = list(zip(row, widths))
            x = MARGIN
            for text, w in (reversed(cells) if self.doc.rtl else cells):
                self.pen.text(text, x + 2, self.y, size, width=w - 4, align=self.align, bold=i == 0,
                              rtl=self.doc.rtl)
                x += w
            self.c.setStrokeColor(RULE)
            self.c.line(MARGIN, self.y - size * 0.45, MARGIN + self.width, self.y - size * 0.45)
        self.y -= size * 0.8

    def write(self) -> bytes:
        self.line(self.doc.title, 18, bold=True)
        self.line(self.doc.subtitle, 10, color=GREY)
        for section in self.doc.sections:
            self.y -= 4
            self.line(section.heading, 13, bold=True, gap=1.6)
            for p in section.paragraphs:
                self.paragraph(p)
            for header, rows in section.tables:
                self.table(header, rows)
        self.footer()
        self.c.save()
        return self.buffer.getvalue()


def render_pdf(data: dict, lang: str = "en", fonts: FontSet | None = None) -> bytes:
    return _Writer(document(data, lang), fonts or find_fonts()).write()
