"""The evidence lines in Arabic: every line the real matcher gives on a generated registry reads in Arabic, with no
English word left (names and numbers as written), and every kind of line and term has both languages."""

from __future__ import annotations

import re
import string

import pytest

from corridor.matching import PersonMatcher, explain, find_duplicates
from corridor.matching.wording import LINES, TERMS
from corridor.scenarios import arabic_registry, syrian_registry

LATIN = re.compile(r"[A-Za-z]")
KINDS_AT_LEAST = 20  # kinds of line each small registry gives (22 of the 24 whole-line kinds at these seeds)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def pattern(template: str) -> re.Pattern:
    """A line kind's English template as a pattern: its words as written, each field anything."""
    out = ""
    for text, name, _, _ in string.Formatter().parse(template):
        out += re.escape(text) + ("(.*)" if name else "")
    return re.compile(out + "$", re.S)


# whole lines only: the part of a line put inside another (a year said, a birth, the prior) are in their lines
WHOLE = {"father_born", "after_grandfather", "rare_spelling", "level_said", "years_between", "years_before",
         "years_after", "year_fits", "year_does_not_fit", "prior"}
PATTERNS = {kind: pattern(t) for kind, t in LINES["en"].items() if kind not in WHOLE}


def kind_of(line: str) -> str:
    found = [kind for kind, p in PATTERNS.items() if p.match(line)]
    assert found, f"a line of no known kind: {line!r}"
    return found[0]


def written(evidence: dict) -> list[str]:
    """What the lines keep as written: the names compared, the father found, the gathering points."""
    names = evidence.get("names") or {}
    values = [str(p[side]) for p in names.get("parts") or () for side in ("a", "b")
              if p.get(side) and not (p.get("part") == "father registered" and side == "a")]  # "a": the side
    values += [str(evidence.get("gathering_point", {}).get(side) or "") for side in ("a", "b")]
    return sorted({v for v in values if v}, key=len, reverse=True)


@pytest.fixture(scope="module", params=[(arabic_registry.generate, 3), (syrian_registry.generate, 5)],
                ids=["arabic_registry", "syrian_registry"])
def candidates(request):
    generate, seed = request.param
    registry = generate(1200, seed=seed)
    found = find_duplicates(registry.records, 0.0, matcher=PersonMatcher())
    assert len(found) > 100
    return found


def test_every_line_the_matcher_gives_reads_in_arabic_with_no_english_left(candidates):
    kinds = set()
    for candidate in candidates:
        english, arabic = explain(candidate.evidence), explain(candidate.evidence, lang="ar")
        assert len(english) == len(arabic)
        kept = written(candidate.evidence)
        for en, ar in zip(english, arabic):
            kinds.add(kind_of(en))
            left = ar
            for value in kept:
                left = left.replace(value, "")
            assert not LATIN.search(left), f"English left in {ar!r} (from {en!r})"
            assert ar != en
    assert len(kinds) >= KINDS_AT_LEAST, sorted(kinds)


@pytest.mark.parametrize("kind", sorted(LINES["en"]))
def test_each_kind_of_line_has_both_languages_with_the_same_fields(kind):
    english, arabic = LINES["en"][kind], LINES["ar"][kind]
    assert fields(arabic) <= fields(english) | {"n"}
    assert fields(english) - fields(arabic) <= {"side"}  # Arabic says "its", where English repeats the side
    assert not LATIN.search(re.sub(r"\{[a-z_]+\}", "", arabic)), arabic


@pytest.mark.parametrize("table", sorted(TERMS["en"]))
def test_each_term_the_english_lines_use_has_an_arabic_one(table):
    english, arabic = TERMS["en"][table], TERMS["ar"][table]
    assert english.keys() <= arabic.keys()
    for word in arabic.values():
        assert not LATIN.search(re.sub(r"\{[a-z_]+\}", "", word)), word


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang: expected one of en, ar"):
        explain({}, lang="fr")
