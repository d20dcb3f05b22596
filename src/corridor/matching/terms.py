"""The coarse keys of whole names, word by word: the terms of the blind name index.

`coarse_terms(name)` is exactly ``{k.coarse for k in name_keys(name) if k.coarse}``, computed faster
for the hundreds of thousands of names of a registration list. Full names are nearly all different, so
a cache of whole names misses; their words repeat. Most words form a name part on their own, whatever
stands beside them: their keys are cached by word. A word whose part depends on its neighbours — an
article ("al", "el"), a compound's first or last word ("abd", "abu", "din", "عبد", "الدين"), a hyphen,
the joined article of "Alhalabi" (taken off only when the name has other words), a word that
normalises to several or to none (a lone dash joins its neighbours) — sends the whole name the slow way, through `name_keys`.
"""

from __future__ import annotations

from functools import lru_cache

from ..domain.text import has_arabic
from .keys import arabic_key, latin_key, name_keys
from .normalise import (
    _ABD, _ABU, _AR_JOIN_NEXT, _AR_JOIN_PREV, _ARTICLES, _JOIN_PREV, arabic_parts, latin_parts,
    _strip_latin_article, normalise_arabic, normalise_latin,
)

_LATIN_NEIGHBOURLY = _ARTICLES | _ABD | _ABU | frozenset(_JOIN_PREV)
_ARABIC_NEIGHBOURLY = _AR_JOIN_NEXT | _AR_JOIN_PREV
_SLOW = None  # a word whose part depends on the words beside it
_NEUTRAL = "b"  # a word that changes nothing beside it


def coarse_terms(name: str) -> frozenset[str]:
    """The coarse keys of a name's parts (either script), as `name_keys` gives them."""
    if not name:
        return frozenset()
    words = name.split()
    if len(words) > 1:
        arabic = has_arabic(name)
        found: set[str] = set()
        for word in words:
            terms = _word_terms(word, arabic)
            if terms is _SLOW:
                break
            found.update(terms)
        else:
            return frozenset(found)
    return _name_terms(name)


@lru_cache(maxsize=1 << 16)
def _name_terms(name: str) -> frozenset[str]:
    return frozenset(k.coarse for k in name_keys(name) if k.coarse)


@lru_cache(maxsize=1 << 17)
def _word_terms(word: str, arabic: bool) -> tuple[str, ...] | None:
    """The coarse keys a word gives inside a name of several words written in `arabic` script or not;
    `_SLOW` when what it gives depends on its neighbours (or when unsure)."""
    if arabic:
        folded = normalise_arabic(word)
        if " " in folded or folded in _ARABIC_NEIGHBOURLY:
            return _SLOW
        keys = [arabic_key(p) for p in arabic_parts(folded)]
    else:
        folded = normalise_latin(word)
        if not folded or " " in folded or not (word[0].isalpha() and word[-1].isalpha()):
            return _SLOW  # a dash or a sign at either end may join the word to its neighbour
        stem = _strip_latin_article(folded).replace("-", "")
        if folded in _LATIN_NEIGHBOURLY or stem in _LATIN_NEIGHBOURLY:
            return _SLOW
        # the part this word makes beside another word ("Alhalabi" loses its article only then)
        keys = [latin_key(p) for p in latin_parts(_NEUTRAL + " " + folded)[1:]]
    return tuple(k.coarse for k in keys if k.coarse)
