"""Accounts, roles and device tokens (the operator's console on the server is their administrator), and the
access log of personal data."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.table import Table

from .common import AsJson, Db, console, out, print_json, refusals, runtime

users = typer.Typer(help="Accounts: add, list, disable, change role and sites.", no_args_is_help=True)
tokens = typer.Typer(help="Bearer tokens for devices and scripts: create, list, revoke.", no_args_is_help=True)

Sites = typer.Option(None, "--site", help="Limit the account to this site (repeat for more; none: every site).")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise typer.BadParameter("the two passwords differ")
    return first


@users.command("add")
@refusals
def users_add(name: str, role: str = typer.Option(..., "--role", help="One of the roles (corridor users roles)."),
              site: Optional[list[str]] = Sites,
              password_stdin: bool = typer.Option(False, "--password-stdin",
                                                  help="Read the password from the first line of standard input."),
              db: Db = None):
    """Add an account with a role (and sites); the password is read from stdin or asked for, never an argument."""
    from ..service import accounts

    made = accounts.add_user(runtime(db), name, role=role, sites=site or [], password=_read_password(password_stdin),
                             by=console().account)
    out.print(f"account {made['name']} added: {made['role']}"
              f"{' at ' + ', '.join(made['sites']) if made['sites'] else ''}", highlight=False)


@users.command("list")
@refusals
def users_list(db: Db = None, as_json: AsJson = False):
    """The accounts with their role, sites and state."""
    from ..service import accounts

    rows = accounts.list_users(runtime(db))
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} account(s)", title_justify="left")
    for col in ("name", "role", "sites", "state", "changed", "by"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["role"], ", ".join(r["sites"]) or "every site",
                      "disabled" if r["disabled"] else "active", r["changed_at"][:16], r["changed_by"])
    out.print(table)


@users.command("disable")
@refusals
def users_disable(name: str, db: Db = None):
    """Disable an account and revoke all its tokens."""
    from ..service import accounts

    accounts.disable(runtime(db), name, by=console().account)
    out.print(f"account {name} disabled; its tokens are revoked", highlight=False)


@users.command("role")
@refusals
def users_role(name: str, role: str = typer.Option(..., "--role"), site: Optional[list[str]] = Sites,
               db: Db = None):
    """Change an account's role and sites (the sites given replace the old ones)."""
    from ..service import accounts

    made = accounts.set_role(runtime(db), name, role=role, sites=site or [], by=console().account)
    out.print(f"account {made['name']}: {made['role']}"
              f"{' at ' + ', '.join(made['sites']) if made['sites'] else ''}", highlight=False)


@users.command("roles")
def users_roles():
    """The roles, their duties and permissions (the one permission table)."""
    from ..domain.permissions import permissions_table

    for role, duties, perms in permissions_table():
        out.print(f"[bold]{role}[/]: {duties}\n    {', '.join(perms)}", highlight=False)


@tokens.command("create")
@refusals
def tokens_create(name: str, device: str = typer.Option("device", "--device", help="A label for the device."),
                  expires: str = typer.Option("12h", "--expires", help="How long it is valid: 30m, 12h, 7d, 2w."),
                  db: Db = None):
    """A bearer token for a device or a script of the account: printed once, stored only as a hash."""
    from ..service import accounts

    made = accounts.create_token(runtime(db), name, device=device, expires=accounts.parse_duration(expires),
                                 by=console().account)
    print(made["token"])
    out.print(f"token {made['id']} for {made['account']} on {made['device']}, valid until {made['expires_at']}; "
              "shown once only. Send it as 'Authorization: Bearer <token>'.", highlight=False)


@tokens.command("list")
@refusals
def tokens_list(name: Optional[str] = typer.Argument(None), db: Db = None, as_json: AsJson = False):
    """The tokens (their ids, never the tokens themselves), of one account or all."""
    from ..service import accounts

    rows = accounts.list_tokens(runtime(db), name)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} token(s)", title_justify="left")
    for col in ("id", "account", "device", "kind", "expires", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["account"], r["device"], r["kind"], r["expires_at"][:16], (r["revoked_at"] or "")[:16])
    out.print(table)


@tokens.command("revoke")
@refusals
def tokens_revoke(token_id: Optional[str] = typer.Argument(None, help="The token's id (corridor tokens list)."),
                  account: Optional[str] = typer.Option(None, "--account", help="Revoke every token of the account."),
                  db: Db = None):
    """Revoke a token by its id, or every token of an account."""
    from ..service import accounts

    n = accounts.revoke(runtime(db), token_id=token_id, account=account)
    out.print(f"{n} token(s) revoked")


@refusals
def access_log(db: Db = None, as_json: AsJson = False,
               account: Optional[str] = typer.Option(None, "--account", help="Only this account's reads."),
               subject: Optional[str] = typer.Option(None, "--subject", help="Only reads of this household or trip."),
               limit: int = typer.Option(200, "--limit", min=1)):
    """Who read which personal data, when (newest first); never the data itself."""
    from ..service import access

    rows = access.entries(runtime(db), account=account, subject=subject, limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} read(s)", title_justify="left")
    for col in ("at", "account", "device", "kind", "subject", "count"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["at"][:19], r["account"], r["device"], r["kind"], r["subject"] or "—", str(r["count"]))
    out.print(table)
