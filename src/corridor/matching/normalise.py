"""Arabic and Latin personal names reduced to comparable keys.

Duplicate detection compares names part by part ("given father [grandfather]
family"). Each part is reduced to:

* `arabic`: the Arabic spelling with the usual writing variants folded
  (hamza carriers and madda to bare alif, taa marbuta to haa, alif maqsura to
  yaa, hamza on waw/yaa to waw/yaa, no tatweel, no diacritics) and the
  article "ال" taken off the front;
* `latin`: the Latin spelling in lower-case ASCII, article ("al-", "el-",
  "ash-", "Al ") taken off, compounds ("Abdul Rahman", "Nour al-Din",
  "Abu Zeid") joined into one part;
* `skeleton`: a phonetic consonant skeleton in one alphabet for both scripts,
  e.g. Mohammed / Muhammad / Mohamad / محمد -> "MHMD",
  Abdul Rahman / Abdelrahman / عبد الرحمن -> "ABDRHMN". Vowels are dropped
  (Arabic does not write the short ones), velars (k, q, kh, ك ق خ) share a
  letter, doubled letters collapse, and w/y inside a word are dropped because
  either script may write them as vowels;
* `vowels`: the same sounds with a coarse vowel class kept (A, I, U), from
  which long vowels are read: Arabic writes them (ا و ي), Latin hints at them
  ("ou", "ee", "ei"...). The skeleton alone would make Hassan and Hussein,
  or Mohammed and Mahmoud, one name; the vowel layer keeps them apart.

String distances between scripts are meaningless, so Arabic and Latin are
compared only through the skeleton and vowel layer; Arabic is compared with
Arabic on the folded letters, Latin with Latin on its phonetic form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- Arabic -----------------------------------------------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ؤ": "و", "ئ": "ي",
    "ک": "ك", "گ": "ك",
    "ء": "",
})
_AR_LETTERS = re.compile("[^\u0621-\u064a ]+")

# Parts that begin a compound with the next word, and parts that end one.
_AR_JOIN_NEXT = frozenset({"عبد", "ابو", "ابي", "بو"})
_AR_JOIN_PREV = frozenset({"الدين", "الله"})


def normalise_arabic(text: str) -> str:
    """Arabic letters folded to one spelling, words separated by one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _AR_DIACRITICS.sub("", text).translate(_AR_FOLD)
    text = _AR_LETTERS.sub(" ", text)
    return " ".join(text.split())


def _strip_ar_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def arabic_parts(text: str) -> list[str]:
    """The name parts of an Arabic name, compounds joined, article stripped.

    "عبد الرحمن محمد الحلبي" -> ["عبدرحمن", "محمد", "حلبي"].
    """
    words = normalise_arabic(text).split()
    parts: list[str] = []
    pending = ""
    for word in words:
        if pending:
            parts.append(pending + _strip_ar_article(word))
            pending = ""
            continue
        if word in _AR_JOIN_NEXT:
            pending = word
            continue
        if word in _AR_JOIN_PREV and parts:
            parts[-1] = parts[-1] + _strip_ar_article(word)
            continue
        if word.startswith("عبدال") and len(word) > 6:      # written joined: عبدالرحمن
            word = "عبد" + word[5:]
        parts.append(_strip_ar_article(word))
    if pending:
        parts.append(pending)
    return parts


# Arabic letter -> skeleton consonant ("" = not a consonant of the skeleton).
_AR_CONSONANT = {
    "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "K", "د": "D",
    "ذ": "D", "ر": "R", "ز": "Z", "س": "S", "ش": "X", "ص": "S", "ض": "D",
    "ط": "T", "ظ": "Z", "ع": "", "غ": "G", "ف": "F", "ق": "K", "ك": "K",
    "ل": "L", "م": "M", "ن": "N", "ه": "H",
}


def _arabic_sounds(part: str) -> list[str]:
    """Arabic part -> symbols: consonants, A/I/U for long vowels, W/Y."""
    out: list[str] = []
    n = len(part)
    for i, ch in enumerate(part):
        nxt = part[i + 1] if i + 1 < n else ""
        if ch == "ا":
            out.append("A")
        elif ch == "و":
            # consonant at the start or before a vowel letter (رضوان, مروه)
            if i == 0 or nxt == "ا" or (nxt == "ه" and i + 2 == n):
                out.append("W")
            else:
                out.append("U")
        elif ch == "ي":
            if i == 0 or nxt in ("ا", "و") or (nxt == "ه" and i + 2 == n):
                out.append("Y")
            else:
                out.append("I")
        elif ch == "ه" and i == n - 1 and i > 0:
            out.append("A")                       # taa marbuta / final h: a vowel
        elif ch == "ع":
            out.append("'")                       # ayn: a vowel onset
        else:
            c = _AR_CONSONANT.get(ch)
            if c:
                out.append(c)
    return out


# --- Latin ------------------------------------------------------------------

_ARTICLES = frozenset({"al", "el", "il", "ul"})
_ASSIMILATED = frozenset({
    "as", "ash", "es", "esh", "ad", "ed", "ar", "er", "at", "et", "az", "ez",
    "an", "en", "ath", "eth", "adh", "ed", "us", "ur", "ud",
})
_LATIN_JOIN_NEXT = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdu", "abdur", "abdus",
                              "abdel", "abd-al", "abu", "abou", "abo", "abul", "aboul", "abil"})
_LATIN_JOIN_PREV = frozenset({"din", "deen", "dine", "ddin", "ddine", "uddin", "eddin", "eddine", "allah"})
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bc\u02bb\u02be\u02bf\u0060\u00b4]")


def normalise_latin(text: str) -> str:
    """Lower-case ASCII letters, hyphens kept, apostrophes dropped, one space between words."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = re.sub(r"[^a-z\- ]+", " ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


def _strip_latin_article(word: str) -> str:
    """al-Halabi / el-Halabi / ash-Shami / Alhalabi is not handled here (see parts)."""
    if "-" in word:
        head, _, tail = word.partition("-")
        if tail and (head in _ARTICLES or head in _ASSIMILATED):
            return tail
    return word


def _abd_compound(word: str) -> str:
    """abdulrahman / abdelkader / abdessalam / abdallah -> abd + stem."""
    rest = word[3:]
    m = re.match(r"^[aeiou]{1,2}l(?=[a-z]{2})", rest)
    if m:
        return "abd" + rest[m.end():]
    m = re.match(r"^[aeiou]{1,2}(sh|[rsntdz])(?=\1)", rest)
    if m:
        return "abd" + rest[m.end():]
    return word


def latin_parts(text: str) -> list[str]:
    """The name parts of a Latin name, compounds joined, articles stripped.

    "Abd al-Rahman Mohammed el-Halabi" -> ["abdrahman", "mohammed", "halabi"].
    """
    words = normalise_latin(text).replace("-", "- ").split()
    # re-glue "al- halabi" into one word with the article marked by a hyphen
    glued: list[str] = []
    for w in words:
        if glued and glued[-1].endswith("-"):
            glued[-1] += w
        else:
            glued.append(w)
    parts: list[str] = []
    pending = ""
    i = 0
    while i < len(glued):
        raw = glued[i].strip("-")
        i += 1
        if not raw:
            continue
        head = raw.split("-")[0]
        # a free-standing article ("Al Halabi", "Abd al Rahman") belongs to the next word
        if head in _ARTICLES and "-" not in raw and i < len(glued):
            raw = head + "-" + glued[i].strip("-")
            i += 1
        word = _strip_latin_article(raw).replace("-", "")
        if pending:
            parts.append(pending + word)
            pending = ""
            continue
        if raw.replace("-", "") in _LATIN_JOIN_NEXT or head in _LATIN_JOIN_NEXT:
            # "abd al-rahman", "abdul rahman", "abu zeid", "abul khair"
            pending = "abd" if raw.startswith("abd") else "abu"
            if "-" in raw and raw.partition("-")[2]:
                parts.append(pending + raw.partition("-")[2])
                pending = ""
            continue
        if word in _LATIN_JOIN_PREV and parts:
            parts[-1] += "din" if word != "allah" else "lah"
            continue
        if word.startswith("abd") and len(word) > 5:
            word = _abd_compound(word)
        elif word.startswith("al") and len(word) > 5 and len(glued) > 1 and raw == word:
            # "Alhalabi": the article written joined; only where it leaves a plausible stem
            stem = word[2:]
            if stem[0] not in "aeiouy" and stem not in ("i",):
                word = stem
        parts.append(word)
    if pending:
        parts.append(pending)
    return parts


_LATIN_DIGRAPHS = (
    ("kh", "K"), ("gh", "G"), ("sh", "X"), ("ch", "X"), ("th", "T"), ("dh", "D"),
    ("ph", "F"), ("ck", "K"), ("ou", "U"), ("oo", "U"), ("ee", "I"), ("ei", "I"),
)
_LATIN_SINGLE = {
    "b": "B", "c": "K", "d": "D", "f": "F", "g": "J", "h": "H", "j": "J", "k": "K", "l": "L",
    "m": "M", "n": "N", "p": "B", "q": "K", "r": "R", "s": "S", "t": "T", "v": "F",
    "x": "KS", "z": "Z", "a": "a", "e": "e", "i": "i", "o": "o", "u": "u",
}
_LONG = {"ou": "U", "oo": "U", "ee": "I", "ei": "I"}


def _latin_sounds(part: str) -> list[str]:
    """Latin part -> symbols: consonants, long vowels (A/I/U), short vowels (a/e/i/o/u), W/Y."""
    out: list[str] = []
    i, n = 0, len(part)
    vowels = "aeiou"
    while i < n:
        two = part[i:i + 2]
        digraph = next((sym for d, sym in _LATIN_DIGRAPHS if d == two), None)
        if digraph is not None and not (two == "ei" and i + 2 < n and part[i + 2] in vowels):
            out.append(digraph)
            i += 2
            continue
        ch = part[i]
        prev = part[i - 1] if i else ""
        nxt = part[i + 1] if i + 1 < n else ""
        if ch == "w":
            out.append("W" if (i == 0 or nxt in vowels) else "U")
        elif ch == "y":
            out.append("Y" if (i == 0 or nxt in vowels) else "I")
        elif ch == "i" and nxt in vowels and prev and prev not in vowels and i > 0:
            out.append("Y")                     # Ziad = Ziyad, Nadia = Nadiya
        elif ch == "a" and nxt == "a":
            out.append("A")
            i += 2
            continue
        elif ch in _LATIN_SINGLE:
            out.extend(_LATIN_SINGLE[ch])
        i += 1
    # final h after a vowel is silent (Hamzah, Fatimah, Abdullah)
    if len(out) >= 2 and out[-1] == "H" and out[-2] in ("a", "e", "i", "A", "I"):
        out.pop()
    return out


_VOWEL_CLASS = {"a": "A", "e": "I", "i": "I", "o": "U", "u": "U", "A": "A", "I": "I", "U": "U", "'": ""}


def _skeleton(sounds: list[str]) -> str:
    """Consonants only; W/Y kept only word-initially; doubles collapsed."""
    out: list[str] = []
    for k, s in enumerate(sounds):
        if s in _VOWEL_CLASS:
            continue
        if s in ("W", "Y") and k > 0:
            continue
        if out and out[-1] == s:
            continue
        out.append(s)
    skel = "".join(out)
    # "abd" + article consonant in compounds written without the article: ABDL... -> ABD...
    if skel.startswith("ABDL") and len(skel) > 4:
        skel = "ABD" + skel[4:]
    return skel


def _vowel_form(sounds: list[str]) -> str:
    """Consonants and vowel classes, W/Y as vowels inside the word, repeats collapsed."""
    out: list[str] = []
    for k, s in enumerate(sounds):
        if s == "'":
            continue
        if s in _VOWEL_CLASS:
            s = _VOWEL_CLASS[s].lower() if s.islower() else _VOWEL_CLASS[s]
        elif s == "W" and k > 0:
            s = "W"
        if out and out[-1].upper() == s.upper() and (out[-1].isupper() or s.islower()):
            if s.isupper():
                out[-1] = s
            continue
        out.append(s)
    return "".join(out)


@dataclass(frozen=True)
class PartKey:
    """One name part in comparable forms (see the module docstring)."""

    arabic: str
    latin: str
    skeleton: str
    vowels: str

    @property
    def empty(self) -> bool:
        return not (self.arabic or self.latin)


@lru_cache(maxsize=1 << 16)
def arabic_key(part: str) -> tuple[str, str]:
    """(skeleton, vowel form) of one Arabic part."""
    sounds = _arabic_sounds(part)
    return _skeleton(sounds), _vowel_form(sounds)


@lru_cache(maxsize=1 << 16)
def latin_key(part: str) -> tuple[str, str]:
    """(skeleton, vowel form) of one Latin part."""
    sounds = _latin_sounds(part)
    return _skeleton(sounds), _vowel_form(sounds)


def skeleton(name: str) -> str:
    """The skeleton of a whole name, parts separated by spaces, in either script."""
    if any("\u0600" <= ch <= "\u06ff" for ch in name):
        return " ".join(arabic_key(p)[0] for p in arabic_parts(name))
    return " ".join(latin_key(p)[0] for p in latin_parts(name))
