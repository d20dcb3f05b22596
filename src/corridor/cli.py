"""The command line: thin commands that parse, call one service, print."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .domain.errors import CorridorError

app = typer.Typer(help="corridor: plan, run and account for the evacuation of civilians.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)

DbOpt = typer.Option(None, "--db", help="Database file or URL (default: $CORRIDOR_DB, else ./corridor.db).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of tables.")
ActorOpt = typer.Option("cli", "--actor", help="Who records this (name or role).")
DeviceOpt = typer.Option("terminal", "--device", help="From which device.")
IdOpt = typer.Option(None, "--command-id", help="Your id for this command: sending it again changes nothing.")
AtOpt = typer.Option(None, "--at", help="When it happened (ISO 8601 with offset); default now.")


def refusals(fn):
    """Turn a refusal into one readable line on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CorridorError as e:
            err.print(f"[bold red]refused:[/] {e.detail}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def runtime(db: Optional[str], **kw):
    from .bootstrap import bootstrap

    return bootstrap(db, **kw)


def meta(command_id, actor, device, at):
    from .service.recording import Meta

    return Meta(command_id=command_id, actor=actor, device=device, at=at)


def done(receipt, what: str) -> None:
    again = " (already recorded: nothing changed)" if receipt.replayed else ""
    out.print(f"{what} — event {receipt.seq}{again}", highlight=False)


# --- the demo and the server -----------------------------------------------------

@app.command()
@refusals
def demo(
    people: int = typer.Option(100_000, "--people", min=1, max=1_000_000, help="How many people wait."),
    db: Optional[str] = DbOpt,
    simulate: bool = typer.Option(False, "--simulate", help="Run the operation to its end on a simulated clock."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Return when done instead of serving the dashboard."),
    seed: int = typer.Option(2016, "--seed", help="Same seed, same people, same plan."),
    speed: float = typer.Option(60.0, "--speed", min=0.0,
                                help="Simulated minutes per real second while serving (0: as fast as possible)."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
):
    """Create a fresh database with the east Aleppo demo operation, register and plan it, serve the dashboard."""
    from rich.progress import Progress

    from .scenarios.demo import create_demo, fresh_demo_database

    path = fresh_demo_database(db)
    rt = runtime(path, seed=seed)
    with Progress(console=out, transient=True) as bar:
        task = bar.add_task("registering", total=people)
        result = create_demo(rt, people=people, seed=seed,
                             progress=lambda done_, total: bar.update(task, completed=done_, total=total))
    out.print(f"demo operation in {path}: {result.persons:,} persons in {result.households:,} households, "
              f"{result.urgent} urgent medical cases ({result.stretcher} on stretchers); planned.")
    if no_serve:
        if simulate:
            _simulate(rt, seed, pace=None)
        _print_status(rt)
        return
    worker = None
    if simulate:
        import threading

        worker = threading.Thread(target=_simulate, args=(rt, seed, _pacer(speed)), daemon=True, name="simulation")
    _serve(rt, host, port, worker)


def _pacer(speed: float):
    if speed <= 0:
        return None
    import time

    from .scenarios.east_aleppo import START

    started = time.monotonic()

    def pace(now):
        due = started + (now - START).total_seconds() / 60.0 / speed
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    return pace


def _simulate(rt, seed: int, pace) -> None:
    from .scenarios.east_aleppo import START
    from .scenarios.simulate import Simulation

    result = Simulation(rt, start=START, seed=seed).run(pace)
    out.print(f"simulation finished at {result.finished_at:%Y-%m-%d %H:%M} UTC: {result.commands:,} commands, "
              f"{result.plans} re-plan(s), {result.halts} halt(s).")


def _serve(rt, host: str, port: int, worker=None, access_log: bool = False) -> None:
    import uvicorn

    from .api.app import create_app

    out.print(f"dashboard on http://{host}:{port}/  (API: http://{host}:{port}/docs) — Ctrl+C stops")
    config = uvicorn.Config(create_app(rt), host=host, port=port, access_log=access_log, log_level="warning")
    server = uvicorn.Server(config)
    if worker is not None:
        worker.start()
    server.run()


@app.command()
@refusals
def serve(db: Optional[str] = DbOpt, host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"),
          access_log: bool = typer.Option(False, "--access-log", help="Log each request (paths carry tokens).")):
    """Serve the HTTP API and the dashboard."""
    _serve(runtime(db), host, port, access_log=access_log)


# --- looking -------------------------------------------------------------------------

def _print_status(rt, as_json: bool = False) -> None:
    from .service import reports

    s = reports.status(rt)
    if as_json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
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
    trips = Table(title="trips", title_justify="left")
    trips.add_column("state", style="bold")
    trips.add_column("count", justify="right")
    for state, n in s["trips"].items():
        trips.add_row(state, f"{n:,}")
    out.print(people)
    out.print(trips)
    if s["plan"]:
        p = s["plan"]
        out.print(f"plan {p['plan_id']} ({p['planner']}): {p['trips']} trips, last arrival {p['finish_at']}, "
                  f"no plan can end before {p['lower_bound_at']}", highlight=False)


@app.command()
@refusals
def status(db: Optional[str] = DbOpt, as_json: bool = JsonOpt):
    """Who is waiting, assigned, aboard, in transit, held, arrived or unaccounted for; trips by state."""
    _print_status(runtime(db), as_json)


@app.command()
@refusals
def reconcile(db: Optional[str] = DbOpt, as_json: bool = JsonOpt,
              all_trips: bool = typer.Option(False, "--all", help="List balanced trips too.")):
    """Every difference between who boarded and who arrived, trip by trip."""
    from .service import reports

    r = reports.reconcile(runtime(db))
    if as_json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
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


@app.command()
@refusals
def verify(db: Optional[str] = DbOpt):
    """Check the ledger's hash chain: exit 0 when intact, 1 and the first bad event otherwise."""
    from .service import reports

    result = reports.verify(runtime(db))
    if result.ok:
        out.print(f"ledger intact: {result.events:,} events")
        return
    err.print(f"ledger broken at event {result.first_bad_seq}: {result.problem}", highlight=False)
    raise typer.Exit(1)


@app.command()
@refusals
def rebuild(db: Optional[str] = DbOpt):
    """Rebuild every view from the ledger alone."""
    from .service import reports

    n = reports.rebuild(runtime(db))
    out.print(f"views rebuilt from {n:,} events")


@app.command()
@refusals
def trips(db: Optional[str] = DbOpt, state: Optional[list[str]] = typer.Option(None, "--state"),
          as_json: bool = JsonOpt, limit: int = typer.Option(50, "--limit")):
    """List trips (optionally of some states)."""
    from .domain.values import TripState, parse_enum
    from .service import reports

    states = [parse_enum(TripState, s, "state") for s in state] if state else None
    rows = reports.trips(runtime(db), states)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} trip(s)", title_justify="left")
    for col in ("trip", "vehicle", "from", "to", "state", "departs", "boarded", "arrived"):
        table.add_column(col)
    for t in rows[:limit]:
        table.add_row(t["id"], t["vehicle"], t["origin"], t["destination"], t["state"], t["depart_at"][:16],
                      str(t["boarded"]), str(t["arrived"]))
    out.print(table)


@app.command()
@refusals
def show(token: str, db: Optional[str] = DbOpt):
    """A household or person by the token on their card."""
    from .service import registration

    print(json.dumps(registration.describe(runtime(db), token), ensure_ascii=False, indent=2))


@app.command()
@refusals
def qr(token: str, out_file: Optional[Path] = typer.Option(None, "--out", help="Write .svg or .png here.")):
    """The QR code of a token (on the terminal, or to a file)."""
    from .domain.tokens import normalise_token
    from .formats import qr as codes

    token = normalise_token(token)
    if out_file is None:
        sys.stdout.write(codes.token_terminal(token))
    elif out_file.suffix.lower() == ".png":
        out_file.write_bytes(codes.token_png(token))
    else:
        out_file.write_text(codes.token_svg(token), encoding="utf-8")


# --- setting up, registering, planning ------------------------------------------------

def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorridorError(f"{path}: no such file") from None
    except json.JSONDecodeError as e:
        raise CorridorError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None


@app.command("setup")
@refusals
def setup_cmd(file: Path, db: Optional[str] = DbOpt):
    """Create the operation from a JSON description: operation, sites, legs, vehicles."""
    from .service import setup

    n = setup.load_setup(runtime(db), _read_json(file))
    out.print(f"{n} event(s) recorded" if n else "nothing new: the description was loaded before")


@app.command()
@refusals
def register(file: Path, db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt):
    """Register the households in a JSON file (a list; each may carry its own command_id)."""
    from .service import registration
    from .service.recording import Meta

    data = _read_json(file)
    if not isinstance(data, list):
        raise CorridorError(f"{file}: expected a JSON list of households")
    items = [(Meta(command_id=h.pop("command_id", None) if isinstance(h, dict) else None, actor=actor, device=device,
                   at=h.pop("at", None) if isinstance(h, dict) else None), h) for h in data]
    receipts = registration.register_households(runtime(db), items)
    new = [r for r in receipts if not r.replayed]
    out.print(f"{len(new)} household(s) registered, {len(receipts) - len(new)} already recorded")
    for r in new:
        out.print(f"  {r.data['token']}: " + " ".join(p["token"] for p in r.data["persons"]), highlight=False)


@app.command()
@refusals
def rules(convoy_size: Optional[int] = typer.Option(None, "--convoy-size", help="Most vehicles in one convoy."),
          convoy_gap: int = typer.Option(0, "--convoy-gap", help="Least minutes between convoys entering."),
          rate: Optional[list[str]] = typer.Option(None, "--checkpoint-rate", help="CHECKPOINT=vehicles per hour."),
          window: Optional[list[str]] = typer.Option(None, "--window", help="OPENS/CLOSES, ISO 8601 with offset."),
          note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt, actor: str = ActorOpt,
          device: str = DeviceOpt, command_id: Optional[str] = IdOpt):
    """Set the corridor's terms: convoy size and spacing, checkpoint throughput, opening windows."""
    from .service import setup

    rates = {}
    for r in rate or []:
        code, _, n = r.partition("=")
        if not n.strip().isdigit():
            raise CorridorError(f"--checkpoint-rate: write CHECKPOINT=vehicles per hour, got {r!r}")
        rates[code.strip()] = int(n)
    spans = []
    for w in window or []:
        opens, sep, closes = w.partition("/")
        if not sep:
            raise CorridorError(f"--window: write OPENS/CLOSES, got {w!r}")
        spans.append({"opens": opens.strip(), "closes": closes.strip()})
    done(setup.set_corridor_rules(runtime(db), meta(command_id, actor, device, None), convoy_size=convoy_size,
                                  convoy_gap_minutes=convoy_gap, checkpoint_rates=rates, windows=spans, note=note),
         "corridor rules set")


@app.command()
@refusals
def withdraw(vehicle: str, reason: str = typer.Option(..., "--reason"), db: Optional[str] = DbOpt,
             actor: str = ActorOpt, device: str = DeviceOpt, command_id: Optional[str] = IdOpt):
    """A vehicle is lost or recalled; plan again to give its trips to others."""
    from .service import setup

    done(setup.withdraw_vehicle(runtime(db), meta(command_id, actor, device, None), code=vehicle, reason=reason),
         f"{vehicle} withdrawn")


@app.command("import")
@refusals
def import_cmd(file: Path, db: Optional[str] = DbOpt,
               mapping: Optional[Path] = typer.Option(None, "--mapping", help="Column mapping file (JSON or CSV)."),
               sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet (default: the first)."),
               kobo: bool = typer.Option(False, "--kobo", help="Submissions exported from KoboToolbox / ODK Central."),
               repeat: Optional[Path] = typer.Option(None, "--repeat", help="ODK Central: the persons repeat CSV."),
               as_json: bool = JsonOpt, actor: str = ActorOpt, device: str = DeviceOpt):
    """Import a CSV/XLSX list (one row per person; HXL hashtags understood) or field submissions.

    A file with bad rows is refused whole, every bad row listed; importing it again adds nothing."""
    from dataclasses import asdict

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .service import importing

    if not file.exists():
        raise CorridorError(f"{file}: no such file")
    rt = runtime(db)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done_: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done_, total=total)

        try:
            if kobo:
                report = importing.import_kobo(rt, file, repeat_path=repeat, actor=actor, device=device,
                                               progress=progress)
            else:
                from .formats.tabular import load_mapping

                report = importing.import_table(rt, file, mapping=load_mapping(mapping) if mapping else None,
                                                sheet=sheet, actor=actor, device=device, progress=progress)
        except CorridorError as e:
            if e.errors and not as_json:
                bar.stop()
                _print_problems(e.errors)
            raise
    if as_json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        return
    out.print(f"{report.source}: {report.households:,} household(s), {report.persons:,} person(s); "
              f"{report.added:,} added, {report.already:,} already recorded"
              + (f", {len(report.conflicts)} conflict(s) not applied" if report.conflicts else ""), highlight=False)
    if report.conflicts:
        _print_problems(report.conflicts, title="conflicts (not applied)")


def _print_problems(problems: list[dict], title: str = "refused rows") -> None:
    table = Table(title=f"{title}: {len(problems)}", title_justify="left")
    for col in ("row", "column", "value", "reason"):
        table.add_column(col)
    for p in problems[:200]:
        table.add_row(str(p.get("row", "")), str(p.get("column", "")), str(p.get("value", "")), str(p.get("reason", "")))
    err.print(table)
    if len(problems) > 200:
        err.print(f"… and {len(problems) - 200} more (use --json for all)")


@app.command()
@refusals
def plan(db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt,
         command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Plan everyone waiting into trips (trips nobody has boarded yet are planned again)."""
    from .service import planning

    r = planning.plan(runtime(db), meta(command_id, actor, device, at))
    d = r.data
    done(r, f"plan {d['plan_id']}: {len(d['trips'])} trips, last arrival {d['finish_at']}, "
            f"lower bound {d['lower_bound_at']}")


# --- running ------------------------------------------------------------------------

@app.command()
@refusals
def board(trip: str, tokens: list[str], db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt,
          command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Board persons or whole households (by token) onto a trip."""
    from .service import movement

    r = movement.board(runtime(db), meta(command_id, actor, device, at), trip=trip, tokens=tokens)
    done(r, f"{len(r.data['persons'])} person(s) aboard {r.data['trip']}")


@app.command()
@refusals
def depart(trip: str, db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt,
           command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """A trip leaves its gathering point (refused while the operation is halted)."""
    from .service import movement

    r = movement.depart(runtime(db), meta(command_id, actor, device, at), trip=trip)
    left = r.data["left_behind"]
    done(r, f"{trip} departed" + (f"; {len(left)} assigned person(s) not aboard, back to waiting" if left else ""))


def _taken_off(values: list[str], outcome: str) -> list[dict]:
    out_ = []
    for v in values or []:
        token, _, reason = v.partition("=")
        if not reason.strip():
            raise CorridorError(f"--{outcome}: write TOKEN=reason as stated, got {v!r}")
        out_.append({"token": token.strip(), "outcome": outcome, "reason": reason.strip()})
    return out_


@app.command("pass")
@refusals
def pass_(trip: str, checkpoint: str, db: Optional[str] = DbOpt,
          held: Optional[list[str]] = typer.Option(None, "--held", help="TOKEN=reason: a person held here."),
          removed: Optional[list[str]] = typer.Option(None, "--removed", help="TOKEN=reason: taken off here."),
          actor: str = ActorOpt, device: str = DeviceOpt, command_id: Optional[str] = IdOpt,
          at: Optional[str] = AtOpt):
    """A trip passes a checkpoint; anyone held or taken off there is logged with the reason as stated."""
    from .service import movement

    off = _taken_off(held, "held") + _taken_off(removed, "removed")
    r = movement.pass_checkpoint(runtime(db), meta(command_id, actor, device, at), trip=trip, checkpoint=checkpoint,
                                 taken_off=off)
    done(r, f"{trip} passed {checkpoint}" + (f"; {len(off)} taken off" if off else ""))


@app.command()
@refusals
def arrive(trip: str, db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt,
           command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """A trip reaches its reception centre."""
    from .service import movement

    done(movement.arrive(runtime(db), meta(command_id, actor, device, at), trip=trip), f"{trip} arrived")


@app.command("scan-in")
@refusals
def scan_in(trip: str, tokens: list[str], db: Optional[str] = DbOpt, actor: str = ActorOpt,
            device: str = DeviceOpt, command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Scan persons in at the reception centre."""
    from .service import movement

    from .service import protection

    rt = runtime(db)
    r = movement.scan_in(rt, meta(command_id, actor, device, at), trip=trip, tokens=tokens)
    done(r, f"{len(r.data['persons'])} person(s) scanned in from {r.data['trip']}")
    for child in protection.at_reception(rt, r.data["persons"]):
        _print_child(child)


def _print_child(child: dict) -> None:
    name = child["name_latin"] or child["name_ar"]
    people = ", ".join(f"{p['name_latin'] or p['name_ar']} ({p['relationship']}, {p['state'].replace('_', ' ')}"
                       f"{', here' if p['with_child'] else ''})" for p in child["linked"]) or "nobody registered"
    flag = "  [bold red]ARRIVED WITHOUT THE PEOPLE THEY ARE LINKED TO[/]" if child["arrived_without_linked_people"] else ""
    out.print(f"child {child['token']} {name}: linked to {people}{flag}", highlight=False)


@app.command()
@refusals
def children(db: Optional[str] = DbOpt, all_children: bool = typer.Option(False, "--all", help="Every child."),
             as_json: bool = JsonOpt):
    """Unaccompanied and separated children, with who they travel with (for protection staff)."""
    from .service import protection

    rows = protection.children(runtime(db), flagged_only=not all_children)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out.print(f"{len(rows)} child(ren)")
    for child in rows:
        _print_child(child)


@app.command()
@refusals
def close(trip: str, db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt,
          command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Close an arrived trip: whoever was aboard and not scanned in is unaccounted for."""
    from .service import movement

    r = movement.close(runtime(db), meta(command_id, actor, device, at), trip=trip)
    n = len(r.data["unaccounted"])
    done(r, f"{trip} closed" + (f"; {n} person(s) unaccounted for" if n else ", everyone accounted for"))


@app.command()
@refusals
def release(token: str, note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt, actor: str = ActorOpt,
            device: str = DeviceOpt, command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """A person held at a checkpoint is released (back to waiting)."""
    from .service import movement

    done(movement.release(runtime(db), meta(command_id, actor, device, at), token=token, note=note),
         f"{token} released")


@app.command()
@refusals
def halt(cause: str = typer.Option(..., "--cause", help="shelling, route_blocked, agreement_suspended or other"),
         note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt, actor: str = ActorOpt,
         device: str = DeviceOpt, command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Halt the whole operation: nothing departs until it resumes."""
    from .service import movement

    done(movement.halt(runtime(db), meta(command_id, actor, device, at), cause=cause, note=note), "operation halted")


@app.command()
@refusals
def resume(note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt, actor: str = ActorOpt,
           device: str = DeviceOpt, command_id: Optional[str] = IdOpt, at: Optional[str] = AtOpt):
    """Resume the operation after a halt, and plan the rest from where everything stands."""
    from .service import planning

    outcome = planning.resume(runtime(db), meta(command_id, actor, device, at), note=note)
    done(outcome["resumed"], "operation resumed")
    if outcome["plan"]:
        d = outcome["plan"].data
        out.print(f"planned again: {len(d['trips'])} trips, last arrival {d['finish_at']}", highlight=False)
    if outcome["plan_refused"]:
        err.print(f"[bold red]not planned again:[/] {outcome['plan_refused']}", highlight=False)


@app.command()
@refusals
def cards(out_file: Path = typer.Option(Path("cards.pdf"), "--out", help="The PDF to write."),
          household: Optional[list[str]] = typer.Option(None, "--household", help="Only these households."),
          gathering_point: Optional[str] = typer.Option(None, "--gathering-point", help="Only those registered here."),
          limit: Optional[int] = typer.Option(None, "--limit", min=1), no_wristbands: bool = typer.Option(
              False, "--no-wristbands"), db: Optional[str] = DbOpt):
    """A4 sheets of household cards and wristband strips: QR token, names in both scripts, precedence."""
    from .service import printing

    r = printing.cards(runtime(db), out_file, households=household, gathering_point=gathering_point, limit=limit,
                       wristbands=not no_wristbands)
    out.print(f"{r['path']}: {r['pages']} page(s) for {r['households']} household(s), {r['persons']} person(s)")


@app.command()
@refusals
def forms(folder: Path = typer.Option(Path("forms"), "--out", help="Folder for the .xlsx forms."),
          db: Optional[str] = DbOpt):
    """Write the registration and boarding-scan XLSForms for ODK Collect and KoboCollect."""
    from .service import printing

    for path in printing.forms(runtime(db), folder):
        out.print(str(path))


# --- benchmarks ------------------------------------------------------------------------

bench = typer.Typer(help="Published benchmark instances, solved and compared.", no_args_is_help=True)
app.add_typer(bench, name="bench")


@bench.command("bep")
@refusals
def bench_bep(paths: Optional[list[Path]] = typer.Argument(None, help="Instance files or folders (default: all)."),
              time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds per instance."),
              as_json: bool = JsonOpt):
    """The Bus Evacuation Problem: our makespan, lower bound, optimality and the best published value."""
    from .planning.bep import bench as bep_bench
    from .planning.bep.instance import BepFormatError

    try:
        rows = bep_bench.run(list(paths) if paths else None, time_limit)
    except BepFormatError as e:
        raise CorridorError(str(e)) from None
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        out.print(bep_bench.format_table(rows), highlight=False)


# --- duplicates ------------------------------------------------------------------------

dup = typer.Typer(help="The same person registered twice: check, list, merge, dismiss, undo.",
                  invoke_without_command=True, no_args_is_help=False)
app.add_typer(dup, name="duplicates")


@dup.callback()
@refusals
def duplicates_list(ctx: typer.Context, db: Optional[str] = DbOpt, as_json: bool = JsonOpt,
                    every: bool = typer.Option(False, "--all", help="Decided pairs too, not only open ones.")):
    """List candidate pairs with their score and evidence (run `corridor duplicates check` first)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    from .service import duplicates

    found = duplicates.candidates(runtime(db), statuses=("open", "merged", "dismissed") if every else ("open",))
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if found["checked_at"] is None:
        out.print("no duplicate check yet: run `corridor duplicates check`")
    else:
        out.print(f"last check {found['checked_at']} over {found['persons_checked']:,} persons; "
                  f"{found['registered_since_check']:,} registered since", highlight=False)
    table = Table(title=f"{len(found['pairs'])} candidate pair(s)", title_justify="left")
    for col in ("score", "first record", "second record", "evidence", "status"):
        table.add_column(col)
    for p in found["pairs"]:
        side = lambda x: (f"{x['token']}\n{x['name_ar']}\n{x['name_latin']}\n"  # noqa: E731
                          f"{x['sex']}, {x['birth_year']}, {x['gathering_point']}")
        evidence = "\n".join(f"{k}: {v}" for k, v in p["evidence"].items())
        table.add_row(f"{p['score']:.2f}" + (" high" if p["high"] else ""), side(p["a"]), side(p["b"]), evidence,
                      p["status"])
    out.print(table)


@dup.command("check")
@refusals
def duplicates_check(db: Optional[str] = DbOpt, actor: str = ActorOpt, device: str = DeviceOpt):
    """Look for the same person registered twice, across the whole registry."""
    import time

    from .service import duplicates

    started = time.perf_counter()
    r = duplicates.check(runtime(db), meta(None, actor, device, None))
    pairs = r.data["pairs"]
    out.print(f"{r.data['persons_checked']:,} persons checked in {time.perf_counter() - started:.1f} s: "
              f"{len(pairs)} candidate pair(s), {sum(p['high'] for p in pairs)} likely")


@dup.command("merge")
@refusals
def duplicates_merge(kept: str, duplicate: str, note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt,
                     actor: str = ActorOpt, device: str = DeviceOpt, command_id: Optional[str] = IdOpt):
    """Fold DUPLICATE into KEPT: one person registered twice."""
    from .service import duplicates

    done(duplicates.merge(runtime(db), meta(command_id, actor, device, None), kept=kept, duplicate=duplicate,
                          note=note), f"{duplicate} merged into {kept}")


@dup.command("dismiss")
@refusals
def duplicates_dismiss(a: str, b: str, note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt,
                       actor: str = ActorOpt, device: str = DeviceOpt, command_id: Optional[str] = IdOpt):
    """A and B are two different people."""
    from .service import duplicates

    done(duplicates.dismiss(runtime(db), meta(command_id, actor, device, None), a=a, b=b, note=note),
         f"{a} and {b} kept apart")


@dup.command("undo")
@refusals
def duplicates_undo(a: str, b: str, note: str = typer.Option("", "--note"), db: Optional[str] = DbOpt,
                    actor: str = ActorOpt, device: str = DeviceOpt, command_id: Optional[str] = IdOpt):
    """Take back the merge or dismissal of A and B."""
    from .service import duplicates

    done(duplicates.undo(runtime(db), meta(command_id, actor, device, None), a=a, b=b, note=note),
         f"decision on {a} and {b} undone")


def main() -> None:
    app()
