"""Right-to-left text for drawing: Arabic shaped (arabic-reshaper: letters joined into their
contextual forms) and put in visual order (python-bidi levels, with brackets mirrored)."""

from __future__ import annotations

import re
import unicodedata

import arabic_reshaper
import bidi

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
