"""The sitrep as a document of sections (heading, paragraphs, tables) in one language, from the service's
aggregates: HTML and PDF draw the same document."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..shaping import number, utc_date, utc_time
from .words import words


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)  # (header, rows)


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    sections: list[Section]
    footer: str

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


class _Fmt:
    def __init__(self, lang: str):
        self.lang = lang

    def n(self, value) -> str:
        return number(value, self.lang)

    def t(self, iso: str | None) -> str:
        return utc_time(iso, self.lang)


def _source(w: dict, c: dict) -> str:
    """A body by its name; a witness (a person) only as "witness": the sitrep names nobody."""
    return w["source_kinds"]["witness"] if c["source_kind"] == "witness" else c["source"]


def _figure(f: _Fmt, w: dict, c: dict) -> str:
    if c["value"] is not None:
        return f.n(c["value"])
    if c["high"] is None:
        return f"{w['more_than']} {f.n(c['low'])}"
    return f"{f.n(c['low'])}–{f.n(c['high'])}"


def _own(f: _Fmt, w: dict, data: dict) -> Section:
    keys = ("registered", "departed", "arrived", "held", "trips", "convoys")
    s = Section(w["own"], [w["own_note"]])
    s.tables.append(([w["metric"], w["today"], w["since"]],
                     [[w[k], f.n(data["today"][k]), f.n(data["since_start"][k])] for k in keys]))
    return s


def _halts(f: _Fmt, w: dict, data: dict) -> Section:
    s = Section(w["halts"])
    if not data["halts"]:
        s.paragraphs.append(w["no_halts"])
    else:
        s.tables.append(([w["cause"], w["halted_at"], w["resumed_at"]],
                         [[w["causes"].get(h["cause"], h["cause"]), f.t(h["halted_at"]),
                           f.t(h["resumed_at"]) if h["resumed_at"] else w["still_halted"]] for h in data["halts"]]))
    return s


def _plan(f: _Fmt, w: dict, data: dict) -> Section:
    s = Section(w["plan"])
    p = data["plan"]
    if p is None:
        s.paragraphs.append(w["no_plan"])
    else:
        s.tables.append(([w["metric"], w["date"]], [[w["plan_made"], f.t(p["made_at"])],
                                                    [w["finish_at"], f.t(p["finish_at"])],
                                                    [w["lower_bound_at"], f.t(p["lower_bound_at"])]]))
    return s


def _picture(f: _Fmt, w: dict, picture: dict) -> list[Section]:
    out = []
    if not picture["metrics"]:
        out.append(Section(w["picture"], [w["picture_note"], w["no_claims"]]))
    for m in picture["metrics"]:
        name = w["metrics"][m["metric"]] + (f" ({w['about']} {m['about']})" if m["about"] else "")
        high = f"{w['more_than']} {f.n(m['high'])}" if m["open_ended"] else f.n(m["high"])
        summary = (f"{w['range']}: {f.n(m['low'])} – {high}. {w['estimate']}: {f.n(m['estimate'])}. "
                   f"{w['sources']}: {f.n(m['sources'])}. {w['disputed'] if m['contradiction'] else w['consistent']}.")
        if m["ledger"] is not None:
            summary += f" {w['record']}: {f.n(m['ledger']['value'])}."
        rows = [[_source(w, c), w["source_kinds"][c["source_kind"]], _figure(f, w, c),
                 f"{c['reliability']}{c['credibility']}", f.t(c["reported_at"]) + (f" · {w['far']}"
                                                                               if c["far_from_ledger"] else "")]
                for c in m["claims"]]
        s = Section(f"{w['picture']}: {name}", [summary])
        s.tables.append(([w["source"], w["kind"], w["says"], w["grading"], w["reported"]], rows))
        out.append(s)
    state = picture["operation_state"]
    if state["claims"]:
        s = Section(w["state"])
        if state["contradiction"]:
            s.paragraphs.append(w["state_disputed"] + ".")
        if state["ledger"]:
            s.paragraphs.append(f"{w['state_record']}: {w[state['ledger']]}.")
        s.tables.append(([w["source"], w["kind"], w["state"], w["grading"], w["reported"]],
                         [[_source(w, c), w["source_kinds"][c["source_kind"]],
                           w[c["state"]] + (f" · {w['against_record']}" if c["contradicts_record"] else ""),
                           f"{c['reliability']}{c['credibility']}", f.t(c["as_of"])] for c in state["claims"]]))
        out.append(s)
    return out


def document(data: dict, lang: str) -> Document:
    w, f = words(lang), _Fmt(lang)
    op = data["operation"] or {}
    name = (op.get("name_ar") if lang == "ar" else None) or op.get("name_en") or ""
    sections = [_own(f, w, data), _halts(f, w, data), _plan(f, w, data), *_picture(f, w, data["picture"])]
    subtitle = f"{name} · {w['date']}: {utc_date(data['date'], lang)} · {w['as_of']}: {f.t(data['picture']['as_of'])}"
    return Document(lang, w["title"], subtitle, sections, w["footer"])
