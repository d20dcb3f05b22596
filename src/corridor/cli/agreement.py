"""The agreement as rules: show, set, amend; a person's category; the linked operation's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .common import AsJson, Db, console, done, out, print_json, read_json, records, refusals, runtime

agreement = typer.Typer(help="The negotiated agreement as rules: categories, destinations, items, quotas, the linked "
                             "operation. Recorded and amended, never edited.", no_args_is_help=True)


@agreement.command("show")
@refusals
def show(db: Db = None, as_json: AsJson = False):
    """The terms in force, their versions, the quotas used, the linked operation's state and the overrides."""
    from ..service import agreement as svc

    s = svc.show(runtime(db))
    if as_json:
        print_json(s)
        return
    if s["terms"] is None:
        out.print("no agreement recorded (corridor agreement set FILE)")
        return
    t = s["terms"]
    out.print(f"agreement: {len(s['versions'])} version(s); in force since {s['versions'][-1]['at']}"
              + (f"; from {t['starts_at']}" if t["starts_at"] else "") + (f" to {t['ends_at']}" if t["ends_at"] else ""),
              highlight=False)
    table = Table(title="categories", title_justify="left")
    for col in ("category", "order", "destinations", "items", "with civilians"):
        table.add_column(col)
    for c in sorted(t["categories"], key=lambda c: (c["order"], c["code"])):
        items = ("only " + ", ".join(c["items_allowed"]) if c["items_allowed"] else "any") + \
            ("; not " + ", ".join(c["items_excluded"]) if c["items_excluded"] else "")
        table.add_row(f"{c['code']} ({c['label_en']})" + (" *" if c["code"] == t["default_category"] else ""),
                      str(c["order"]), ", ".join(c["destinations"]) or "any", items,
                      "yes" if c["with_civilians"] else "no")
    out.print(table)
    for quota in s["quotas"]:
        out.print(f"quota: {quota['limit']:,} per {quota['period']} ({quota['category'] or 'everyone'}); "
                  f"{quota['left']:,} left so far", highlight=False)
    if s["link"]:
        out.print(f"linked operation {s['link']['name']}: {s['link']['words']}", highlight=False)
        from ..service.linked import words

        for i in s["link"]["incidents"]:
            out.print(f"linked operation incident: {words(i)}" + (f" — {i['note']}" if i["note"] else ""),
                      highlight=False)
    for o in s["overrides"]:
        out.print(f"override {o['kind']} {o['trip']} at {o['at']}: {', '.join(o['rules'])} — {o['reason']}",
                  highlight=False)


@agreement.command("set")
@refusals
@records
def set_(file: Annotated[Path, typer.Argument(help="The terms as JSON (see README).")], db: Db = None, meta=None):
    """Record the agreement's terms (once; afterwards amend)."""
    from ..service import agreement as svc

    terms = read_json(file)  # before the database is opened (or made): a bad file changes nothing
    done(svc.set_agreement(runtime(db), meta, terms=terms), "agreement set")


@agreement.command("amend")
@refusals
@records
def amend(file: Annotated[Path, typer.Argument(help="The new terms as JSON, whole.")],
          reason: str = typer.Option(..., "--reason", help="Why the agreement changed."), db: Db = None, meta=None):
    """Replace the agreement's terms by new ones (the earlier stay in the ledger)."""
    from ..service import agreement as svc

    terms = read_json(file)
    done(svc.amend_agreement(runtime(db), meta, terms=terms, reason=reason), "agreement amended")


@agreement.command("category")
@refusals
@records
def category(token: str, code: str, item: Optional[list[str]] = typer.Option(None, "--item", help="A declared item."),
             note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Set a person's category under the agreement and the items they declared (protection-sensitive)."""
    from ..service import agreement as svc

    done(svc.set_category(runtime(db), meta, token=token, category=code, items=item or [], note=note),
         "category set")


@agreement.command("category-show")
@refusals
def category_show(token: str, db: Db = None, as_json: AsJson = False):
    """A person's category under the agreement and the items they declared (protection-sensitive; the read is
    logged)."""
    from ..service import agreement as svc

    c = svc.person_category(runtime(db), token, viewer=console())
    if as_json:
        print_json(c)
        return
    if c["erased"]:
        out.print(f"{c['token']}: household {c['household']} erased; nothing personal is kept", highlight=False)
        return
    said = c["category"] or "none (no agreement recorded)"
    how = f"set {c['set_at']}" if c["set"] else "not set: the agreement's default"
    out.print(f"{c['token']} (household {c['household']}): {said} — {how}"
              + (f"; items: {', '.join(c['items'])}" if c["items"] else "")
              + (f"; note: {c['note']}" if c["note"] else ""), highlight=False)


@agreement.command("linked")
@refusals
@records
def linked(moved: int, as_of: Optional[str] = typer.Option(None, "--as-of", help="ISO 8601 with offset."),
           note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Enter the persons moved so far by the linked operation."""
    from ..service import agreement as svc

    rt = runtime(db)
    done(svc.record_linked_figures(rt, meta, moved=moved, as_of=as_of, note=note), "linked figures recorded")
    out.print(svc.link_state(rt)["words"], highlight=False)


@agreement.command("linked-incident")
@refusals
@records
def linked_incident(incident: Annotated[str, typer.Argument(help="attacked, burned or lost")],
                    vehicles: int = typer.Option(1, "--vehicles", help="Vehicles of the linked operation it befell."),
                    persons: int = typer.Option(0, "--persons", help="Persons reported affected (hurt, missing)."),
                    occurred_at: Optional[str] = typer.Option(None, "--occurred-at",
                                                              help="When it happened (ISO 8601 with offset)."),
                    source: str = typer.Option("entered", "--source", help="Where the report comes from."),
                    note: str = typer.Option("", "--note", help="What happened, as reported."), db: Db = None,
                    meta=None):
    """Record an incident of the linked operation as reported (its vehicles attacked, burned or lost on its road);
    shown with the link's state and as an alarm. Halting departures here is a separate decision (corridor halt)."""
    from ..service import linked

    r = linked.record_incident(runtime(db), meta, incident=incident, occurred_at=occurred_at, vehicles=vehicles,
                               persons_affected=persons, source=source, note=note)
    done(r, f"linked operation incident recorded: {linked.words(r.data | {'recorded_at': r.at})}")


@agreement.command("export-figures")
@refusals
def export_figures(db: Db = None):
    """This operation's figures, as JSON, for another corridor instance whose agreement links to this one."""
    from ..service import agreement as svc

    print_json(svc.export_figures(runtime(db)))


@agreement.command("import-figures")
@refusals
@records
def import_figures(file: Path, db: Db = None, meta=None):
    """Record another corridor instance's exported figures as the linked operation's."""
    from ..service import agreement as svc

    figures = read_json(file)
    rt = runtime(db)
    done(svc.import_figures(rt, meta, figures), "linked figures imported")
    out.print(svc.link_state(rt)["words"], highlight=False)
