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
"""

from __future__ import annotations

from collections.abc import Mapping

_SCRIPT = {"both": "Names in Arabic (and Latin) letters",
           "arabic": "Arabic names", "latin": "Latin names", "arabic-latin": "Names in Arabic and Latin letters"}
_PART = {"given": "given name", "father": "father's name", "grandfather": "grandfather's name",
         "ancestor": "ancestor's name", "family": "family name"}
_ORDER = list(_PART)  # the order in which a name is written
_LEVEL_VERB = {"agree": "agrees", "close": "is close", "weak": "is weakly alike", "disagree": "differs"}
_NOTHING = "—"
_NAMESAKES = ("namesakes possible: written alike, and about {:.2f} other registrations would agree this well by "
              "chance; before merging compare the households, ask for the mother's name and the place of birth")


def _signed(weight: object) -> str:
    return f"{float(weight):+.2f}" if isinstance(weight, (int, float)) else "?"


def _shown(value: object) -> str:
    return _NOTHING if value in (None, "") else str(value)


def _part_line(part: Mapping) -> str | None:
    role, level = str(part.get("part") or ""), str(part.get("level") or "")
    if role == "lineage":
        return f"  lineage weighed as one: {level.replace('+', ', ')} ({_signed(part.get('weight'))})"
    if role == "father dropped":
        return f"  a father's name taken as left out in one registration ({_signed(part.get('weight'))})"
    if role == "father registered":
        side, year = _shown(part.get("a")), part.get("born")
        born = f", born {year}" if isinstance(year, int) else ""
        return (f"  but {side}'s household holds {side}'s father by the name {side} gives ({_shown(part.get('b'))}"
                f"{born}): the middle name is the father's, not left out ({_signed(part.get('weight'))})")
    name = _PART.get(role, role)
    a, b = _shown(part.get("a")), _shown(part.get("b"))
    if level == "missing":
        return f"  {name} written in one registration only ({a} / {b})"
    verb = _LEVEL_VERB.get(level.split(" ")[0], level)
    if level.endswith("(named after the grandfather)"):
        verb += ", named after the grandfather"
    elif level.endswith("(a rare spelling of a common name)"):
        verb += ", a rare spelling of a common name (a slip, not another name)"
    similarity = part.get("similarity")
    score = f" {float(similarity):.2f}" if isinstance(similarity, (int, float)) else ""
    return f"  {name} {verb}{score} ({a} / {b})"


def _names_lines(names: Mapping) -> list[str]:
    if not names.get("script"):
        return ["names: not compared (a registration has no name)"]
    parts = [p for p in names.get("parts") or () if isinstance(p, Mapping)]
    named = sorted((p for p in parts if p.get("part") in _PART), key=lambda p: _ORDER.index(p["part"]))
    side_a = " ".join(_shown(p.get("a")) for p in named if p.get("a"))
    side_b = " ".join(_shown(p.get("b")) for p in named if p.get("b"))
    head = f"{_SCRIPT.get(names['script'], names['script'])} compared {names.get('alignment') or 'as written'}: " \
           f"{side_a or _NOTHING} / {side_b or _NOTHING} ({_signed(names.get('weight'))})"
    return [head] + [line for line in map(_part_line, parts) if line]


def _compared(label: str, item: Mapping) -> str:
    """birth year, sex, gathering point: "label X in both" or "label X vs Y", with the level and weight."""
    a, b, level = item.get("a"), item.get("b"), str(item.get("level") or "")
    weight = f" ({_signed(item.get('weight'))})"
    if a in (None, "") or b in (None, ""):
        return f"{label} not known for both ({_shown(a)} / {_shown(b)}){weight}"
    if a == b:
        return f"{label} {a} in both{weight}"
    said = f": {level}" if level not in ("", "different", "disagree") else ""
    return f"{label} {a} vs {b}{said}{weight}"


def _year_by_household_line(item: Mapping) -> str:
    """A birth year missing on one side, which that registration's relatives by name in its household place
    within a year of the other's, or further away."""
    told = item["household"]
    side = str(told.get("side") or "a")
    other = item.get("b") if side == "a" else item.get("a")
    lo, hi = (list(told.get("allowed") or ()) + [None, None])[:2]
    if isinstance(lo, int) and lo > -10_000 and isinstance(hi, int) and hi < 10_000:
        years = f"between {lo} and {hi}"
    elif isinstance(hi, int) and hi < 10_000:
        years = f"in {hi} or before"
    else:
        years = f"in {lo} or after"
    said = f"and {_shown(other)} is within a year of that" if told.get("fits") else \
        f"not in {_shown(other)}: two people"
    return (f"birth year not known for {side}, {_shown(other)} for the other; {side}'s relatives by name in its "
            f"household (father, children, brothers and sisters) put its birth {years}, {said} "
            f"({_signed(item.get('weight'))})")


_MOTHER = "a mother living with her children"


def _household_line(item: Mapping, sex: Mapping) -> str:
    """One household holding one name twice; two families (each registration with relatives of its own, or
    each a mother with her children); two households holding others alike by name (perhaps one family
    registered twice); a mother beside a daughter or sister by name (a married woman's two families, not
    weighed); or not weighed."""
    weight = _signed(item.get("weight"))
    if item.get("same"):
        if item.get("scored"):
            return f"same household, one given name and lineage in one family ({weight})"
        return "same household (not weighed)"
    shared = item.get("shared") or 0
    if shared:
        return (f"different households holding {shared} other member{'s' if shared > 1 else ''} alike by name "
                "and birth year: perhaps one family registered twice (not weighed)")
    relatives, mothers = list(item.get("relatives") or (None, None)), list(item.get("mothers") or (False, False))
    if item.get("scored"):
        if all(mothers) and not all(relatives):
            return f"different households, each registration {_MOTHER}: two families ({weight})"
        return f"different households, each registration living with relatives by name: two families ({weight})"
    if any(mothers) and not all(mothers) and relatives[mothers.index(False)]:
        mother, other = ("a", "b") if mothers[0] else ("b", "a")
        return (f"different households, {mother} is {_MOTHER}, {other} lives with relatives by name: a married "
                "woman has two families, her father's and her own (not weighed)")
    alone = [side for side, rel in zip("ab", item.get("relatives") or ()) if rel is False]
    if alone and sex.get("level") == "same" and str(sex.get("a") or "").casefold() in ("male", "m"):
        lives = "live" if len(alone) > 1 else "lives"
        return (f"different households; {' and '.join(alone)} {lives} with no relative by name, as a man registered "
                "a second time does (weighed in the calibration)")
    return "different households (not weighed)"


def explain(evidence: Mapping) -> list[str]:
    """Short readable lines for a candidate pair's evidence (see the module's example)."""
    lines: list[str] = []
    for key, item in evidence.items():
        if key in ("log2_odds", "prior_log2_odds", "calibrated_log2_odds") or not isinstance(item, Mapping):
            continue
        if key == "names":
            lines += _names_lines(item)
        elif key == "namesakes":
            if item.get("possible"):
                lines.append(_NAMESAKES.format(float(item.get("expected") or 0.0)))
        elif key == "household":
            lines.append(_household_line(item, evidence.get("sex") or {}))
        elif key == "birth_year" and isinstance(item.get("household"), Mapping):
            lines.append(_year_by_household_line(item))
        else:
            lines.append(_compared(key.replace("_", " "), item))
    if "log2_odds" in evidence:
        prior = f" (prior {_signed(evidence['prior_log2_odds'])})" if "prior_log2_odds" in evidence else ""
        lines.append(f"overall log2 odds {_signed(evidence['log2_odds'])}{prior}")
    if "calibrated_log2_odds" in evidence:
        odds = float(evidence["calibrated_log2_odds"])
        chance = 1.0 / (1.0 + 2.0 ** -odds) if -60 < odds < 60 else float(odds > 0)
        lines.append(f"calibrated log2 odds {_signed(odds)}: one person with probability {chance:.2f}")
    return lines
