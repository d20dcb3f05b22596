"""A candidate pair's evidence in short readable lines, for the registrar who decides.

`explain(evidence)` reads the JSON-ready evidence of `Candidate.evidence` (as stored with a duplicate
pair) and gives one line per finding, e.g.

    Arabic names compared as written: محمد احمد حلبي / محمد احمد حلبي (+12.42)
      given name agrees 1.00 (محمد / محمد)
      family name agrees 1.00 (حلبي / حلبي)
      father's name agrees 1.00 (احمد / احمد)
      lineage weighed as one: family, father (+8.35)
    birth year 1980 vs 1981: one year apart (+1.99)
    sex male in both (+0.00)
    gathering point GP-A vs GP-B (-0.39)
    different households; b lives with no relative by name, as a man registered a second time does (weighed in the calibration)
    overall log2 odds +10.70 (prior -3.32)

The household line reads the names of the people registered with each (`households`): one household
holding one name twice; two families -- each registration living with relatives by name (or each a
mother living with her children: a wife's name is her father's chain), in households sharing nobody,
as namesakes do; or two households holding other members alike by name and birth year
(perhaps one family registered twice; shown, not weighed); for two men, one living with no relative by
name (a man's relatives show in the names of his household, a wife's do not).

Two lines more read the household: where a registration has no birth year, the years its relatives by
name there (father, children, brothers and sisters) allow, and whether the other's year is within them;
and where a name is read with its father's name left out, that its household holds its father by the name
it gives (so the middle name is the father's after all).

The names are shown as compared: folded (hamza, taa marbuta, alif and yaa forms made one) and
without "al-". Where both registrations write both scripts part for part, each part is shown as
"محمد (mohammed)" and scores as the better of its Arabic and its Latin reading (two witnesses: a
typo in one script is outvoted by the other). The last lines give the Fellegi-Sunter sum and the
calibrated odds the score is read from. A pair written alike (every part agreeing as written, the
same birth year or one missing) may be two people of one name: where chance alone would give at least
0.01 such agreements in the registry, the "namesakes possible" line says so, with that number, and what
to ask.

Numbers in brackets are the weights (log2 likelihood ratios): positive speaks for one person,
negative against. Evidence of other matchers (flat fields) is read field by field.

`explain(evidence, lang="ar")` gives the same lines in Arabic, for the registrar's screen; the words of
both languages are in `wording`, names and numbers kept as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from .wording import LANGS, LINES, TERMS

_ORDER = list(TERMS["en"]["part"])  # the order in which a name is written
_NOTHING = "—"
# the person matcher's findings in the order they are read (a stored pair's evidence may come back in another)
_FIRST = ("names", "birth_year", "sex", "gathering_point", "household", "namesakes")


class _Say:
    """The lines and terms of one language: `say(kind, **values)` a line, `term(table, value)` a word."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"lang: expected one of {', '.join(LANGS)}, not {lang!r}")
        self.lines, self.terms = LINES[lang], TERMS[lang]

    def __call__(self, kind: str, **values) -> str:
        return self.lines[kind].format(**values)

    def term(self, table: str, value: object) -> str:
        return self.terms[table].get(str(value), str(value))

    def level(self, level: str) -> str:
        """How far apart two values are, as the evidence says it: "one year apart", "3 years apart", "level 1"."""
        words = level.split(" ")
        if level == "one year apart":
            return self.terms["level"][level]
        if len(words) == 3 and words[0].isdigit() and words[1:] == ["years", "apart"]:
            return self.terms["level"]["years apart"].format(n=words[0])
        if len(words) == 2 and words[0] == "level" and words[1].isdigit():
            return self.terms["level"]["level"].format(n=words[1])
        return self.terms["level"].get(level, level)


def _signed(weight: object) -> str:
    return f"{float(weight):+.2f}" if isinstance(weight, (int, float)) else "?"


def _shown(value: object) -> str:
    return _NOTHING if value in (None, "") else str(value)


def _part_line(say: _Say, part: Mapping) -> str | None:
    role, level = str(part.get("part") or ""), str(part.get("level") or "")
    weight = _signed(part.get("weight"))
    if role == "lineage":
        roles = say.term("glue", "list").join(say.term("lineage_role", r) for r in level.split("+"))
        return say("lineage", roles=roles, weight=weight)
    if role == "father dropped":
        return say("father_dropped", weight=weight)
    if role == "father registered":
        year = part.get("born")
        born = say("father_born", year=year) if isinstance(year, int) else ""
        return say("father_registered", side=say.term("side", _shown(part.get("a"))), father=_shown(part.get("b")),
                   born=born, weight=weight)
    name = say.term("part", role)
    a, b = _shown(part.get("a")), _shown(part.get("b"))
    if level == "missing":
        return say("part_missing", part=name, a=a, b=b)
    verb = say.terms["verb"].get(level.split(" ")[0], level)
    if level.endswith("(named after the grandfather)"):
        verb += say("after_grandfather")
    elif level.endswith("(a rare spelling of a common name)"):
        verb += say("rare_spelling")
    similarity = part.get("similarity")
    score = f" {float(similarity):.2f}" if isinstance(similarity, (int, float)) else ""
    return say("part_compared", part=name, verb=verb, score=score, a=a, b=b)


def _names_lines(say: _Say, names: Mapping) -> list[str]:
    if not names.get("script"):
        return [say("names_none")]
    parts = [p for p in names.get("parts") or () if isinstance(p, Mapping)]
    named = sorted((p for p in parts if p.get("part") in _ORDER), key=lambda p: _ORDER.index(p["part"]))
    side_a = " ".join(_shown(p.get("a")) for p in named if p.get("a"))
    side_b = " ".join(_shown(p.get("b")) for p in named if p.get("b"))
    head = say("names_head", script=say.term("script", names["script"]),
               alignment=say.term("alignment", names.get("alignment") or "as written"),
               a=side_a or _NOTHING, b=side_b or _NOTHING, weight=_signed(names.get("weight")))
    return [head] + [line for line in (_part_line(say, p) for p in parts) if line]


def _compared(say: _Say, key: str, item: Mapping) -> str:
    """birth year, sex, gathering point: "label X in both" or "label X vs Y", with the level and weight."""
    label = say.terms["field"].get(key, key.replace("_", " "))
    a, b, level = item.get("a"), item.get("b"), str(item.get("level") or "")
    weight = f" ({_signed(item.get('weight'))})"
    if a in (None, "") or b in (None, ""):
        return say("not_known", label=label, a=say.term("value", _shown(a)), b=say.term("value", _shown(b)),
                   weight=weight)
    if a == b:
        return say("in_both", label=label, a=say.term("value", a), weight=weight)
    said = say("level_said", level=say.level(level)) if level not in ("", "different", "disagree") else ""
    return say("versus", label=label, a=say.term("value", a), b=say.term("value", b), level=said, weight=weight)


def _year_by_household_line(say: _Say, item: Mapping) -> str:
    """A birth year missing on one side, which that registration's relatives by name in its household place
    within a year of the other's, or further away."""
    told = item["household"]
    side = str(told.get("side") or "a")
    other = _shown(item.get("b") if side == "a" else item.get("a"))
    lo, hi = (list(told.get("allowed") or ()) + [None, None])[:2]
    if isinstance(lo, int) and lo > -10_000 and isinstance(hi, int) and hi < 10_000:
        years = say("years_between", lo=lo, hi=hi)
    elif isinstance(hi, int) and hi < 10_000:
        years = say("years_before", hi=hi)
    else:
        years = say("years_after", lo=lo)
    said = say("year_fits" if told.get("fits") else "year_does_not_fit", other=other)
    return say("year_by_household", side=say.term("side", side), other=other, years=years, said=said,
               weight=_signed(item.get("weight")))


def _household_line(say: _Say, item: Mapping, sex: Mapping) -> str:
    """One household holding one name twice; two families (each registration with relatives of its own, or
    each a mother with her children); two households holding others alike by name (perhaps one family
    registered twice); a mother beside a daughter or sister by name (a married woman's two families, not
    weighed); or not weighed."""
    weight = _signed(item.get("weight"))
    if item.get("same"):
        return say("household_same_scored", weight=weight) if item.get("scored") else say("household_same")
    shared = item.get("shared") or 0
    if shared:
        return say("household_shared_many" if shared > 1 else "household_shared_one", shared=shared)
    relatives, mothers = list(item.get("relatives") or (None, None)), list(item.get("mothers") or (False, False))
    if item.get("scored"):
        if all(mothers) and not all(relatives):
            return say("household_two_mothers", weight=weight)
        return say("household_two_families", weight=weight)
    if any(mothers) and not all(mothers) and relatives[mothers.index(False)]:
        mother, other = ("a", "b") if mothers[0] else ("b", "a")
        return say("household_married_woman", mother=say.term("side", mother), other=say.term("side", other))
    alone = [side for side, rel in zip("ab", item.get("relatives") or ()) if rel is False]
    if alone and sex.get("level") == "same" and str(sex.get("a") or "").casefold() in ("male", "m"):
        sides = say.term("glue", "and").join(say.term("side", side) for side in alone)
        return say("household_alone_both" if len(alone) > 1 else "household_alone_one", sides=sides)
    return say("household_different")


def explain(evidence: Mapping, lang: str = "en") -> list[str]:
    """Short readable lines for a candidate pair's evidence (see the module's example), in English or Arabic."""
    say = _Say(lang)
    lines: list[str] = []
    keys = [k for k in _FIRST if k in evidence] + [k for k in evidence if k not in _FIRST]
    for key, item in ((k, evidence[k]) for k in keys):
        if key in ("log2_odds", "prior_log2_odds", "calibrated_log2_odds") or not isinstance(item, Mapping):
            continue
        if key == "names":
            lines += _names_lines(say, item)
        elif key == "namesakes":
            if item.get("possible"):
                lines.append(say("namesakes", expected=f"{float(item.get('expected') or 0.0):.2f}"))
        elif key == "household":
            lines.append(_household_line(say, item, evidence.get("sex") or {}))
        elif key == "birth_year" and isinstance(item.get("household"), Mapping):
            lines.append(_year_by_household_line(say, item))
        else:
            lines.append(_compared(say, key, item))
    if "log2_odds" in evidence:
        prior = say("prior", prior=_signed(evidence["prior_log2_odds"])) if "prior_log2_odds" in evidence else ""
        lines.append(say("overall", odds=_signed(evidence["log2_odds"]), prior=prior))
    if "calibrated_log2_odds" in evidence:
        odds = float(evidence["calibrated_log2_odds"])
        chance = 1.0 / (1.0 + 2.0 ** -odds) if -60 < odds < 60 else float(odds > 0)
        lines.append(say("calibrated", odds=_signed(odds), chance=f"{chance:.2f}"))
    return lines
