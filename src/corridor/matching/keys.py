"""Name parts as phonetic keys, one alphabet for both scripts, and how alike two keys are.

The parts come from `matching.normalise` (Arabic and Latin names cut into parts, compounds joined, the
article taken off). Each part then gets a `PartKey` in one phonetic alphabet for both scripts
(string distances between the scripts themselves are meaningless):

* `skeleton`: the consonants. Vowels are dropped (Arabic does not write the
  short ones); k/q/kh (ك ق خ) share a letter, as do the letters that each
  script spells in several ways; w/y inside a word are dropped because
  either script may write them as vowels; doubled letters collapse. So
  Mohammed / Muhammad / Mohamad / محمد -> "MHMD" and
  Abdul Rahman / Abdelrahman / عبد الرحمن -> "BDRHMN".
* `gaps`: the vowels between the consonants (one gap more than consonants),
  with long vowels (ا و ي, Latin "aa", "ee", "ou"...) told apart from short
  ones. The skeleton alone would make Hassan and Hussein (حسن, حسين), or
  Mohammed and Mahmoud (محمد, محمود), one name; the gaps keep them apart.
* `coarse`: the skeleton with letters that transliterations confuse merged
  (d/t/z/dh, th/s, g/k) and a final h dropped (Hamzah / حمزة), for a
  second-best match.

`part_similarity` compares two keys: 1.0 for equal skeletons and agreeing
vowels, less for vowel disagreements or coarse-only agreement, Jaro-Winkler
of the skeletons (with a margin) otherwise. Arabic against Arabic is
compared on the folded letters themselves, which are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from ..domain.text import has_arabic
from .normalise import AR_FOLD, VOWEL_LETTERS, arabic_parts, arabic_sounds, latin_parts, latin_sounds


# vowel symbol -> the vowel classes it may stand for
_CLASSES = {
    "A": frozenset("A"), "I": frozenset("I"), "U": frozenset("U"), "E": frozenset("AI"),
    "O": frozenset("U"), "a": frozenset("A"), "e": frozenset("AI"), "i": frozenset("I"),
    "o": frozenset("U"), "u": frozenset("U"), "y": frozenset("I"), "w": frozenset("U"),
    "?": frozenset("AIU"), "@": frozenset("AI"),
}
_LONG = frozenset("AIUE")
_GLIDE = {"W": "U", "Y": "I"}          # consonantal w/y inside a word: kept in the gap
_COARSE = str.maketrans({"Z": "D", "T": "D", "Θ": "S", "G": "K"})


@dataclass(frozen=True)
class PartKey:
    """One name part in the phonetic alphabet (see the module docstring).

    `text` is the folded Arabic or normalised Latin part; `gaps` has one
    entry more than `skeleton`, `coarse_gaps` one more than `coarse`."""

    text: str
    arabic: bool
    skeleton: str
    gaps: tuple[str, ...]
    coarse: str
    coarse_gaps: tuple[str, ...]

    def __str__(self) -> str:
        return self.skeleton


def _part_key(text: str, sounds: list[str], arabic: bool) -> PartKey:
    skel: list[str] = []
    gaps: list[str] = [""]
    for s in sounds:
        if s in _CLASSES:
            gaps[-1] += s
        elif s in _GLIDE and (skel or gaps[0]):
            gaps[-1] += _GLIDE[s]
        elif skel and skel[-1] == s and not gaps[-1]:
            continue                               # doubled consonant
        else:
            skel.append(s)
            gaps.append("")
    coarse = [c.translate(_COARSE) for c in skel]
    cgaps = list(gaps)
    if len(coarse) > 1 and coarse[-1] == "H" and cgaps[-1] in ("", "@"):
        coarse.pop()                               # Hamzah / Hamza: a final h
        cgaps.pop()
    # merge coarse letters made equal by the coarse mapping, when nothing is between them
    merged: list[str] = []
    mgaps: list[str] = [cgaps[0]]
    for c, g in zip(coarse, cgaps[1:]):
        if merged and merged[-1] == c and not mgaps[-1]:
            mgaps[-1] = g
            continue
        merged.append(c)
        mgaps.append(g)
    return PartKey(text, arabic, "".join(skel), tuple(gaps), "".join(merged), tuple(mgaps))


@lru_cache(maxsize=1 << 16)
def arabic_key(part: str) -> PartKey:
    """Key of one Arabic name part (as returned by `arabic_parts`)."""
    return _part_key(part, arabic_sounds(part), True)


@lru_cache(maxsize=1 << 16)
def latin_key(part: str) -> PartKey:
    """Key of one Latin name part (as returned by `latin_parts`)."""
    return _part_key(part, latin_sounds(part), False)


def name_keys(name: str) -> list[PartKey]:
    """Keys of the parts of a name written in either script."""
    if has_arabic(name):
        return [arabic_key(p) for p in arabic_parts(name)]
    return [latin_key(p) for p in latin_parts(name)]


def skeleton(name: str) -> str:
    """The skeletons of a name's parts, space-separated, in either script."""
    return " ".join(k.skeleton for k in name_keys(name))


def _classes(gap: str) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for s in gap:
        out |= _CLASSES[s]
    return out


def _gap_cost(g1: str, a1: bool, g2: str, a2: bool, edge: bool) -> float:
    """How far two vowel gaps disagree, 0 .. 0.5. `edge`: before the first or
    after the last consonant, where a vowel's presence is written in both scripts."""
    if g1 == g2:
        return 0.0
    c1, c2 = _classes(g1), _classes(g2)
    cost = 0.0
    for g, other, other_gap in ((g1, c2, g2), (g2, c1, g1)):
        for s in g:
            if s in _LONG:
                if not (_CLASSES[s] & other):
                    cost += 0.35
                elif s == "A" and "A" not in _classes(other_gap.replace("E", "I")):
                    cost += 0.12                   # a final yaa read as a: Ghinaa / غنى, not Shammaa / الشامي
            elif s == "O" and not (_CLASSES[s] & other):
                cost += 0.25 if other else 0.15    # Qaddour / Khader; Mounir / منير
    # a glide (Rania, Ziyad) is a written consonant: the other side must have it too
    for g, other in ((g1, c2), (g2, c1)):
        if ("y" in g and "I" not in other) or ("w" in g and "U" not in other):
            cost += 0.25
    if cost:
        return min(cost, 0.5)
    v1 = g1.replace("@", "")
    v2 = g2.replace("@", "")
    if (not v1 and "@" in g1) or (not v2 and "@" in g2):
        return 0.0                               # a silent e against anything
    if v1 and v2:
        if a1 or a2:
            return 0.0
        return 0.0 if c1 & c2 else 0.12        # short vowels of different colour: Yusuf / Yousef
    if not v1 and not v2:
        return 0.0
    # a vowel against none
    empty_arabic = a1 if not v1 else a2
    if edge:
        return 0.35                              # Osama / سامي, Ahmad / Hamza
    return 0.0 if empty_arabic else 0.1          # Fatma / Fatima


def vowel_cost(g1: tuple[str, ...], a1: bool, g2: tuple[str, ...], a2: bool) -> float:
    """Sum of gap disagreements between two keys of equal skeleton."""
    last = len(g1) - 1
    return sum(_gap_cost(x, a1, y, a2, k == 0 or k == last)
               for k, (x, y) in enumerate(zip(g1, g2)))


def long_vowel_apart(a: PartKey, b: PartKey) -> bool:
    """Two Arabic parts one long vowel (ا و ي) apart: عمر / عمار, حسن / حسان. Another name, mostly,
    and one that Latin letters often blur (Omar / Ammar): the Latin witness does not outvote it."""
    if not (a.arabic and b.arabic) or abs(len(a.text) - len(b.text)) != 1:
        return False
    short, long_ = (a.text, b.text) if len(a.text) < len(b.text) else (b.text, a.text)
    k = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return long_[k] in _LONG_LETTERS and long_[:k] + long_[k + 1:] == short


_LONG_LETTERS = frozenset("اوي")

# Arabic letters that are heard one for the other (ح/ه, س/ص, ت/ط, ذ/ز/ظ, ق/ك, ض/د, ث/س, خ/ح)
_HEARD_ALIKE = frozenset(frozenset(p) for p in ("حه", "سص", "تط", "ذز", "زظ", "ذظ", "قك", "ضد", "ثس", "خح"))


def _slip(a: str, b: str) -> bool:
    """One folded Arabic spelling against another one edit away: a letter heard as its
    neighbour in sound, or a letter typed twice."""
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        return len(diff) == 1 and frozenset(diff[0]) in _HEARD_ALIKE
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return k > 0 and long_[k] == long_[k - 1]


# Keys next to each other: the Arabic PC layout (folded as names are) and QWERTY. A letter typed with
# its neighbour's key, or two Latin letters typed the wrong way round, is a typo of one registration.
_AR_KEY_ROWS = ("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظ")
_LATIN_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _key_neighbours(rows: tuple[str, ...], fold=None) -> frozenset[frozenset[str]]:
    out = set()
    for row in rows:
        keys = [fold(c) if fold else c for c in row]
        out.update(frozenset(p) for p in zip(keys, keys[1:]) if all(p) and p[0] != p[1])
    return frozenset(out)


_AR_KEYS_NEAR = _key_neighbours(_AR_KEY_ROWS, lambda c: c.translate(AR_FOLD))
_LATIN_KEYS_NEAR = _key_neighbours(_LATIN_KEY_ROWS)
#: the similarity of a keyboard slip in a part written in one script only ("close": one witness, one slip)
KEYBOARD_SLIP = 0.85


def keyboard_slip(a: PartKey, b: PartKey) -> bool:
    """Two spellings of one script one keyboard slip apart: a consonant typed with a neighbouring key
    (أحمد / أحند, Faysal / Faysak), a consonant left out inside the word (Huda / Hua, تسنيم / تسنم
    is not one: ي is a long vowel) or, in Latin, two neighbouring letters swapped (Mustafa /
    Mutsafa). Long vowels (ا و ي) and Latin vowels are not counted: they change the name more
    often than they slip; nor is a last letter left out (Samir / Sami). Parts of four letters or
    more only."""
    if a.arabic != b.arabic or len(a.text) < 4 and len(b.text) < 4 or a.text == b.text:
        return False
    if abs(len(a.text) - len(b.text)) == 1:
        short, long_ = (a.text, b.text) if len(a.text) < len(b.text) else (b.text, a.text)
        k = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
        vowels = _LONG_LETTERS if a.arabic else VOWEL_LETTERS
        return (0 < k < len(short) and long_[:k] + long_[k + 1:] == short and long_[k] not in vowels
                and long_[k] != long_[k - 1] and long_[k].isalpha())
    if len(a.text) != len(b.text):
        return False
    diff = [k for k, (x, y) in enumerate(zip(a.text, b.text)) if x != y]
    if len(diff) == 1:
        x, y = a.text[diff[0]], b.text[diff[0]]
        if a.arabic:
            return not ({x, y} & _LONG_LETTERS) and frozenset((x, y)) in _AR_KEYS_NEAR
        return not ({x, y} & VOWEL_LETTERS) and frozenset((x, y)) in _LATIN_KEYS_NEAR
    if len(diff) == 2 and not a.arabic and diff[1] == diff[0] + 1:
        k = diff[0]
        return a.text[k] == b.text[k + 1] and a.text[k + 1] == b.text[k] and k > 0
    return False


@lru_cache(maxsize=1 << 18)
def part_similarity(a: PartKey, b: PartKey) -> float:
    """Similarity of two name parts in [0, 1], in either script.

    Arabic against Arabic: 1.0 for the same folded spelling, 0.85 for a
    letter heard as its neighbour in sound (ح/ه, س/ص, ...) or typed twice,
    0.7 for one other consonant more, less or changed, 0.4 for one long
    vowel, else low.
    Otherwise by phonetic key: equal skeletons give 1 less the vowel
    disagreement (Hassan / Hussein: 0.41); equal coarse skeletons 0.92 less
    it (Hamzah / Hamza); else the Jaro-Winkler similarity of the skeletons
    less a margin (Jaro-Winkler is lenient with short strings: Sami / Samir).
    """
    if a.arabic and b.arabic:
        if a.text == b.text:
            return 1.0
        d = Levenshtein.distance(a.text, b.text)
        if d == 1:
            if (set(a.text) ^ set(b.text)) & _LONG_LETTERS:
                return 0.4
            return 0.85 if _slip(a.text, b.text) else 0.7
        return max(0.0, 0.6 - 0.15 * d)
    if a.skeleton == b.skeleton:
        return max(0.0, 1.0 - vowel_cost(a.gaps, a.arabic, b.gaps, b.arabic))
    if a.coarse == b.coarse and (len(a.skeleton) != len(b.skeleton) or sum(
            x != y for x, y in zip(a.skeleton, b.skeleton)) <= 1):
        return max(0.0, 0.92 - vowel_cost(a.coarse_gaps, a.arabic, b.coarse_gaps, b.arabic))
    if not a.skeleton or not b.skeleton:
        return 0.0
    jw = JaroWinkler.similarity(a.skeleton, b.skeleton)
    return max(0.0, jw - 0.1 - 0.3 / max(len(a.skeleton), len(b.skeleton)))
