"""Arabic and Latin personal names reduced to comparable keys.

Duplicate detection compares names part by part ("given father [grandfather]
family"). A name is first cut into parts, compounds joined and the article
taken off:

    "عبد الرحمن محمد الحلبي"          -> ["عبدرحمن", "محمد", "حلبي"]
    "Abd al-Rahman Mohammed el-Halabi" -> ["abd·rahman", "mohammed", "halabi"]

Arabic is folded first: hamza carriers and madda to bare alif (أ إ آ -> ا),
taa marbuta to haa (ة -> ه), alif maqsura to yaa (ى -> ي), hamza on waw and
yaa to the bare letter (ؤ -> و, ئ -> ي), lone hamza, tatweel and diacritics
removed. Latin is lower-cased to ASCII, apostrophes dropped; the article
("al-", "el-", "Al ", the assimilated "ash-", "ad-", ... and the joined
"Alhalabi") is taken off; "Abdul Rahman", "Abdelrahman", "Abd ar-Rahman"
become "abd·rahman" ("·" marks the joint), "Nour al-Din" and "Abu al-Khair" one part each.

Each part then gets its phonetic key (`matching.keys`).
"""

from __future__ import annotations

import re
import unicodedata

# --- Arabic -----------------------------------------------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
AR_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ؤ": "و", "ئ": "ي",
    "ک": "ك", "گ": "ك",
    "ء": "",
})
_AR_NOT_LETTER = re.compile("[^\u0621-\u064a ]+")

# Words that begin a compound with the next word, and words that end one.
_AR_JOIN_NEXT = frozenset({"عبد", "ابو", "ابي", "بو"})
_AR_JOIN_PREV = frozenset({"الدين", "الله"})


def normalise_arabic(text: str) -> str:
    """Arabic letters folded to one spelling, words separated by one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _AR_DIACRITICS.sub("", text).translate(AR_FOLD)
    text = _AR_NOT_LETTER.sub(" ", text)
    return " ".join(text.split())


def _strip_ar_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def arabic_parts(text: str) -> list[str]:
    """The parts of an Arabic name, folded, compounds joined, article stripped.

    "عبد الرحمن محمد الحلبي" -> ["عبدرحمن", "محمد", "حلبي"].
    """
    parts: list[str] = []
    pending = ""
    for word in normalise_arabic(text).split():
        if pending:
            parts.append(pending + _strip_ar_article(word))
            pending = ""
        elif word in _AR_JOIN_NEXT:
            pending = word
        elif word in _AR_JOIN_PREV and parts:
            parts[-1] += _strip_ar_article(word)
        else:
            word = _strip_ar_article(word)
            if word.startswith("عبدال") and len(word) > 6:      # written joined: عبدالرحمن
                word = "عبد" + word[5:]
            parts.append(word)
    if pending:
        parts.append(pending)
    return parts


# Arabic letter -> consonant of the phonetic alphabet. Long vowels and the
# letters read as vowels are handled in `arabic_sounds`.
_AR_CONSONANT = {
    "ب": "B", "ت": "T", "ث": "Θ", "ج": "J", "ح": "H", "خ": "K", "د": "D",
    "ذ": "Z", "ر": "R", "ز": "Z", "س": "S", "ش": "X", "ص": "S", "ض": "D",
    "ط": "T", "ظ": "Z", "غ": "G", "ف": "F", "ق": "K", "ك": "K",
    "ل": "L", "م": "M", "ن": "N", "ه": "H",
}


def arabic_sounds(part: str) -> list[str]:
    """Arabic part -> sounds: consonants; long vowels A I U; "E" for a final
    yaa (ي, or ى folded into it: read i or a); "?" for a vowel whose quality
    the script does not write (initial alif, ayn)."""
    out: list[str] = []
    n = len(part)
    for i, ch in enumerate(part):
        nxt = part[i + 1] if i + 1 < n else ""
        before_vowel = nxt == "ا" or (nxt == "ه" and i + 2 == n)
        if ch == "ا":
            out.append("?" if i == 0 else "A")
        elif ch == "و":
            out.append("W" if i == 0 or before_vowel else "U")
        elif ch == "ي":
            if i == 0 or before_vowel or nxt == "و":
                out.append("Y")
            elif i == n - 1 and i > 0 and part[i - 1] != "ا":
                out.append("E")
            else:
                out.append("I")
        elif ch == "ه" and i == n - 1 and i > 0:
            out.append("A")                       # taa marbuta, folded to ه: "a"
        elif ch == "ع":
            out.append("?")
        else:
            c = _AR_CONSONANT.get(ch)
            if c:
                out.append(c)
    return out


# --- Latin ------------------------------------------------------------------

_ARTICLES = frozenset({"al", "el", "il", "ul"})
_ASSIMILATED = frozenset({
    "as", "ash", "es", "esh", "ad", "ed", "ar", "er", "at", "et", "az", "ez",
    "an", "en", "ath", "eth", "adh", "us", "ur", "ud", "ut", "uz", "un",
})
_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdu", "abdur", "abdus", "abdil"})
_ABU = frozenset({"abu", "abou", "abo", "abul", "aboul", "abil"})
_JOIN_PREV = {"din": "din", "deen": "din", "dine": "din", "ddin": "din", "ddine": "din",
              "eddin": "din", "eddine": "din", "uddin": "din", "allah": "lah"}
_NOT_LATIN = re.compile(r"[^a-z\- ]+")
_HYPHENS = re.compile(r"\s*-+\s*")
_LETTERS_AND_SPACES = re.compile("[A-Za-z ]+")
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bc\u02bb\u02be\u02bf\u00b4]")


def normalise_latin(text: str) -> str:
    """Lower-case ASCII letters and hyphens, apostrophes dropped, one space between words."""
    if not text:
        return ""
    if text.isascii():  # nothing to decompose: most Latin spellings
        if _LETTERS_AND_SPACES.fullmatch(text):  # nothing to drop or join either: the steps below change nothing
            return " ".join(text.lower().split())
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _NOT_LATIN.sub(" ", text)
    text = _HYPHENS.sub("-", text).strip("-")
    return " ".join(text.split())


def _strip_latin_article(word: str) -> str:
    """"al-halabi", "ash-shami" -> the stem; other words unchanged."""
    head, dash, tail = word.partition("-")
    if dash and tail and (head in _ARTICLES or head in _ASSIMILATED):
        return tail
    return word


def _abd_compound(word: str) -> str:
    """abdulrahman / abdelkader / abdessalam / abdallah -> abd + stem."""
    rest = word[3:]
    m = re.match(r"[aeiou]{1,2}l(?=[a-z]{2})", rest)
    if m is None:
        m = re.match(r"[aeiou]{1,2}(sh|[rsntdz])(?=\1)", rest)
    return "abd·" + rest[m.end():] if m else word


def latin_parts(text: str) -> list[str]:
    """The parts of a Latin name, normalised, compounds joined, articles stripped.

    "Abd al-Rahman Mohammed el-Halabi" -> ["abd·rahman", "mohammed", "halabi"]
    (the joint "·" of a compound keeps "abd·hamid" from reading "dh").
    """
    words = normalise_latin(text).split()
    # a free-standing article belongs to the next word: "Al Halabi" -> "al-halabi"
    joined: list[str] = []
    for w in words:
        if joined and joined[-1] in _ARTICLES:
            joined[-1] += "-" + w
        else:
            joined.append(w)
    parts: list[str] = []
    pending = ""
    for raw in joined:
        segments = [s for s in raw.split("-") if s]
        # "abdul-rahman", "abu-zeid": the compound written with a hyphen
        if len(segments) >= 2 and (segments[0] in _ABD or segments[0] in _ABU):
            stem = _strip_latin_article("-".join(segments[1:])).replace("-", "")
            parts.append(("abd" if segments[0] in _ABD else "abu") + "·" + stem)
            continue
        word = _strip_latin_article(raw).replace("-", "")
        if pending:
            parts.append(pending + "·" + word)
            pending = ""
        elif word in _ABD:
            pending = "abd"
        elif word in _ABU:
            pending = "abu"
        elif word in _JOIN_PREV and parts:
            parts[-1] += "·" + _JOIN_PREV[word]
        else:
            if word.startswith("abd") and len(word) > 5:
                word = _abd_compound(word)
            elif word.startswith("al") and len(word) >= 5 and len(joined) > 1 and raw == word:
                word = word[2:]                   # "Alhalabi", "Alomar": the article written joined
            parts.append(word)
    if pending:
        parts.append(pending)
    return parts


_LATIN_DIGRAPHS = {
    "kh": "K", "gh": "G", "sh": "X", "ch": "X", "th": "Θ", "dh": "Z", "ph": "F", "ck": "K",
    "oo": "U", "ee": "I", "aa": "A",
}
_LATIN_SINGLE = {
    "b": "B", "c": "K", "d": "D", "f": "F", "g": "J", "h": "H", "j": "J", "k": "K", "l": "L",
    "m": "M", "n": "N", "p": "B", "q": "K", "r": "R", "s": "S", "t": "T", "v": "F",
    "z": "Z", "a": "a", "e": "e", "i": "i", "o": "o", "u": "u",
}
VOWEL_LETTERS = frozenset("aeiou")


def latin_sounds(part: str) -> list[str]:
    """Latin part -> sounds: consonants; long vowels A I U ("aa", "ee", "oo",
    the second letter of a diphthong); "O" for "ou" (long in Mahmoud, short in
    Mounir); short vowels a e i o u; "y"/"w" for a glide before a vowel;
    "@" for a final silent e (Yassine)."""
    out: list[str] = []
    i, n = 0, len(part)
    while i < n:
        ch = part[i]
        prev = part[i - 1] if i else ""
        nxt = part[i + 1] if i + 1 < n else ""
        if part.startswith("ou", i):
            after = part[i + 2] if i + 2 < n else ""
            if i == 0 and after in VOWEL_LETTERS:
                out.append("W")                   # Oualid
            elif after in VOWEL_LETTERS and i > 0:
                out.append("w")                   # Souad
            else:
                out.append("O")
            i += 2
            continue
        sym = _LATIN_DIGRAPHS.get(part[i:i + 2])
        if sym is not None:
            out.append(sym)
            i += 2
            continue
        if ch == "·":
            pass                                  # the joint of a compound
        elif ch in "wy":
            if i == 0:
                out.append(ch.upper())
            elif nxt in VOWEL_LETTERS:
                out.append(ch)                    # a glide: Radwan, Maryam
            else:
                out.append("U" if ch == "w" else "I")
        elif ch in "iuo" and prev and nxt in VOWEL_LETTERS and nxt != ch:
            if prev in VOWEL_LETTERS:
                out.append("I" if ch == "i" else "U")
            else:
                out.append("y" if ch == "i" else "w")   # a glide: Ziad = Ziyad, Suad
        elif ch in "iu" and prev in VOWEL_LETTERS and prev != ch:
            out.append(ch.upper())                # diphthong: Hussein, Faisal, Zeinab
        elif ch == "e" and i == n - 1 and prev and prev not in VOWEL_LETTERS and n > 3:
            out.append("@")                       # silent final e: Yassine, Othmane
        elif ch == "x":
            out += ["K", "S"]
        else:
            sym = _LATIN_SINGLE.get(ch)
            if sym:
                out.append(sym)
        i += 1
    return out
