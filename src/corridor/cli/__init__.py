"""The command line: thin commands that parse, call one service, print.

One module per concern; this one is the table of contents. Heavy libraries are imported
inside the commands, so `corridor --help` starts fast."""

from __future__ import annotations

import typer

from . import accounts, backup, claims, demo, devices, erasure, forecast, looking, registry, running, setup
from . import road
from .agreement import agreement
from .bench import bench
from .duplicates import dup
from .keys import keys

app = typer.Typer(help="corridor: plan, run and account for the evacuation of civilians.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

COMMANDS = (
    # the demo and the server
    ("demo", demo.demo), ("serve", demo.serve),
    # looking
    ("status", looking.status), ("reconcile", looking.reconcile), ("verify", looking.verify),
    ("rebuild", looking.rebuild), ("trips", looking.trips), ("show", looking.show), ("qr", looking.qr),
    ("forecast", forecast.forecast),
    # setting up, registering, planning
    ("setup", setup.setup_cmd), ("register", registry.register), ("rules", setup.rules),
    ("withdraw", setup.withdraw), ("import", registry.import_cmd), ("plan", running.plan),
    # running
    ("board", running.board), ("depart", running.depart), ("pass", running.pass_), ("arrive", running.arrive),
    ("scan-in", running.scan_in), ("children", looking.children), ("close", running.close),
    ("release", running.release), ("halt", running.halt), ("resume", running.resume),
    # printing
    ("cards", registry.cards), ("forms", registry.forms),
    # protecting personal data
    ("erase", erasure.erase),
    # who may see and do what
    ("access-log", accounts.access_log),
    # backups
    ("backup", backup.backup), ("restore", backup.restore), ("state-hash", backup.state_hash),
    # what others claim, the picture, the sitrep
    ("picture", claims.picture), ("sitrep", claims.sitrep),
)
COMMANDS += (
    # the road and its papers
    ("private-vehicle", road.private_vehicle), ("turn-back", road.turn_back), ("vehicle-lost", road.vehicle_lost),
    ("manifest", road.manifest), ("notify", road.notify), ("notified", road.notified),
)
for name, command in COMMANDS:
    app.command(name)(command)
app.add_typer(bench, name="bench")
app.add_typer(dup, name="duplicates")
app.add_typer(keys, name="keys")
app.add_typer(erasure.retention, name="retention")
app.add_typer(accounts.users, name="users")
app.add_typer(accounts.tokens, name="tokens")
app.add_typer(claims.claims, name="claims")
app.add_typer(devices.devices, name="devices")
app.add_typer(agreement, name="agreement")


def main() -> None:
    app()
