"""The README's generated parts: the CLI reference (from the commands' own --help), the set-up
description (from the set-up use cases' signatures) and the import columns (from the one person
definition and the enums). `scripts/readme` writes them between their markers; a test fails when
the README's copy is stale."""

from __future__ import annotations

import dataclasses
import inspect
import re
from enum import Enum
from pathlib import Path


SECTIONS = ("cli-reference", "setup-json", "csv-columns")


# --- the CLI reference ---------------------------------------------------------------

def _option_cell(p) -> str:
    names = ", ".join(f"`{o}`" for o in p.opts)
    if getattr(p, "is_flag", False):
        return names
    metavar = p.name.upper().replace("_", "-")
    return names + f" {metavar}" + ("…" if p.multiple else "")


def _default(p) -> str:
    if p.required:
        return "required"
    if getattr(p, "is_flag", False) or p.default in (None, (), [], False):
        return ""
    return f"`{p.default}`"


SHARED = {"--db": "db", "--device": "records", "--command-id": "records", "--at": "records"}


def _command(path: str, cmd) -> list[str]:
    ctx = cmd.context_class(cmd, info_name=path)  # typer vendors its own click: take its classes from the command
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    records = any("--command-id" in p.opts for p in cmd.params)  # --device alone is a command's own option
    shared = {o for o, kind in SHARED.items() if kind == "db" or records}
    marks = " · records (`--device --command-id --at`)" if records else ""
    lines = [f"#### `{path}`{marks}", "", (cmd.help or "").strip(), "", f"    {path} {usage}", ""]
    options = [p for p in cmd.params if p.param_type_name == "option" and not set(p.opts) & shared]
    if options:
        lines += ["| option | | default |", "|---|---|---|"]
        lines += [f"| {_option_cell(p)} | {(p.help or '').replace('|', '/')} | {_default(p)} |" for p in options]
        lines.append("")
    return lines


def _walk(path: str, cmd) -> list[str]:
    if not hasattr(cmd, "commands"):
        return _command(path, cmd)
    lines = _command(path, cmd) if path != "corridor" else []
    for name, sub in cmd.commands.items():
        lines += _walk(f"{path} {name}", sub)
    return lines


def cli_reference() -> str:
    import typer.main

    from . import app

    return "\n".join(_walk("corridor", typer.main.get_command(app))).strip()


# --- the set-up description ------------------------------------------------------------

def _type_name(annotation) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    return text.replace("Any", "ISO 8601 time").replace("typing.", "").replace(" | ", " or ")




def _allowed() -> dict[str, list[str]]:
    from ..domain.values import Mobility, Precedence, Relationship, Sex, SiteKind, VehicleKind, Vulnerability

    def values(e: type[Enum]) -> list[str]:
        return [v.value for v in e]

    return {"sites.kind": values(SiteKind), "vehicles.kind": values(VehicleKind), "sex": values(Sex),
            "relationship": values(Relationship), "mobility": values(Mobility), "precedence": values(Precedence),
            "vulnerabilities": values(Vulnerability)}


def setup_description() -> str:
    from ..service import setup

    sections = (("operation", "object", setup.create_operation), ("sites", "list", setup.add_site),
                ("legs", "list", setup.add_leg), ("vehicles", "list", setup.add_vehicle),
                ("corridor_rules", "object, optional", setup.set_corridor_rules))
    allowed = _allowed()
    lines = ["| key | field | type | default / allowed |", "|---|---|---|---|"]
    for key, shape, fn in sections:
        for p in inspect.signature(fn).parameters.values():
            if p.kind is not inspect.Parameter.KEYWORD_ONLY:
                continue
            note = "required" if p.default is inspect.Parameter.empty else f"`{p.default!r}`"
            if f"{key}.{p.name}" in allowed:
                note = ", ".join(f"`{v}`" for v in allowed[f"{key}.{p.name}"])
            lines.append(f"| `{key}` ({shape}) | `{p.name}` | {_type_name(p.annotation)} | {note} |")
    return "\n".join(lines)


# --- the import columns ------------------------------------------------------------------

def csv_columns() -> str:
    from ..domain.registry import PersonInput
    from ..formats.tabular import HOUSEHOLD_FIELDS

    allowed = _allowed()
    lines = ["| column | one per | type | default / allowed |", "|---|---|---|---|"]
    lines += [f"| `{name}` | household | text | |" for name in HOUSEHOLD_FIELDS]
    for f in dataclasses.fields(PersonInput):
        if f.default is not dataclasses.MISSING:
            default = f"`{f.default}`" if f.default not in ("", None) else ""
        else:
            default = ""
        note = ", ".join(f"`{v}`" for v in allowed[f.name]) if f.name in allowed else ""
        note = "; ".join(x for x in (f"default {default}" if default else "", note) if x)
        lines.append(f"| `{f.name}` | person | {_type_name(f.type)} | {note} |")
    return "\n".join(lines)


# --- writing them into the README ----------------------------------------------------------

def generated(section: str) -> str:
    return {"cli-reference": cli_reference, "setup-json": setup_description, "csv-columns": csv_columns}[section]()


def render_readme(text: str) -> str:
    """The README with every generated section replaced by its current text."""
    for section in SECTIONS:
        start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"README: the markers {start} … {end} are missing")
        body = generated(section)
        text = pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)
    return text


def write_readme(path: Path) -> bool:
    """Rewrite the generated sections of the README at `path`; True when something changed."""
    old = path.read_text(encoding="utf-8")
    new = render_readme(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


# --- the permissions page (docs/permissions.md) ---------------------------------------------------------------

def permissions_page() -> str:
    """The one permission table as a page: roles and duties, what each permission allows and which routes need
    it, which personal fields each permission reveals, and the site limits."""
    from ..api.app import create_app
    from ..api.auth import declared_routes
    from ..domain.permissions import PERSON_FIELDS, ROLE_PERMISSIONS, SITE_LIMITED, SITE_RULES, TRIP_TIE, Permission, \
        Role, permissions_table

    routes: dict[object, list[str]] = {}
    for r in declared_routes(create_app(None)):
        for method in sorted(r.methods - {"HEAD"}):
            routes.setdefault(r.needs, []).append(f"`{method} {r.path}`")
    lines = ["# Who may see and do what", "",
             "Generated from `src/corridor/domain/permissions.py` and the routes' declarations by `scripts/readme`; "
             "`tests/test_readme.py` fails when it is stale. Do not edit by hand.", "",
             "## Roles", "", "| role | duties | permissions |", "|---|---|---|"]
    lines += [f"| `{role}` | {duties} | {', '.join(f'`{p}`' for p in perms)} |"
              for role, duties, perms in permissions_table()]
    lines += ["", "## Permissions", "", "| permission | roles | routes |", "|---|---|---|"]
    for p in Permission:
        holders = ", ".join(f"`{r.value}`" for r in Role if p in ROLE_PERMISSIONS[r])
        lines.append(f"| `{p.value}` | {holders} | {'<br>'.join(routes.get(p, [])) or 'command line only'} |")
    lines += ["", "Open to anyone: " + ", ".join(routes.get("open", [])) + " (the static files: CSS and scripts, "
              "no data).", "", "Any signed-in account: " + ", ".join(routes.get("authenticated", [])) + ".", "",
              "A device token (OpenRosa: in the path as `/key/{key}/…`, as the password of Basic authentication "
              "over HTTPS, or as a bearer token; an unknown or revoked key is answered 403): "
              + ", ".join(routes.get("device", [])) + ". A device lists, downloads and submits the registration "
              "form with `register` and the boarding scan with `board`, at its account's sites.", "",
              "The operator's console (the `corridor` command on the server, which holds the database) has every "
              "permission and records its acts as `console:<operating-system user>`.", "",
              "## Personal fields", "", "A field of a person is shown only to a role holding one of these "
              "permissions (least data by role); every read of personal data is written to the access log "
              "(`corridor access-log`, `GET /api/access-log`).", "",
              "| field | revealed by | roles |", "|---|---|---|"]
    for field, perms in PERSON_FIELDS.items():
        holders = ", ".join(f"`{r.value}`" for r in Role if perms & ROLE_PERMISSIONS[r])
        lines.append(f"| `{field}` | {', '.join(f'`{p.value}`' for p in Permission if p in perms)} | {holders} |")
    lines += ["", "## Accounts limited to sites", "",
              "An account may be limited to sites (`corridor users add NAME --role ROLE --site GP-A`). For these "
              "permissions it then acts only where:", "", "| permission | the account acts when |", "|---|---|"]
    lines += [f"| `{p.value}` | {SITE_RULES[p]} |" for p in Permission if p in SITE_LIMITED]
    ties = ", ".join(f"`{r.value}`: the trip's {end}" for r, end in TRIP_TIE.items())
    lines += ["", f"A trip is tied to a site-limited account by role ({ties}; any other role: anywhere on the trip). "
              "Elsewhere the answer is 403 problem+json naming the permission and the account's sites. Lists "
              "(children, duplicate pairs, reconciliation) show only the households and trips at the account's "
              "sites; an account limited to sites may not import whole lists (it registers household by "
              "household or in batches, each checked)."]
    return "\n".join(lines) + "\n"


def write_permissions(path: Path) -> bool:
    """Rewrite docs/permissions.md; True when something changed."""
    new = permissions_page()
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if new != old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    return new != old
