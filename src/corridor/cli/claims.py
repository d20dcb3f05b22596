"""Claims made by others, the situation picture and the daily sitrep."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .common import AsJson, Db, done, out, print_json, read_json, records, refusals, runtime, write_file

claims = typer.Typer(help="Claims made by others about the operation (never the operation's own record).",
                     no_args_is_help=True)


def _items(document) -> list:
    """One claim, a list of claims, or {"claims": [...]}."""
    if isinstance(document, dict) and isinstance(document.get("claims"), list):
        return document["claims"]
    return document if isinstance(document, list) else [document]


@claims.command("add")
@refusals
@records
def add(file: Annotated[str, typer.Argument(help="A JSON file (one claim, a list, or {\"claims\": [...]}); - reads stdin.")],
        db: Db = None, meta=None):
    """Record claims from a JSON file: all of them or, if any is refused, none (adding a file again adds nothing)."""
    from ..service import claims as svc

    document = read_json(Path(file))
    items = _items(document)
    rt = runtime(db)
    if len(items) == 1 and meta.command_id:
        r = svc.record(rt, meta, items[0])
        done(r, f"claim {r.data['claim']} recorded ({r.data['content']['source']})")
        return
    receipts = svc.record_many(rt, meta, items)
    new = [r for r in receipts if not r.replayed]
    out.print(f"{len(new)} claim(s) recorded, {len(receipts) - len(new)} already recorded"
              + (f": {new[0].data['claim']}–{new[-1].data['claim']}" if new else ""), highlight=False)


@claims.command("list")
@refusals
def list_(db: Db = None, metric: Optional[str] = None, source: Optional[str] = None,
          start: Annotated[Optional[str], typer.Option("--from", help="Reported from (ISO 8601).")] = None,
          end: Annotated[Optional[str], typer.Option("--to", help="Reported up to (ISO 8601).")] = None,
          withdrawn: bool = typer.Option(False, "--withdrawn", help="Withdrawn claims too."), as_json: AsJson = False):
    """The claims as they stand, by when they were reported."""
    from ..service import claims as svc

    found = svc.listing(runtime(db), metric=metric, source=source, start=start, end=end, withdrawn=withdrawn)
    if as_json:
        print_json(found)
        return
    table = Table("claim", "source", "kind", "reported", "grading", "figures", "state")
    for c in found:
        figures = "; ".join(f"{f['metric']}{' (' + f['about'] + ')' if f['about'] else ''} "
                            f"{f['value'] if f['value'] is not None else str(f['low']) + '–' + str(f['high'] or '')}"
                            for f in c["figures"])
        table.add_row(c["claim"] + (" (withdrawn)" if c["withdrawn"] else ""), c["source"], c["source_kind"],
                      c["reported_at"][:16], f"{c['reliability']}{c['credibility']}", figures,
                      c["operation_state"] or "")
    out.print(table)


@claims.command("withdraw")
@refusals
@records
def withdraw(claim: str, reason: str = typer.Option(..., "--reason"), db: Db = None, meta=None):
    """Take a claim out of the picture (the ledger keeps it)."""
    from ..service import claims as svc

    r = svc.withdraw(runtime(db), meta, claim, reason)
    done(r, f"claim {r.data['claim']} withdrawn")


@refusals
def picture(db: Db = None, as_of: Annotated[Optional[str], typer.Option("--as-of", help="The time pictured (default now).")] = None,
            known_at: Annotated[Optional[str], typer.Option("--known-at", help="Only claims reported by then.")] = None,
            window: Annotated[Optional[float], typer.Option("--window", help="Hours before the time (24).")] = None,
            as_json: AsJson = False):
    """The situation picture: who claims what, the range, the graded estimate, contradictions; the record apart."""
    from ..service import picture as svc

    p = svc.picture(runtime(db), as_of=as_of, known_at=known_at, window_hours=window)
    if as_json:
        print_json(p)
        return
    table = Table("metric", "about", "low", "high", "estimate", "sources", "contradiction", "record",
                  title=f"picture as of {p['as_of']}", title_justify="left")
    for m in p["metrics"]:
        table.add_row(m["metric"], m["about"] or "", f"{m['low']:,}", f"{m['high']:,}" + ("+" if m["open_ended"] else ""),
                      f"{m['estimate']:,}", str(m["sources"]), "yes" if m["contradiction"] else "no",
                      f"{m['ledger']['value']:,}" if m["ledger"] else "")
    if p["metrics"]:
        out.print(table)
    else:
        out.print(f"picture as of {p['as_of']}: no claim about the {p['window_hours']:g} hours before it "
                  f"(record others' figures with `corridor claims add`)", highlight=False)
    state = p["operation_state"]
    if state["claims"]:
        said = ", ".join(f"{c['source']}: {c['state']}" + (" (differs from the record)" if c["contradicts_record"] else "")
                         for c in state["claims"])
        out.print(f"operation state — {said}; record: {state['ledger'] or '–'}"
                  + ("; reports disagree" if state["contradiction"] else ""), highlight=False)


@refusals
def sitrep(date: Annotated[Optional[str], typer.Option("--date", help="The day (YYYY-MM-DD, UTC); default the operation's today.")] = None,
           lang: str = typer.Option("en", "--lang", help="en or ar."),
           pdf: bool = typer.Option(False, "--pdf", help="Write a PDF instead of HTML."),
           out_file: Annotated[Optional[Path], typer.Option("--out", help="Write here (default: sitrep-DATE-LANG.html/pdf).")] = None,
           db: Db = None):
    """The daily situation report (aggregates only, no names or tokens) as HTML or PDF."""
    from ..service import sitrep as svc

    rt = runtime(db)
    content = svc.sitrep(rt, date, lang=lang, fmt="pdf" if pdf else "html")
    target = out_file or Path(f"sitrep-{svc.day_of(rt, date).isoformat()}-{lang}.{'pdf' if pdf else 'html'}")
    write_file(target, content)
    out.print(f"sitrep written to {target}", highlight=False)
