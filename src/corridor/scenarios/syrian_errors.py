"""The error model of the independent Syrian registry (`syrian_registry`): what goes wrong when one
person is registered a second time.

A second registration suffers k errors, k drawn from `ERROR_COUNT` (none to
four), the kinds drawn without replacement by `ERROR_WEIGHTS`:

* "arabic typo" / "latin typo": a neighbouring key on the Arabic (PC) or
  QWERTY keyboard, a dropped letter, a doubled letter (and, in Latin, two
  letters swapped), in one name part;
* "arabic misheard" / "latin misheard": a letter heard as its neighbour in
  sound -- ح/ه, س/ص, ت/ط, ذ/ز, ق/ك, ض/د, ظ/ز, ع/ا, ث/س, خ/ح in Arabic;
  kh/h, q/k, dh/z, th/s, gh/r, d/t in Latin;
* "family name first": the family name written first (in both scripts);
* "father dropped": the father's name left out;
* "grandfather added" (or "grandfather dropped" where the first
  registration wrote it): the grandfather's name on one side only;
* "birth year +-1" / "birth year missing";
* "one script": only Arabic or only Latin written.

Independently, the second registration is made at another desk (often at
another gathering point), whose romanisation may differ ("other
romanisation", a label, not drawn as an error).
"""

from __future__ import annotations

import random

ERROR_COUNT = ((0, 0.12), (1, 0.36), (2, 0.30), (3, 0.15), (4, 0.07))
ERROR_WEIGHTS = {
    "arabic typo": 10, "arabic misheard": 10, "latin typo": 10, "latin misheard": 7,
    "family name first": 7, "father dropped": 8, "grandfather added": 9,
    "birth year +-1": 12, "birth year missing": 5, "one script": 7,
}

# kinds that do not go together: two birth years; a father dropped and a grandfather added would
# write the grandfather in the father's place, a different name rather than these two errors
_EXCLUSIVE = ({"birth year +-1", "birth year missing"}, {"father dropped", "grandfather added"})
_AR_ROWS = ("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ءؤرىةوزظ")
_LAT_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_AR_HEARD = (("ح", "ه"), ("س", "ص"), ("ت", "ط"), ("ذ", "ز"), ("ق", "ك"), ("ض", "د"), ("ظ", "ز"),
             ("ع", "ا"), ("ث", "س"), ("خ", "ح"))
_LAT_HEARD = (("kh", "h"), ("q", "k"), ("dh", "z"), ("th", "s"), ("gh", "r"), ("d", "t"), ("k", "q"),
              ("h", "kh"), ("z", "dh"), ("t", "d"))


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for row in rows:
        for k, c in enumerate(row):
            out[c] = row[max(0, k - 1):k] + row[k + 1:k + 2]
    return out


_AR_NEAR = _neighbours(_AR_ROWS)
_LAT_NEAR = _neighbours(_LAT_ROWS)


def draw_errors(rng: random.Random) -> list[str]:
    """The kinds of error of one second registration."""
    x, total, k = rng.random(), 0.0, 0
    for k, share in ERROR_COUNT:
        total += share
        if x < total:
            break
    kinds = list(ERROR_WEIGHTS)
    weights = [ERROR_WEIGHTS[e] for e in kinds]
    out: list[str] = []
    while len(out) < k:
        e = rng.choices(kinds, weights)[0]
        if e not in out and not any(e in ex and o in ex for o in out for ex in _EXCLUSIVE):
            out.append(e)
    return out


def _letters(word: str, arabic: bool) -> list[int]:
    """Positions of letters that may be changed (not the article, not a space)."""
    start = 2 if arabic and word.startswith("ال") and len(word) > 4 else 0
    return [k for k in range(start, len(word)) if word[k].isalpha()]


def typo(rng: random.Random, word: str, arabic: bool) -> str:
    """A keyboard slip in `word`: a neighbouring key, a dropped or doubled letter, two letters swapped."""
    pos = _letters(word, arabic)
    if len(pos) < 3:
        return word + word[-1]
    k = rng.choice(pos[1:] if len(pos) > 3 else pos)
    kind = rng.choice(("near", "drop", "double", "swap") if not arabic else ("near", "drop", "double"))
    near = (_AR_NEAR if arabic else _LAT_NEAR).get(word[k].lower(), "")
    if kind == "near" and near:
        c = rng.choice(near)
        return word[:k] + (c.upper() if word[k].isupper() else c) + word[k + 1:]
    if kind == "swap" and k + 1 < len(word) and word[k + 1].isalpha() and word[k] != word[k + 1]:
        return word[:k] + word[k + 1] + word[k] + word[k + 2:]
    if kind == "double" or kind == "near":
        return word[:k + 1] + word[k] + word[k + 1:]
    return word[:k] + word[k + 1:]


def misheard(rng: random.Random, word: str, arabic: bool) -> str | None:
    """`word` with one letter heard as a neighbour in sound, or None where none applies."""
    pairs = _AR_HEARD if arabic else _LAT_HEARD
    options = []
    low = word.lower()
    start = 2 if arabic and word.startswith("ال") else 0
    for a, b in pairs:
        for x, y in ((a, b), (b, a)) if arabic else ((a, b),):
            k = low.find(x, start)
            digraph = not arabic and (x == "h" and k > 0 and low[k - 1] in "kgsdtc"
                                      or len(x) == 1 and low[k + 1:k + 2] == "h")
            if k >= 0 and not digraph:                       # not a letter of kh, dh, th, gh, sh
                options.append((k, x, y))
    if not options:
        return None
    k, x, y = rng.choice(options)
    if word[k].isupper():
        y = y[:1].upper() + y[1:]
    return word[:k] + y + word[k + len(x):]
