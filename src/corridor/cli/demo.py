"""The demo and the server: a fresh demo database, the simulation, the dashboard."""

from __future__ import annotations

from typing import Optional

import typer

from .common import Db, out, refusals, runtime
from ..scenarios.east_aleppo import TIME_ZONE
from .looking import print_status


@refusals
def demo(
    people: int = typer.Option(100_000, "--people", min=1, max=1_000_000, help="How many people wait."),
    db: Db = None,
    simulate: bool = typer.Option(False, "--simulate", help="Run the operation to its end on a simulated clock."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Return when done instead of serving the dashboard."),
    seed: int = typer.Option(2016, "--seed", help="Same seed, same people, same plan."),
    speed: float = typer.Option(60.0, "--speed", min=0.0,
                                help="Simulated minutes per real second while serving (0: as fast as possible)."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    time_zone: Optional[str] = typer.Option(None, "--time-zone",
                                            help=f"Show times in this zone, not the operation's own ({TIME_ZONE})."),
):
    """Create a fresh database with the east Aleppo demo operation, register and plan it, serve the dashboard."""
    from rich.progress import Progress

    from ..bootstrap import fresh_demo_database
    from ..scenarios.demo import create_demo, create_demo_accounts

    path = fresh_demo_database(db)
    rt = runtime(path, seed=seed, time_zone=time_zone)
    with Progress(console=out, transient=True) as bar:
        task = bar.add_task("registering", total=people)
        result = create_demo(rt, people=people, seed=seed,
                             progress=lambda done_, total: bar.update(task, completed=done_, total=total))
    out.print(f"demo operation in {path}: {result.persons:,} persons in {result.households:,} households, "
              f"{result.urgent} urgent medical cases ({result.stretcher} on stretchers); planned.")
    print_accounts(create_demo_accounts(rt, by="demo"), host, port)
    if no_serve:
        if simulate:
            _simulate(rt, seed, pace=None)
        print_status(rt)
        return
    worker = None
    if simulate:
        import threading

        worker = threading.Thread(target=_simulate, args=(rt, seed, _pacer(speed)), daemon=True, name="simulation")
    run_server(rt, host, port, worker)


def print_accounts(made: list[tuple[str, str, str]], host: str, port: int) -> None:
    """The demo accounts and their one-time passwords (new each run), and how to sign in."""
    from rich.table import Table

    table = Table(title="demo accounts (passwords shown this once)", title_justify="left")
    for col in ("account", "role", "password"):
        table.add_column(col)
    for name, role, password in made:
        table.add_row(name, role, password)
    out.print(table)
    out.print(f"sign in at http://{host}:{port}/login (the dashboard: demo-coordinator or demo-analyst); for the API: "
              "POST /api/login {\"username\", \"password\"}, then 'Authorization: Bearer <token>'", highlight=False)


def _pacer(speed: float):
    if speed <= 0:
        return None
    import time

    from ..scenarios.east_aleppo import START

    started = time.monotonic()

    def pace(now):
        due = started + (now - START).total_seconds() / 60.0 / speed
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    return pace


def _simulate(rt, seed: int, pace) -> None:
    from ..scenarios.east_aleppo import START
    from ..scenarios.simulate import Simulation

    result = Simulation(rt, start=START, seed=seed).run(pace)
    out.print(f"simulation finished at {result.finished_at:%Y-%m-%d %H:%M} UTC: {result.commands:,} commands, "
              f"{result.plans} re-plan(s), {result.halts} halt(s).")
    for note in result.notes:
        out.print(f"  {note}", highlight=False)


def server_config(app, host: str, port: int, access_log: bool = False):
    """uvicorn's settings: warnings only; with --access-log also one line per request on stdout."""
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    logging = copy.deepcopy(LOGGING_CONFIG)
    logging["loggers"]["uvicorn"]["level"] = "WARNING"
    logging["loggers"]["uvicorn.error"]["level"] = "WARNING"
    logging["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    # log_level stays None: uvicorn would otherwise set the access logger to it and drop every request line
    from .serving import OneWriteProtocol

    return uvicorn.Config(app, host=host, port=port, access_log=access_log, log_config=logging, log_level=None,
                          http=OneWriteProtocol)


SWITCH_INTERVAL_S = 0.0005  # how soon a thread waiting for the interpreter lock gets it (Python's default: 5 ms)


def tuned_for_serving(app):
    """A server process set for the boarding surge; the app, made ready. The group commit's writer thread
    (store/group.py) lets go of the interpreter lock for each statement it runs and for each disk sync, and with
    Python's default switch interval waits up to 5 ms to have it back from the event loop each time — several
    times a scan, while the desks wait for the group. And the objects made at start-up (the app, the tables, the
    compiled statements) are set aside from the cycle collector (`gc.freeze`), and its full collections wait for
    a quiet moment (cli/collecting.py): each walks everything not frozen and stalls every desk while it does."""
    import gc
    import sys

    from .collecting import QuietCollector

    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.collect()
    gc.freeze()
    group = app.state.runtime.db.group
    QuietCollector(lambda: group.jobs, group.waiting).start()
    return app


def run_server(rt, host: str, port: int, worker=None, access_log: bool = False) -> None:
    import uvicorn

    from ..api.app import create_app

    out.print(f"dashboard on http://{host}:{port}/  (API: http://{host}:{port}/docs) — Ctrl+C stops")
    server = uvicorn.Server(server_config(tuned_for_serving(create_app(rt)), host, port, access_log))
    if worker is not None:
        worker.start()
    server.run()


@refusals
def serve(db: Db = None, host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"),
          access_log: bool = typer.Option(False, "--access-log", help="Log each request (paths carry tokens)."),
          time_zone: Optional[str] = typer.Option(None, "--time-zone",
                                                  help="Show times in this zone (default $CORRIDOR_TIME_ZONE, "
                                                       "else the operation's own)."),
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="Server processes answering on the one port, on the one database "
                                           "(a process uses one core at most).")):
    """Serve the HTTP API and the dashboard."""
    rt = runtime(db, time_zone=time_zone)
    if workers == 1:
        run_server(rt, host, port, access_log=access_log)
        return
    run_workers(rt, host, port, workers, access_log)


def run_workers(rt, host: str, port: int, workers: int, access_log: bool) -> None:
    """`workers` server processes sharing the listening socket, each with its own runtime on the database (made
    ready once, here: its schema migrated and its key found). Their writers take turns: SQLite's write lock or
    PostgreSQL's advisory lock keeps the ledger's chain single (store/db.py)."""
    import os

    import uvicorn

    os.environ["CORRIDOR_DB"] = rt.db.url  # what each worker's runtime opens (worker_app)
    if rt.time_zone:  # the server was told a zone: each worker shows times in it too
        os.environ["CORRIDOR_TIME_ZONE"] = rt.time_zone
    os.environ["CORRIDOR_WRITER_TURNS"] = "1"  # SQLite: the workers' writers take turns on a lock file (store/db.py)
    rt.db.dispose()
    out.print(f"dashboard on http://{host}:{port}/  (API: http://{host}:{port}/docs), {workers} processes "
              "— Ctrl+C stops")
    config = server_config("corridor.cli.demo:worker_app", host, port, access_log)  # its logging settings
    uvicorn.run(config.app, host=host, port=port, workers=workers, factory=True, access_log=access_log,
                log_config=config.log_config, log_level=None, http=config.http)


def worker_app():
    """The app of one worker process of `serve --workers` (uvicorn calls it in each)."""
    from ..api.app import create_app
    from ..bootstrap import bootstrap

    return tuned_for_serving(create_app(bootstrap(migrate=False)))
