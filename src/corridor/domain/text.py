"""Text as people type it: the one place that says what Arabic script and Latin letters are,
and how free text (names, notes, reasons) is checked before it is recorded."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .errors import BadInput

# Arabic script: the Arabic block, its supplement, extended-A, and the presentation forms A and B.
ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# Latin letters: ASCII, Latin-1 supplement and extended A/B, Latin extended additional (ā, ḥ, ṣ …).
LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

_ARABIC = re.compile(f"[{ARABIC_SCRIPT}]")
_LATIN = re.compile(f"[{LATIN_LETTERS}]")


def has_arabic(text: str) -> bool:
    """True when the text holds at least one character of Arabic script."""
    return _ARABIC.search(text) is not None


_SCRIPT_PIECES = re.compile(f"[{ARABIC_SCRIPT}]+|[^{ARABIC_SCRIPT}]+")


def script_runs(text: str) -> list[str]:
    """The text cut where it passes from Arabic script to another and back: the words of one script stay
    together ("عبد الله Smith" → "عبد الله", "Smith"), a word written in both is cut where it changes
    ("Smithعلي" → "Smith", "علي"). A name typed partly in each script is read as one name in each."""
    runs: list[list[str]] = []
    arabic_before = None
    for word in text.split():
        for piece in _SCRIPT_PIECES.findall(word):
            arabic = _ARABIC.search(piece) is not None
            if arabic is not arabic_before:
                runs.append([])
                arabic_before = arabic
            runs[-1].append(piece)
    return [" ".join(run) for run in runs]


def has_latin(text: str) -> bool:
    """True when the text holds at least one Latin letter."""
    return _LATIN.search(text) is not None


# Invisible marks that only steer the direction of neighbouring text, or mark a byte order: pasted from
# documents and spreadsheets without anyone seeing them; they are dropped.
INVISIBLE_MARKS = frozenset("\u200b\u200e\u200f\u061c\ufeff")
# Joiners shape Arabic and Persian letters: kept.
JOINERS = frozenset("\u200c\u200d")
# Embeddings, overrides and isolates reorder what is shown (a name can display as another): refused.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" ({unicodedata.name(ch)})" if unicodedata.name(ch, "") else "")


def _plainly_fine() -> re.Pattern:
    """Text made only of letters, marks, digits, punctuation and spaces of the Latin and Arabic blocks:
    nothing to refuse in it, checked at C speed (the character-by-character reading is for the rest)."""
    fine = [chr(c) for lo, hi in ((0x20, 0x24F), (0x1E00, 0x1EFF), (0x600, 0x6FF), (0x750, 0x77F))
            for c in range(lo, hi + 1) if unicodedata.category(chr(c))[0] in "LMNP" or chr(c) == " "]
    return re.compile("[" + "".join(re.escape(ch) for ch in fine) + "]*")


_PLAINLY_FINE = _plainly_fine()


@lru_cache(maxsize=1 << 16)
def _scan(value: str, name: bool) -> tuple[str, str | None, str | None]:
    """(folded text, what is wrong, the character) — names repeat a lot, so each spelling is read once."""
    if _PLAINLY_FINE.fullmatch(value) and "  " not in value and value == value.strip():
        return value, None, None
    text = " ".join("".join(ch for ch in value if ch not in INVISIBLE_MARKS).split())
    for ch in text:
        if ch in BIDI_CONTROLS:
            return text, "direction", ch
        category = unicodedata.category(ch)
        if category == "Cc":
            return text, "control", ch
        if name and category[0] == "C" and ch not in JOINERS:
            return text, "invisible", ch
        if name and category in ("So", "Sk"):
            return text, "symbol", ch
    return text, None, None


_WHAT_IS_WRONG = {
    "direction": "holds the direction control {cp}, which can make text show as something else; remove it",
    "control": "holds the control character {cp}; remove it",
    "invisible": "holds the invisible character {cp}; remove it",
    "symbol": "holds the symbol {cp}, which is not part of a name",
}


def _fold(value: object, field: str, *, name: bool = False) -> str:
    """Text with invisible marks dropped and white space folded; refused when it holds a control
    character (NUL …) or a bidirectional override (and, for a name, any other invisible character or a
    symbol), naming the field and the code point."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}: expected text, got {value!r}", field=field)
    text, wrong, ch = _scan(value, name)
    if wrong is not None:
        raise BadInput(f"{field}: " + _WHAT_IS_WRONG[wrong].format(cp=_code_point(ch)), field=field)
    return text


def _limit(text: str, field: str, required: bool, limit: int) -> str:
    if required and not text:
        raise BadInput(f"{field}: must not be empty", field=field)
    if len(text) > limit:
        raise BadInput(f"{field}: longer than {limit} characters", field=field)
    return text


def check_text(value: object, field: str, *, required: bool = True, limit: int = 200) -> str:
    """Free text (notes, reasons) with its white space folded and invisible direction marks dropped;
    refused when it holds control characters or direction overrides, when empty (if required) or too long."""
    return _limit(_fold(value, field), field, required, limit)


def check_name(value: object, field: str, *, required: bool = True, limit: int = 200) -> str:
    """A person's name as :func:`check_text` takes text, and more strictly: no invisible format
    characters (other than the joiners Arabic script needs) and no symbols (emoji, ☺, ^), which
    printed cards cannot show. A refusal names the field and the character's code point."""
    text = _fold(value, field, name=True)
    return _limit(text, field, required, limit)
