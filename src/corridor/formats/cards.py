"""Household cards and person wristband strips, printed on A4 (ReportLab).

Each household gets a card (six to a page, with cut lines): its QR code, its
token in large characters, the head's name in Arabic and Latin letters, the
number of persons, where it gathers and where it goes, and its most pressing
MEDEVAC precedence. Each person gets a wristband strip (25 mm x 250 mm, eight
to a page): QR code, token, name in both scripts, precedence and "stretcher".

The words of precedence and mobility are the vocabulary's (`domain.vocabulary`).
Fonts are found in `fonts`, right-to-left text is shaped in `shaping`, and the
`pen` draws one-line texts and QR codes; this module lays out the pages.

The cards carry personal data: they are printed for the household itself.
Nothing here logs names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..domain.values import Mobility, Precedence
from ..domain.vocabulary import ANY_RECEPTION_CENTRE, label, short_label
from .fonts import FontNotFound, FontSet, find_fonts, register_faces
from .pen import PLACEHOLDER, Pen, draw_qr
from .shaping import number, visual_text

__all__ = [
    "CARDS_PER_PAGE",
    "PLACEHOLDER",
    "STRIPS_PER_PAGE",
    "FontNotFound",
    "FontSet",
    "find_fonts",
    "visual_text",
    "write_cards",
]

# ---------------------------------------------------------------- wording

# fill and text colour of each MEDEVAC precedence's band and badge (the words are the vocabulary's)
PRECEDENCE_COLOURS = {
    Precedence.URGENT: (Color(0.78, 0.0, 0.0), white),
    Precedence.PRIORITY: (Color(0.96, 0.62, 0.0), black),
    Precedence.ROUTINE: (Color(0.0, 0.36, 0.68), white),
}
GREY = Color(0.45, 0.45, 0.45)
CUT = Color(0.6, 0.6, 0.6)


def _precedence(value: object) -> Precedence:
    try:
        return Precedence(value or Precedence.NONE.value)
    except ValueError:
        return Precedence.NONE


def _top_precedence(persons: Sequence[Mapping]) -> Precedence:
    return min((_precedence(p.get("precedence")) for p in persons), key=lambda p: p.rank, default=Precedence.NONE)


def _head(persons: Sequence[Mapping]) -> Mapping:
    return next((p for p in persons if p.get("relationship") == "head"), persons[0] if persons else {})


def _site(sites: Mapping[str, Mapping], code: str | None) -> tuple[str, str]:
    """English and Arabic names of a site, with its code."""
    if not code:
        return ANY_RECEPTION_CENTRE.en, ANY_RECEPTION_CENTRE.ar
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


def _card(c: Canvas, pen: Pen, x0: float, y0: float, household: Mapping, sites: Mapping, operation: Mapping) -> None:
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
    draw_qr(c, token, left - 1.5 * mm, qr_top - qr, qr)
    tx = left + qr + 1 * mm
    tw = right - tx
    pen.text("HOUSEHOLD", tx, qr_top - 10, 7.5, width=tw / 2, color=GREY)
    pen.text("الأسرة", tx + tw / 2, qr_top - 10, 9, width=tw / 2, align="right", color=GREY)
    pen.text(token, tx, qr_top - 30, 22, width=tw, mono=True, min_size=14)
    n = len(persons)
    stretchers = sum(1 for p in persons if p.get("mobility") == Mobility.STRETCHER.value)
    pen.text(f"{n} person{'s' if n != 1 else ''}", tx, qr_top - 47, 12, width=tw / 2, bold=True)
    pen.text(f"الأفراد: {number(n, 'ar')}", tx + tw / 2, qr_top - 47, 12, width=tw / 2, align="right", bold=True)
    if stretchers:
        stretcher_en, stretcher_ar = label(Mobility.STRETCHER).lower(), label(Mobility.STRETCHER, "ar")
        pen.text(f"{stretchers} {stretcher_en}{'s' if stretchers != 1 else ''}", tx, qr_top - 63, 10, width=tw / 2)
        pen.text(f"{stretcher_ar}: {number(stretchers, 'ar')}", tx + tw / 2, qr_top - 63, 10.5, width=tw / 2,
                 align="right")

    # head of household, both scripts
    head = _head(persons)
    y = _name(pen, head.get("name_ar") or "", left, qr_top - qr - 20, 18, 11, width, align="right")
    y = _name(pen, head.get("name_latin") or "", left, y - 21, 13, 8, width)

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
    if level in PRECEDENCE_COLOURS:
        en, ar = label(level, "en").upper(), label(level, "ar")
        fill, ink = PRECEDENCE_COLOURS[level]
        band = 8.5 * mm
        c.setFillColor(fill)
        c.rect(left, y0 + pad - 1 * mm, width, band, stroke=0, fill=1)
        base = y0 + pad - 1 * mm + band / 2 - 3.5
        pen.text(en, left + 2 * mm, base, 9.5, width=width / 2 - 2 * mm, bold=True, color=ink)
        pen.text(ar, left + width / 2, base - 0.5, 11, width=width / 2 - 2 * mm, align="right", bold=True,
                 color=ink)


def _name(pen: Pen, text: str, x: float, y: float, size: float, min_size: float, width: float,
          align: str = "left") -> float:
    """A name on one line, shrunk down to `min_size`; a name longer than that on two lines at `min_size` (the
    second shortened with '…' only past two lines' worth). Returns the baseline of its last line."""
    if pen.width(text, min_size, bold=True) <= width:
        pen.text(text, x, y, size, width=width, align=align, bold=True, min_size=min_size)
        return y
    lines = pen.lines(text, min_size, width, bold=True)
    lines = [lines[0], " ".join(lines[1:])] if len(lines) > 1 else lines
    for i, line in enumerate(lines):
        pen.text(line, x, y - i * min_size * 1.2, min_size, width=width, align=align, bold=True, min_size=min_size)
    return y - (len(lines) - 1) * min_size * 1.2


def _strip(c: Canvas, pen: Pen, person: Mapping, household_token: str) -> None:
    """One wristband, drawn along the x axis in [0, STRIP_L] x [0, STRIP_W]."""
    token = str(person["token"])
    pad = 2 * mm
    qr = STRIP_W - 2 * pad
    draw_qr(c, token, pad, pad, qr)
    x = pad + qr + 2 * mm
    text_end = 185 * mm
    upper, lower = STRIP_W - 9.5 * mm, 4 * mm
    pen.text(token, x, upper, 16, width=38 * mm, mono=True, min_size=11)
    badges_end = x
    level = _precedence(person.get("precedence"))
    if level in PRECEDENCE_COLOURS:
        en, ar = short_label(level, "en"), short_label(level, "ar")
        fill, ink = PRECEDENCE_COLOURS[level]
        w = 33 * mm
        c.setFillColor(fill)
        c.rect(badges_end, lower - 2 * mm, w, 7.5 * mm, stroke=0, fill=1)
        pen.text(en, badges_end + 1.2 * mm, lower, 8.5, width=w * 0.62, bold=True, color=ink)
        pen.text(ar, badges_end + w * 0.6, lower - 0.4, 9.5, width=w * 0.4 - 1.2 * mm, align="right", bold=True,
                 color=ink)
        badges_end += w + 1.5 * mm
    if person.get("mobility") == Mobility.STRETCHER.value:
        w = 30 * mm
        c.setFillColor(black)
        c.rect(badges_end, lower - 2 * mm, w, 7.5 * mm, stroke=0, fill=1)
        pen.text(short_label(Mobility.STRETCHER, "en"), badges_end + 1.2 * mm, lower, 8.5, width=w * 0.6, bold=True,
                 color=white)
        pen.text(short_label(Mobility.STRETCHER, "ar"), badges_end + w * 0.6, lower - 0.4, 9.5, width=w * 0.4 - 1.2 * mm, align="right",
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
    pen.text(f"household {household_token} · الأسرة", tail, lower + 1, 7, width=STRIP_L - tail - pad, color=GREY)


def write_cards(
    path: str | Path,
    households: list[dict],
    sites: dict[str, dict],
    operation: dict,
    *,
    wristbands: bool = True,
    font_folders: Sequence[str | Path] | None = None,
) -> int:
    """Write the household cards, then (unless wristbands=False) the persons' wristband strips; returns pages.

    households: [{"token", "gathering_point", "destination", "persons": [{"token", "name_ar",
    "name_latin", "precedence", "mobility", "vulnerabilities", ("relationship")}]}]; the head is the
    person whose relationship is "head", else the first. sites: {code: {"name_en", "name_ar"}};
    operation: {"name_en", "name_ar"}. `font_folders`: where to look for fonts instead of the usual
    places. Raises FontNotFound (a CorridorError naming the package to install) when no Arabic font
    is found; nothing is written then.
    """
    faces = register_faces(find_fonts(None if font_folders is None else tuple(font_folders)))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(path), pagesize=A4, pageCompression=1)
    c.setTitle("corridor household cards")  # no names in the metadata
    c.setAuthor("corridor")
    c.setCreator("corridor")
    pen = Pen(c, faces)
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
