"""HXL hashtags (the Humanitarian Exchange Language row under the headers) and the fields they stand for."""

from __future__ import annotations

import re
from typing import Any

HXL_FIELDS: tuple[tuple[str, str], ...] = (
    # tokens first: a tie between equally specific hashtags goes to the earlier line
    ("#household+token", "household_token"),
    ("#meta+id+household", "household_token"),  # corridor's registration form
    ("#respondee+token", "person_token"),
    ("#respondee+id", "person_token"),  # corridor's registration form
    ("#household+id", "household"),
    ("#household+code", "household"),
    ("#household", "household"),
    ("#respondee+name+i_ar", "name_ar"),
    ("#respondee+name+ar", "name_ar"),
    ("#respondee+name+i_en", "name_latin"),
    ("#respondee+name+en", "name_latin"),
    ("#respondee+name", "name"),  # either script: routed by the letters used
    ("#respondee+sex", "sex"),
    ("#respondee+gender", "sex"),
    ("#sex", "sex"),
    ("#date+birth+year", "birth_year"),
    ("#date+birth", "birth_date"),
    ("#respondee+age", "age"),
    ("#age", "age"),
    # destinations before gathering points: #adm4+code+dest is a destination
    ("#loc+dest", "destination"),
    ("#loc+destination", "destination"),
    ("#adm4+dest", "destination"),
    ("#loc+origin", "gathering_point"),
    ("#adm4+name", "gathering_point"),
    ("#adm4+code", "gathering_point"),
    ("#respondee+relationship", "relationship"),
    ("#respondee+relation", "relationship"),
    ("#indicator+mobility", "mobility"),
    ("#respondee+mobility", "mobility"),
    ("#indicator+precedence", "precedence"),
    ("#respondee+precedence", "precedence"),
    ("#severity", "precedence"),
    ("#respondee+vulnerability", "vulnerabilities"),
    ("#respondee+vulnerabilities", "vulnerabilities"),
    ("#indicator+vulnerability", "vulnerabilities"),
)
"""HXL hashtag (+ attributes) → corridor field. A cell's hashtag matches a line when the
tags are equal and the line's attributes are among the cell's (order and case ignored);
the line with the most attributes wins, then the earlier line."""

_HASHTAG = re.compile(r"^\s*#([A-Za-z][A-Za-z0-9_]*)((?:\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*)\s*$")


def parse_hashtag(text: object) -> tuple[str, frozenset[str]] | None:
    """``'#Respondee +name +i_AR'`` → ``('respondee', {'name', 'i_ar'})``; None when not a hashtag."""
    if not isinstance(text, str):
        return None
    m = _HASHTAG.match(text)
    if not m:
        return None
    attrs = frozenset(a.strip().lower() for a in m.group(2).split("+") if a.strip())
    return m.group(1).lower(), attrs


_HXL_TABLE = [(*parse_hashtag(spec), fld, i) for i, (spec, fld) in enumerate(HXL_FIELDS)]  # type: ignore[misc]


def hxl_field(hashtag: str) -> str | None:
    """The corridor field an HXL hashtag (with attributes) stands for, or None."""
    parsed = parse_hashtag(hashtag)
    if parsed is None:
        return None
    tag, attrs = parsed
    best = None
    for line_tag, line_attrs, fld, order in _HXL_TABLE:
        if line_tag == tag and line_attrs <= attrs:
            rank = (len(line_attrs), -order)
            if best is None or rank > best[0]:
                best = (rank, fld)
    return best[1] if best else None


def _is_hashtag_row(cells: list[Any]) -> bool:
    filled = [c for c in cells if c is not None and str(c).strip()]
    tags = sum(1 for c in filled if parse_hashtag(c))
    return tags > 0 and tags * 2 >= len(filled)
