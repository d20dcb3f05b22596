"""Field devices: the configuration QR code ODK Collect and KoboCollect scan to set themselves up."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import Db, console, out, refusals, runtime

devices = typer.Typer(help="Field devices (ODK Collect, KoboCollect): their configuration QR codes.",
                      no_args_is_help=True)


@devices.command("qr")
@refusals
def devices_qr(name: str = typer.Argument(..., help="The account the device works for (corridor users add)."),
               server: str = typer.Option(..., "--server", help="The address phones reach corridor at, e.g. "
                                                                "https://corridor.example.org"),
               device: str = typer.Option("phone", "--device", help="A label for the device."),
               expires: str = typer.Option("30d", "--expires", help="How long its token is valid: 12h, 7d, 2w."),
               out_file: Optional[Path] = typer.Option(None, "--out", help="Also write the QR code to a .png or "
                                                                             ".svg file."),
               db: Db = None):
    """A new device token for the account and ODK Collect's configuration QR code carrying it: scan it in
    Collect (Configure with QR code) or KoboCollect. Its token is revoked like any other (corridor tokens)."""
    from ..formats import collect
    from ..formats.qr import file_kind
    from ..service import accounts, devices as service

    kind = file_kind(out_file) if out_file is not None else None
    made = service.configure(runtime(db), name, server=server, device=device,
                             expires=accounts.parse_duration(expires), by=console().account)
    print(collect.terminal(made["payload"]))
    if out_file is not None:
        collect.write(made["payload"], out_file, kind)
        out.print(f"written to {out_file}", highlight=False)
    out.print(f"token {made['id']} for {made['account']} on {made['device']}, valid until {made['expires_at']}; "
              "the QR code holds it: keep it like a password.", highlight=False)
    if not made["https"]:
        out.print("[yellow]the server address is plain http: the token travels in clear; use https in the "
                  "field[/]", highlight=False)
