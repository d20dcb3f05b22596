"""Right-to-left text for drawing: Arabic shaped (arabic-reshaper: letters joined into their
contextual forms) and put in visual order (python-bidi levels, with brackets mirrored), in the direction of
the document's lines; and the pieces every printed paper writes in either language: counts with thousands
separators, times in UTC, and units that must read left to right inside an Arabic line (times, codes)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

import arabic_reshaper
import bidi

_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": True, "support_ligatures": True, "delete_tatweel": False}
)
_MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
           "«": "»", "»": "«", "‹": "›", "›": "‹", "≤": "≥", "≥": "≤"}
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_RTL_CLASSES = {"R", "AL"}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LRI, PDI, LRM = "\u2066", "\u2069", "\u200e"
# marks and isolates that steer the bidi algorithm: they take no room and are never drawn
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ORDERED = {"L", "EN", "AN", "CS", "NSM"}  # keep their place in a left-to-right unit by themselves (CS: ":" "/" "." join digits)


def arabic_digits(text: object) -> str:
    """Western digits written as Eastern Arabic ones (the digits of the Arabic papers)."""
    return str(text).translate(_ARABIC_DIGITS)


def left_to_right(text: str) -> str:
    """`text` as one unit that reads left to right inside any line: a time, a date, a code in Latin letters.

    Isolated (LRI … PDI) so the line around it keeps its order, with a left-to-right mark after each of its
    separators and spaces: between Eastern Arabic digits a hyphen or a space would otherwise be drawn right to
    left ('٢٠١٦-١٢-١٥ ٠٣:٢٠' shown as '٠٣:٢٠ ١٥-١٢-٢٠١٦')."""
    return LRI + "".join(ch if unicodedata.bidirectional(ch) in _ORDERED else ch + LRM for ch in text) + PDI


def number(value: int | None, lang: str) -> str:
    """A count with thousands separators ('12,345'; in Arabic '١٢٬٣٤٥', which no line breaks or turns)."""
    if value is None:
        return "–"
    text = f"{value:,}"
    return arabic_digits(text.replace(",", "٬")) if lang == "ar" else text


def decimal(value: float, places: int, lang: str) -> str:
    """A figure with decimals ('7.3'); in Arabic with the Arabic decimal separator ('٧٫٣', not '٧.٣')."""
    text = f"{value:.{places}f}"
    return arabic_digits(text.replace(".", "٫")) if lang == "ar" else text


def code(text: str, lang: str) -> str:
    """A code in Latin letters (trip, convoy, checkpoint) kept whole and in its place in an Arabic line."""
    return left_to_right(text) if lang == "ar" and text else text


def utc_time(value: str | datetime | None, lang: str) -> str:
    """A time as 'YYYY-MM-DD HH:MM UTC' (converted to UTC whatever zone it was given in); in Arabic with
    Eastern Arabic digits, as one left-to-right unit."""
    if not value:
        return "–"
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    text = t.strftime("%Y-%m-%d %H:%M UTC")
    return left_to_right(arabic_digits(text)) if lang == "ar" else text


def utc_date(value: str, lang: str) -> str:
    """A day 'YYYY-MM-DD'; in Arabic with Eastern Arabic digits, as one left-to-right unit."""
    return left_to_right(arabic_digits(value)) if lang == "ar" else value


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


def visual_text(text: str, rtl: bool | None = None) -> str:
    """Text in the order it is drawn left to right, Arabic letters shaped and brackets mirrored.

    One line: shaping (arabic-reshaper), then the Unicode bidi algorithm's resolved
    levels (python-bidi), reordering (rule L2) and mirroring (rule L4). `rtl`: the line's direction — a line
    of an Arabic paper is right to left even when it starts with a code, a time or a wrapped Latin word; None:
    from its first strong character (rule P2).
    """
    text = " ".join(text.split())
    if not rtl and not any(unicodedata.bidirectional(ch) in _RTL_CLASSES | {"AN"} for ch in text):
        return text
    rtl = _is_rtl(text) if rtl is None else rtl
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
