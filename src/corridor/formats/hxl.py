"""HXL 1.1 CSV exports: a header row, then the hashtag row, then the data — written as a stream of text chunks.

Hashtags are HXL 1.1 core hashtags with attributes (`#population+evacuated`, `#date+reported`, `#meta+source`,
`#loc+origin+code`, `#geo+lat`); where the standard has none a `#x_` extension hashtag is used, each listed in
`EXTENSIONS` with its meaning (docs/picture.md shows them). Personal columns appear only when asked for
(`with_names`), and the caller decides who may ask.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

from ..domain.claims import METRICS

EXTENSIONS: dict[str, str] = {
    "#x_convoys": "convoys that have left since the operation began",
    "#x_vehicles": "vehicles: +bus, +ambulance, +private (used), +attacked (attacked, burnt or damaged)",
    "#x_about": "what a figure is about (a convoy, a place); figures about different things are never compared",
    "#x_reliability": "Admiralty source reliability, A (completely reliable) to F (cannot be judged)",
    "#x_credibility": "Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)",
    "#x_contradiction": "true when two claims' ranges lie further apart than the tolerance",
    "#x_metric": "the metric's code in corridor's vocabulary (its own hashtag is in the column #meta+hxl)",
}

CHUNK_ROWS = 2000


def stream(header: list[str], tags: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV text in chunks: the header, the hashtags (row 2), then the rows (None written as empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(tags)
    for i, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else v for v in row])
        if i % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _bool(value: bool) -> str:
    return "true" if value else "false"


CLAIM_COLUMNS = (
    ("claim", "#meta+id"), ("source", "#meta+source"), ("source_kind", "#org+type"),
    ("outlet", "#meta+source+outlet"), ("url", "#meta+url"), ("reported_at", "#date+reported"),
    ("as_of", "#date+asof"), ("reliability", "#x_reliability"), ("credibility", "#x_credibility"),
    ("metric", "#x_metric"), ("hxl", "#meta+hxl"), ("about", "#x_about"), ("value", "#indicator+value+num"),
    ("low", "#indicator+value+min"), ("high", "#indicator+value+max"), ("operation_state", "#status+operation"),
    ("statement", "#description"), ("withdrawn", "#status+withdrawn"),
)


def claims_csv(claims: list[dict]) -> Iterator[str]:
    """One row per figure of each claim (a claim with no figure: one row with its operation_state)."""

    def rows():
        for c in claims:
            for f in c["figures"] or [None]:
                f = f or {}
                yield [c["claim"], c["source"], c["source_kind"], c["outlet"], c["url"], c["reported_at"],
                       f.get("as_of", c["reported_at"]), c["reliability"], c["credibility"], f.get("metric"),
                       METRICS[f["metric"]].hxl if f else None, f.get("about"), f.get("value"), f.get("low"),
                       f.get("high"), c["operation_state"], c["statement"], _bool(c["withdrawn"])]

    return stream([n for n, _ in CLAIM_COLUMNS], [t for _, t in CLAIM_COLUMNS], rows())


PICTURE_COLUMNS = (
    ("as_of", "#date"), ("metric", "#x_metric"), ("hxl", "#meta+hxl"), ("about", "#x_about"),
    ("low", "#indicator+value+min"), ("high", "#indicator+value+max"), ("estimate", "#indicator+value+est"),
    ("sources", "#meta+count+sources"), ("contradiction", "#x_contradiction"),
    ("ledger", "#indicator+value+ledger"), ("claims", "#meta+id+list"),
)


def picture_csv(picture: dict) -> Iterator[str]:
    """One row per metric (and about) of the picture; the record's own figure in its own column."""
    rows = ([picture["as_of"], m["metric"], METRICS[m["metric"]].hxl, m["about"], m["low"], m["high"], m["estimate"],
             m["sources"], _bool(m["contradiction"]), (m["ledger"] or {}).get("value"),
             " ".join(c["claim"] for c in m["claims"])] for m in picture["metrics"])
    return stream([n for n, _ in PICTURE_COLUMNS], [t for _, t in PICTURE_COLUMNS], rows)


OPERATION_COLUMNS = (
    ("date", "#date"), ("gathering_point", "#loc+origin+code"), ("gathering_point_name", "#loc+origin+name"),
    ("lat", "#geo+lat"), ("lon", "#geo+lon"), ("destination", "#loc+dest+code"),
    ("destination_name", "#loc+dest+name"), ("registered", "#population+registered"),
    ("departed", "#population+departed"), ("arrived", "#population+arrived"), ("held", "#population+held"),
    ("gathering_point_name_ar", "#loc+origin+name+i_ar"), ("destination_name_ar", "#loc+dest+name+i_ar"),
)


def operation_csv(days: list[dict], places: dict[str, tuple[str, str, float, float]]) -> Iterator[str]:
    """Per day, gathering point and destination: persons registered, departed, arrived and held; the places'
    names in English and (in the last columns, added after the others) in Arabic."""
    none = ("", "", None, None)

    def rows():
        for d in days:
            origin, dest = places.get(d["gathering_point"], none), places.get(d["destination"], none)
            yield [d["date"], d["gathering_point"], origin[0], origin[2], origin[3], d["destination"], dest[0],
                   d["registered"], d["departed"], d["arrived"], d["held"], origin[1], dest[1]]

    return stream([n for n, _ in OPERATION_COLUMNS], [t for _, t in OPERATION_COLUMNS], rows())


PERSON_COLUMNS = (
    ("state", "#status"), ("gathering_point", "#loc+origin+code"), ("destination", "#loc+dest+code"),
    ("sex", "#respondee+sex"), ("age_group", "#respondee+age+group"), ("registered", "#date+registered"),
)
NAMED_COLUMNS = (
    ("person_token", "#respondee+token"), ("household_token", "#household+token"),
    ("name_ar", "#respondee+name+i_ar"), ("name_latin", "#respondee+name+i_en"),
    ("birth_year", "#date+birth+year"), ("birth_date", "#date+birth"),
)


def age_group(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    return "child" if age < 18 else "older" if age >= 60 else "adult"


def persons_csv(batches: Iterable[Iterable[Mapping]], *, with_names: bool, year: int) -> Iterator[str]:
    """One row per person: state, places, sex and age group; tokens, names and birth dates only `with_names`."""
    columns = PERSON_COLUMNS + (NAMED_COLUMNS if with_names else ())

    def rows():
        for batch in batches:
            for m in batch:
                row = [m["state"], m["gathering_point"], m["destination"] or "", m["sex"],
                       age_group(m["birth_year"], year), m["registered_at"].date().isoformat()]
                if with_names:
                    row += [m["token"], m["household"], m["name_ar"], m["name_latin"], m["birth_year"],
                            m["birth_date"]]
                yield row

    return stream([n for n, _ in columns], [t for _, t in columns], rows())
