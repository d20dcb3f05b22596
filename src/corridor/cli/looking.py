"""Looking at the operation: status, reconciliation, the ledger, trips, tokens, children."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .common import AsJson, Db, console, err, out, print_json, refusals, runtime

TRIP_ROWS = 50
def missed_deadlines_table(missed: list[dict]) -> Table:
    """Who misses which medical deadline by how much, urgent first."""
    table = Table(title=f"[bold red]{len(missed)} medical deadline(s) missed[/]", title_justify="left",
                  caption="unavoidable: no plan at all could bring them in time", caption_justify="left")
    for col in ("household", "persons", "precedence", "deadline", "arrival", "late", "unavoidable"):
        table.add_column(col, justify="right" if col == "late" else "left", min_width=9 if col == "persons" else None,
                         no_wrap=col in ("household", "persons", "late"))
    for m in missed:
        table.add_row(m["household"], "\n".join(m["persons"]), m["precedence"], _when(m["deadline_at"]),
                      _when(m["arrive_at"]), f"{m['late_minutes']} min", "yes" if m["unavoidable"] else "no")
    return table


def _when(iso: str) -> str:
    """12-15 06:55 (the ISO time's month, day, hour and minute as written)."""
    return iso[5:16].replace("T", " ")


def print_status(rt, as_json: bool = False, aboard_hours: float | None = None) -> None:
    from ..service import alarms

    s = alarms.status(rt, thresholds=alarms.thresholds_from(aboard_hours=aboard_hours))
    if as_json:
        print_json(s)
        return
    op = s["operation"] or {}
    title = f"{op.get('name_en', 'no operation')}  {op.get('name_ar', '')}".strip()
    if op.get("halted"):
        title += f"  — HALTED ({op.get('halt_cause')}) since {op.get('halted_since')}"
    people = Table(title=title, title_justify="left")
    people.add_column("persons", style="bold")
    people.add_column("count", justify="right")
    people.add_row("registered", f"{s['persons_registered']:,}")
    for state, n in s["persons"].items():
        people.add_row(state.replace("_", " "), f"{n:,}", style="red" if state == "unaccounted" and n else None)
    trips_ = Table(title="trips", title_justify="left")
    trips_.add_column("state", style="bold")
    trips_.add_column("count", justify="right")
    for state, n in s["trips"].items():
        trips_.add_row(state, f"{n:,}")
    out.print(people)
    out.print(trips_)
    left = s.get("left_by")
    if left and (left["fleet_vehicles"] or left["private_vehicles"]):
        out.print(f"left: {left['fleet_vehicles']:,} in the fleet's vehicles, {left['private_vehicles']:,} in "
                  f"{left['private_vehicle_trips']:,} private vehicle(s) ({left['private_unregistered']:,} of them not "
                  "registered)", highlight=False)
    if s["plan"]:
        p = s["plan"]
        out.print(f"plan {p['plan_id']} ({p['planner']}): {p['trips']} trips, last arrival {p['finish_at']}, "
                  f"no plan can end before {p['lower_bound_at']}", highlight=False)
    if s["missed_deadlines"]:
        out.print(missed_deadlines_table(s["missed_deadlines"]))
    if s.get("agreement_link"):
        link = s["agreement_link"]
        out.print(f"linked operation {link['name']}: {link['words']}", style="red" if link["held"] else None,
                  highlight=False)
        if link.get("incidents"):
            from ..service.linked import words

            last = link["incidents"][-1]
            out.print(f"linked operation {link['name']}: incident(s) reported: {len(link['incidents'])}; the last: "
                      f"{words(last)}", highlight=False)
    print_alarms(s)


ALARM_STYLE = {"urgent": "bold red", "warning": "yellow", "notice": "dim"}


def print_alarms(s: dict) -> None:
    """The operation's time in its zone, then each alarm in words, most pressing first."""
    clock = s["clock"]
    out.print(f"operation time {clock['local'][:16].replace('T', ' ')} {clock['time_zone']}"
              + (" (simulated)" if clock["simulated"] else ""), highlight=False)
    if not s["alarms"]:
        out.print("no alarms", highlight=False)
    for a in s["alarms"]:
        out.print(f"[{ALARM_STYLE[a['level']]}]{a['level'].upper()}[/] {a['en']}", highlight=False)


@refusals
def status(db: Db = None, as_json: AsJson = False,
           aboard_hours: Optional[float] = typer.Option(None, "--aboard-hours", min=0.1,
                                                        help="Alarm: persons aboard a vehicle not arrived for "
                                                             "longer than this (default 6).")):
    """Persons in each state, trips by state, the plan, the medical deadlines it misses and the alarms."""
    print_status(runtime(db), as_json, aboard_hours)


@refusals
def reconcile(db: Db = None, as_json: AsJson = False,
              all_trips: bool = typer.Option(False, "--all", help="List balanced trips too.")):
    """Every difference between who boarded and who arrived, trip by trip."""
    from ..service import reports

    r = reports.reconcile(runtime(db), viewer=console())
    if as_json:
        print_json(r)
        return
    table = Table(title=f"reconciliation: {r['differences']} difference(s), {r['unaccounted']} unaccounted for",
                  title_justify="left")
    for col in ("trip", "state", "boarded", "taken off", "arrived", "differences"):
        table.add_column(col, justify="right" if col in ("boarded", "taken off", "arrived") else "left")
    for t in r["trips"]:
        if t["balanced"] and not all_trips:
            continue
        diffs = "\n".join(f"{d['person']} {d['kind'].replace('_', ' ')}: {d['detail']}" for d in t["differences"])
        table.add_row(t["trip"], t["state"], str(t["boarded"]), str(t["taken_off"]), str(t["arrived"]), diffs or "—")
    out.print(table)


@refusals
def verify(db: Db = None):
    """Check the ledger's hash chain: exit 0 when intact, 1 and the first bad event otherwise."""
    from ..service import reports

    result = reports.verify(runtime(db))
    if result.ok:
        out.print(f"ledger intact: {result.events:,} events")
        return
    err.print(f"ledger broken at event {result.first_bad_seq}: {result.problem}", highlight=False)
    raise typer.Exit(1)


@refusals
def rebuild(db: Db = None):
    """Rebuild every view from the ledger alone."""
    from ..service import reports

    n = reports.rebuild(runtime(db))
    out.print(f"views rebuilt from {n:,} events")


@refusals
def trips(db: Db = None, state: Optional[list[str]] = typer.Option(None, "--state", help="Only trips in this state."),
          as_json: AsJson = False,
          limit: int = typer.Option(TRIP_ROWS, "--limit", min=1, help="Show at most this many trips."),
          every: bool = typer.Option(False, "--all", help="Show every trip.")):
    """List trips (optionally of some states)."""
    from ..domain.values import TripState, parse_enum
    from ..service import reports

    states = [parse_enum(TripState, s, "state") for s in state] if state else None
    rows = reports.trips(runtime(db), states)
    if as_json:
        print_json(rows)
        return
    shown = rows if every else rows[:limit]
    table = Table(title=f"{len(rows)} trip(s)", title_justify="left")
    for col in ("trip", "vehicle", "from", "to", "state", "departs", "boarded", "arrived"):
        table.add_column(col)
    for t in shown:
        table.add_row(t["id"], t["vehicle"], t["origin"], t["destination"], t["state"], t["depart_at"][:16],
                      str(t["boarded"]), str(t["arrived"]))
    out.print(table)
    if len(rows) > len(shown):
        out.print(f"… {len(rows) - len(shown):,} more trip(s); use --all (or --limit)")


@refusals
def show(token: str, db: Db = None):
    """A household or person by the token on their card."""
    from ..service import registration

    print_json(registration.describe(runtime(db), token, viewer=console()))


@refusals
def qr(token: str, out_file: Optional[Path] = typer.Option(None, "--out", help="Write .svg or .png here.")):
    """The QR code of a token (on the terminal, or to a file)."""
    from ..domain.tokens import normalise_token
    from ..formats import qr as codes
    from ..service import printing

    if out_file is None:
        sys.stdout.write(codes.token_terminal(normalise_token(token)))
    else:
        printing.qr_file(token, out_file)


def print_child(child: dict) -> None:
    name = child["name_latin"] or child["name_ar"]
    people = ", ".join(f"{p['name_latin'] or p['name_ar']} ({p['relationship']}, {p['state'].replace('_', ' ')}"
                       f"{', here' if p['with_child'] else ''})" for p in child["linked"]) or "nobody registered"
    flag = "  [bold red]ARRIVED WITHOUT THE PEOPLE THEY ARE LINKED TO[/]" if child["arrived_without_linked_people"] else ""
    out.print(f"child {child['token']} {name}: linked to {people}{flag}", highlight=False)


@refusals
def children(db: Db = None, all_children: bool = typer.Option(False, "--all", help="Every child."),
             as_json: AsJson = False):
    """Unaccompanied and separated children, with who they travel with (for protection staff)."""
    from ..service import protection

    rows = protection.children(runtime(db), viewer=console(), flagged_only=not all_children)
    if as_json:
        print_json(rows)
        return
    out.print(f"{len(rows)} child(ren)")
    for child in rows:
        print_child(child)
