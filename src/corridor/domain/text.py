"""Text as people type it: the one place that says what Arabic script and Latin letters are,
and how free text (names, notes, reasons) is checked before it is recorded."""

from __future__ import annotations

import re

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


def has_latin(text: str) -> bool:
    """True when the text holds at least one Latin letter."""
    return _LATIN.search(text) is not None


def check_text(value: object, field: str, *, required: bool = True, limit: int = 200) -> str:
    """Free text with its white space folded; refused when empty (if required) or too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}: expected text, got {value!r}", field=field)
    text = " ".join(value.split())
    if required and not text:
        raise BadInput(f"{field}: must not be empty", field=field)
    if len(text) > limit:
        raise BadInput(f"{field}: longer than {limit} characters", field=field)
    return text



