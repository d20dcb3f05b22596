"""Planning and running: plan, board, depart, pass, arrive, scan in, close, release, halt, resume."""

from __future__ import annotations

from typing import Optional

import typer

from ..domain.errors import CorridorError
from .common import Db, console, done, err, out, records, refusals, runtime
from .looking import missed_deadlines_table, print_child


def print_plan_notes(rt, data: dict) -> None:
    """What the coordinator must know about a plan: its warnings and the medical deadlines it misses."""
    from ..service.plan_report import missed_in

    for warning in data.get("warnings", []):
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    missed = missed_in(rt, data)
    if missed:
        out.print(missed_deadlines_table(missed))


@refusals
@records
def plan(db: Db = None, meta=None):
    """Plan everyone waiting into trips (trips nobody has boarded yet are planned again)."""
    from ..service import planning

    rt = runtime(db)
    r = planning.plan(rt, meta)
    d = r.data
    done(r, f"plan {d['plan_id']}: {len(d['trips'])} trips, last arrival {d['finish_at']}, "
            f"lower bound {d['lower_bound_at']}")
    print_plan_notes(rt, d)


@refusals
@records
def board(trip: str, tokens: list[str], db: Db = None, meta=None,
          override: Optional[str] = typer.Option(None, "--override", help="Coordinator: the reason to board against "
                                                                           "the agreement's rules (recorded).")):
    """Board persons or whole households (by token) onto a trip."""
    from ..service import movement

    r = movement.board(runtime(db), meta, trip=trip, tokens=tokens, override=override)
    done(r, f"{len(r.data['persons'])} person(s) aboard {r.data['trip']}")


@refusals
@records
def depart(trip: str, db: Db = None, meta=None,
           driver: str = typer.Option("", "--driver", help="Who drives it on this trip (signed on the manifest)."),
           override: Optional[str] = typer.Option(None, "--override", help="Coordinator: the reason to let it leave "
                                                                            "against the agreement's rules (recorded)."),
           item: Optional[list[str]] = typer.Option(None, "--item", help="An item declared for the vehicle.")):
    """A trip leaves its gathering point (refused while the operation is halted or the agreement's rules forbid)."""
    from ..service import movement

    r = movement.depart(runtime(db), meta, trip=trip, driver=driver, override=override, items=item or [])
    left = r.data["left_behind"]
    done(r, f"{trip} departed" + (f"; {len(left)} assigned person(s) not aboard, back to waiting" if left else ""))


def _taken_off(values: list[str], outcome: str) -> list[dict]:
    found = []
    for v in values or []:
        token, _, reason = v.partition("=")
        if not reason.strip():
            raise CorridorError(f"--{outcome}: write TOKEN=reason as stated, got {v!r}")
        found.append({"token": token.strip(), "outcome": outcome, "reason": reason.strip()})
    return found


@refusals
@records
def pass_(trip: str, checkpoint: str, db: Db = None,
          held: Optional[list[str]] = typer.Option(None, "--held", help="TOKEN=reason: a person held here."),
          removed: Optional[list[str]] = typer.Option(None, "--removed", help="TOKEN=reason: taken off here."),
          meta=None):
    """A trip passes a checkpoint; anyone held or taken off there is logged with the reason as stated."""
    from ..service import movement

    off = _taken_off(held, "held") + _taken_off(removed, "removed")
    r = movement.pass_checkpoint(runtime(db), meta, trip=trip, checkpoint=checkpoint, taken_off=off)
    done(r, f"{trip} passed {checkpoint}" + (f"; {len(off)} taken off" if off else ""))


@refusals
@records
def arrive(trip: str, db: Db = None, meta=None):
    """A trip reaches its reception centre."""
    from ..service import movement

    done(movement.arrive(runtime(db), meta, trip=trip), f"{trip} arrived")


@refusals
@records
def scan_in(trip: str, tokens: list[str], db: Db = None, meta=None):
    """Scan persons in at the reception centre."""
    from ..service import movement, protection

    rt = runtime(db)
    r = movement.scan_in(rt, meta, trip=trip, tokens=tokens)
    done(r, f"{len(r.data['persons'])} person(s) scanned in from {r.data['trip']}")
    for child in protection.at_reception(rt, r.data["persons"], viewer=console(), trip=r.data["trip"]):
        print_child(child)


@refusals
@records
def close(trip: str, db: Db = None, meta=None):
    """Close an arrived trip: whoever was aboard and not scanned in is unaccounted for."""
    from ..service import movement

    r = movement.close(runtime(db), meta, trip=trip)
    n = len(r.data["unaccounted"])
    done(r, f"{trip} closed" + (f"; {n} person(s) unaccounted for" if n else ", everyone accounted for"))


@refusals
@records
def release(token: str, note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """A person held at a checkpoint is released (back to waiting)."""
    from ..service import movement

    done(movement.release(runtime(db), meta, token=token, note=note), f"{token} released")


@refusals
@records
def halt(cause: str = typer.Option(..., "--cause", help="shelling, route_blocked, agreement_suspended or other"),
         note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Halt the whole operation: nothing departs until it resumes."""
    from ..service import movement

    done(movement.halt(runtime(db), meta, cause=cause, note=note), "operation halted")


@refusals
@records
def resume(note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Resume the operation after a halt, and plan the rest from where everything stands."""
    from ..service import planning

    rt = runtime(db)
    outcome = planning.resume(rt, meta, note=note)
    done(outcome["resumed"], "operation resumed")
    if outcome["plan"]:
        d = outcome["plan"].data
        out.print(f"planned again: {len(d['trips'])} trips, last arrival {d['finish_at']}", highlight=False)
        print_plan_notes(rt, d)
    if outcome["plan_refused"]:
        err.print(f"[bold red]not planned again:[/] {outcome['plan_refused']}", highlight=False)
