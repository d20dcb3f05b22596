"""The road: a private vehicle joins a convoy, a convoy is turned back, a vehicle is lost on the road."""

from __future__ import annotations

from typing import Optional

import typer

from ..domain.errors import BadInput
from .common import AsJson, Db, console, done, err, may_write, out, print_json, refusals, records, runtime, write_file


@refusals
@records
def private_vehicle(convoy: str, db: Db = None,
                    plate: str = typer.Option(..., "--plate", help="Its number plate."),
                    kind: str = typer.Option(..., "--kind", help="car, van or truck."),
                    seats: int = typer.Option(..., "--seats", help="Seats (people it may carry)."),
                    driver: str = typer.Option(..., "--driver", help="The driver's name, as stated."),
                    occupant: Optional[list[str]] = typer.Option(None, "--occupant",
                                                                 help="TOKEN of a registered occupant (repeat)."),
                    unregistered: int = typer.Option(0, "--unregistered", help="Occupants not registered."),
                    destination: Optional[str] = typer.Option(None, "--destination",
                                                              help="Where it goes (when the convoy goes to several)."),
                    meta=None):
    """A private car, van or truck joins a convoy that has not left, with its occupants (never planned; checked
    at the same checkpoints and counted in every figure)."""
    from ..service import road

    r = road.join_private_vehicle(runtime(db), meta, convoy=convoy, plate=plate, kind=kind, seats=seats,
                                  driver=driver, occupants=occupant or [], unregistered=unregistered,
                                  destination=destination)
    d = r.data
    done(r, f"{d['plate']} joined convoy {d['convoy']} as trip {d['trip']} to {d['destination']}: "
            f"{len(d['persons'])} registered and {d['unregistered']} not registered aboard")


@refusals
@records
def turn_back(convoy: str, db: Db = None,
              checkpoint: str = typer.Option(..., "--checkpoint", help="Where the convoy was stopped."),
              reason: str = typer.Option(..., "--reason", help="Why, as stated."), meta=None):
    """A convoy stopped at a checkpoint and sent back: every vehicle returns to its origin, everyone aboard waits
    to be planned again (persons held stay held). Then plan the rest (corridor plan)."""
    from ..service import road

    r = road.turn_back(runtime(db), meta, convoy=convoy, checkpoint=checkpoint, reason=reason)
    d = r.data
    done(r, f"convoy {d['convoy']} turned back at {d['checkpoint']}: {len(d['trips'])} trip(s), "
            f"{len(d['returned'])} person(s) back to waiting")
    out.print("plan them again: corridor plan", highlight=False)


def _transfers(values: list[str]) -> list[dict]:
    found = []
    for v in values or []:
        token, _, trip = v.partition("=")
        if not trip.strip():
            raise BadInput(f"transferred: write TOKEN=TRIP (the trip that took them on), got {v!r}",
                           field="transferred")
        found.append({"token": token.strip(), "outcome": "transferred", "to_trip": trip.strip()})
    return found


@refusals
@records
def vehicle_lost(trip: str, db: Db = None,
                 incident: str = typer.Option(..., "--incident", help="attacked, burned or lost"),
                 note: str = typer.Option("", "--note", help="What happened, as stated."),
                 injured: Optional[list[str]] = typer.Option(None, "--injured", help="TOKEN of a person injured."),
                 transferred: Optional[list[str]] = typer.Option(
                     None, "--transferred", help="TOKEN=TRIP: taken on by another vehicle on the road."),
                 unaccounted: Optional[list[str]] = typer.Option(None, "--unaccounted", help="TOKEN not found."),
                 others: str = typer.Option("unaccounted", "--others",
                                            help="injured or unaccounted: everyone aboard not named."),
                 meta=None):
    """A vehicle attacked, burned or lost on the road: everyone aboard is marked for follow-up (injured,
    transferred to another vehicle, unaccounted) and the vehicle withdrawn. Then plan the rest (corridor plan)."""
    from ..service import road

    persons = ([{"token": t, "outcome": "injured"} for t in injured or []] + _transfers(transferred)
               + [{"token": t, "outcome": "unaccounted"} for t in unaccounted or []])
    r = road.vehicle_lost(runtime(db), meta, trip=trip, incident=incident, note=note, persons=persons,
                          others=others)
    d = r.data
    counts: dict[str, int] = {}
    for f in d["persons"]:
        counts[f["outcome"]] = counts.get(f["outcome"], 0) + 1
    said = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nobody aboard"
    done(r, f"{d['vehicle']} ({d['incident']}) on trip {d['trip']} withdrawn; aboard: {said}")
    out.print("plan the rest: corridor plan", highlight=False)


@refusals
def manifest(trip: str, db: Db = None,
             pdf: bool = typer.Option(False, "--pdf", help="Write the A4 PDF (English and Arabic) instead."),
             out_file: Optional[str] = typer.Option(None, "--out", help="The PDF's file (default manifest-TRIP.pdf)."),
             lang: Optional[str] = typer.Option(None, "--lang", help="en or ar: the PDF in one language only."),
             as_json: AsJson = False):
    """A trip's manifest: the persons on it (names in both scripts, token, sex, age, precedence, stretcher), the
    vehicle, plate and driver, convoy, route, times and the sign-offs at departure and arrival. The read is logged."""
    from pathlib import Path

    from ..service import manifests

    rt = runtime(db)
    if lang not in (None, "en", "ar"):
        raise BadInput(f"lang: expected en or ar, got {lang!r}", field="lang")
    if pdf:
        path = may_write(Path(out_file or f"manifest-{trip.strip().upper()}.pdf"))
        write_file(path, manifests.trip_manifest_pdf(rt, trip, viewer=console(), lang=lang))
        out.print(f"manifest of {trip.strip().upper()} written to {path}", highlight=False)
        return
    m = manifests.trip_manifest(rt, trip, viewer=console())
    if as_json:
        print_json(m)
        return
    print_manifest(m)


def print_manifest(m: dict) -> None:
    from rich.table import Table

    v = m["vehicle"] or {}
    route = " → ".join(s["code"] for s in m["route"])
    out.print(f"[bold]trip {m['trip']}[/] ({m['state']}) · convoy {m['convoy']} · {v.get('code')} {v.get('kind')} "
              f"plate {v.get('plate')} · driver {v.get('driver') or '–'} · {route}", highlight=False)
    t = m["times"]
    out.print(f"planned {t['depart_at']} → {t['arrive_at']}; departed {t['departed_at'] or '–'}, arrived "
              f"{t['arrived_at'] or '–'}" + (f"; {m['unregistered']} not registered aboard" if m["unregistered"]
                                             else ""), highlight=False)
    table = Table("token", "name (Arabic)", "name (Latin)", "sex", "age", "precedence", "stretcher", "state")
    for p in m["persons"]:
        table.add_row(p["token"], p.get("name_ar", ""), p.get("name_latin", ""), p.get("sex", ""),
                      str(p.get("age") if p.get("age") is not None else "–"), p.get("precedence", ""),
                      "yes" if p.get("stretcher") else "", p["state"])
    out.print(table)
    for key in ("departure", "arrival"):
        s = m["sign_offs"][key]
        out.print(f"{key}: " + (f"{s['by']} at {s['at']}, {s['persons']} persons" if s else "not yet"),
                  highlight=False)


@refusals
@records
def notify(db: Db = None,
           convoy: Optional[str] = typer.Option(None, "--convoy", help="One convoy's movement."),
           date: Optional[str] = typer.Option(None, "--date", help="A day's movements (YYYY-MM-DD, UTC)."),
           emergency: bool = typer.Option(False, "--emergency", help="An emergency: 24 h notice required, not 48 h."),
           organisation: Optional[str] = typer.Option(None, "--organisation",
                                                      help="Who moves (default: the vehicles' operators)."),
           contact: Optional[str] = typer.Option(None, "--contact", help="Whom the parties call (name, phone)."),
           staff: int = typer.Option(1, "--staff", help="Staff aboard each vehicle of the fleet."),
           pdf: bool = typer.Option(False, "--pdf", help="Write the A4 PDF (English and Arabic)."),
           out_file: Optional[str] = typer.Option(None, "--out", help="The PDF's file (default notification-….pdf)."),
           issue: bool = typer.Option(False, "--issue", help="Issue it to the parties: recorded in the ledger (listed "
                                                              "by corridor notified); --at, --command-id and --device "
                                                              "apply to it."),
           as_json: AsJson = False, meta=None):
    """A movement notification for deconfliction (OCHA's Humanitarian Notification System: 48 h ahead, 24 h in an
    emergency): organisation, date and window, route with waypoints and coordinates, every vehicle with plate, type,
    marking, persons aboard (no names) and staff, contact; warns when the notice is short. Shown, or with --issue
    issued to the parties and recorded."""
    from pathlib import Path

    from ..formats.papers.notification import render_notification
    from ..service import notifications

    rt = runtime(db)
    kw = dict(convoy=convoy, date=date, emergency=emergency, organisation=organisation, contact=contact, staff=staff)
    if issue:
        receipt, d = notifications.issue(rt, meta, **kw)
        done(receipt, f"notification issued: {receipt.data['scope']}, {receipt.data['vehicles']} vehicle(s), "
                      f"{receipt.data['persons']} person(s), notice {receipt.data['lead_hours']:.1f} h of "
                      f"{receipt.data['required_hours']} h; content SHA-256 {receipt.data['content_hash']}")
        if receipt.replayed:
            return
    else:
        d = None
    if pdf:
        which = (convoy or date or "").strip().upper()
        path = may_write(Path(out_file or f"notification-{which}.pdf"))
        write_file(path, render_notification(d) if d else notifications.notification_pdf(rt, **kw))
        out.print(f"notification written to {path}", highlight=False)
        return
    if issue and not as_json:
        return
    d = d or notifications.notification(rt, **kw)
    if as_json:
        print_json(d)
        return
    for w in d["warnings"]:
        hint = " (--contact)" if w == notifications.NO_CONTACT else ""
        err.print(f"[bold yellow]warning:[/] {w}{hint}", highlight=False, soft_wrap=True)
    t = d["totals"]
    out.print(f"[bold]movement notification[/] · {d['scope']} · {d['organisation'] or '–'} · contact "
              f"{d['contact'] or '–'}", highlight=False)
    out.print(f"{d['window']['from']} – {d['window']['to']}; notice {d['notice']['lead_hours']:.1f} h "
              f"({d['notice']['required_hours']} h required); {t['vehicles']} vehicles, {t['persons']} persons, "
              f"{t['staff']} staff", highlight=False)
    for r in d["routes"]:
        out.print("route: " + " → ".join(f"{w['code']} ({w['lat']:.5f}, {w['lon']:.5f})" for w in r["waypoints"]),
                  highlight=False)
    for v in d["vehicles"]:
        out.print(f"  {v['convoy']} {v['vehicle']} plate {v['plate']} {v['type']} "
                  f"{'private' if v['private'] else v['marking']} · {v['persons']} persons, {v['staff']} staff · "
                  f"{v['depart_at']} → {v['destination']}", highlight=False)


@refusals
def notified(db: Db = None, as_json: AsJson = False):
    """The movement notifications issued to the parties (corridor notify --issue): when, by whom, what each covered,
    the notice it gave and the SHA-256 of its content."""
    from ..service import notifications

    issued = notifications.issued(runtime(db))
    if as_json:
        print_json(issued)
        return
    if not issued:
        out.print("no movement notification issued (corridor notify --convoy C --issue)", highlight=False)
    for n in issued:
        out.print(f"{n['issued_at']} by {n['issued_by']}: {n['scope']}{' (emergency)' if n['emergency'] else ''} · "
                  f"{n['vehicles']} vehicle(s), {n['persons']} person(s) · notice {n['lead_hours']:.1f} h of "
                  f"{n['required_hours']} h{' — SHORT' if n['short'] else ''} · sha256 {n['content_hash'][:16]}…",
                  highlight=False)
