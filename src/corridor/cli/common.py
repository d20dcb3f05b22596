"""What every command shares: the consoles, the options, one refusal line, the runtime, the Meta of a record.

Only typer and rich are imported here, so that `corridor --help` starts fast; each command
imports the services it calls inside its body."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from ..domain.errors import CorridorError

out = Console()
err = Console(stderr=True)

Db = Annotated[Optional[str], typer.Option("--db", help="Database file or URL (default: $CORRIDOR_DB, else ./corridor.db).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Device = Annotated[str, typer.Option("--device", help="From which device (the actor is console:<your OS user>).")]
CommandId = Annotated[Optional[str], typer.Option(
    "--command-id", help="Your id for this command: sending it again changes nothing.")]
At = Annotated[Optional[str], typer.Option("--at", help="When it happened (ISO 8601 with offset); default now.")]

# The options of a command that records something, with their defaults: declared once, added by `records`.
RECORD_OPTIONS = (("device", Device, "terminal"), ("command_id", CommandId, None), ("at", At, None))


#: The runtimes the running command opened (`runtime`). They are closed as it ends, not whenever the garbage
#: collector gets to them: SQLite's last connection to close folds the log into the file, so a command run
#: in-process (as tests do) would otherwise change a database's bytes at some random later moment.
_opened: ContextVar[list | None] = ContextVar("opened_runtimes", default=None)


def refusals(fn):
    """Turn a refusal into one readable line on stderr and exit status 1; close the runtimes the command opened."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        opened = _opened.set([])
        try:
            return fn(*args, **kwargs)
        except CorridorError as e:
            err.print(f"[bold red]refused:[/] {e.detail}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        finally:
            for rt in _opened.get():
                rt.db.dispose()
            _opened.reset(opened)

    return wrapper


def records(fn):
    """A command that records something: takes `meta` and gets --device, --command-id and --at.

    The options are appended to the command's own; their values become one `Meta`, recorded under the
    operator's console: `console:<operating-system user>`."""
    own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "meta"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
             for name, kind, default in RECORD_OPTIONS]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name) for name, _, _ in RECORD_OPTIONS}
        return fn(*args, meta=make_meta(**values), **kwargs)

    wrapper.__signature__ = inspect.Signature([*own, *added])
    wrapper.__annotations__ = {p.name: p.annotation for p in [*own, *added]}
    del wrapper.__wrapped__  # typer must read the new signature, not the wrapped one
    return wrapper


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the uid itself
        import os

        return str(os.getuid())


def console():
    """The principal of the operator's console: every permission, recorded as console:<OS user>."""
    from ..domain.permissions import Principal

    return Principal.console(os_user())


def make_meta(command_id: Optional[str] = None, device: str = "terminal", at: Optional[str] = None):
    from ..service.recording import Meta

    return Meta(command_id=command_id, actor=console().account, device=device, at=at)


def runtime(db: Optional[str], **kw):
    """The command's runtime on `db`, closed when the command ends (`refusals`)."""
    from ..bootstrap import bootstrap

    rt = bootstrap(db, **kw)
    opened = _opened.get()
    if opened is not None:
        opened.append(rt)
    return rt


def done(receipt, what: str) -> None:
    again = " (already recorded: nothing changed)" if receipt.replayed else ""
    out.print(f"{what} — event {receipt.seq}{again}", highlight=False)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def may_write(path: Path) -> Path:
    """The path, once a file may be written there: refused in one line for a folder that does not exist or a
    folder in the file's place — checked before a document is made (a manifest's read is logged)."""
    if path.is_dir():
        raise CorridorError(f"out: {path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise CorridorError(f"out: {path.parent} is not a folder")
    return path


def write_file(path: Path, content: bytes | str) -> None:
    """A document written where asked (text as UTF-8); refused in one line when it cannot be (`may_write`, or
    no permission)."""
    may_write(path)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as e:
        raise CorridorError(f"out: {path} cannot be written ({e.strerror or type(e).__name__})") from None


def read_json(path: Path):
    """The JSON document in a file ("-": standard input); anything that keeps it from being read is refused in
    one line naming the file (no such file, a folder, not readable, not UTF-8, not JSON, nested too deeply)."""
    where = "stdin" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if where == "stdin" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorridorError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise CorridorError(f"{where}: is a folder, not a file") from None
    except PermissionError:
        raise CorridorError(f"{where}: cannot be read (permission denied)") from None
    except UnicodeDecodeError as e:
        raise CorridorError(f"{where}: not UTF-8 text (byte {e.start + 1}); save it as UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CorridorError(f"{where}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise CorridorError(f"{where}: nested too deeply to be read") from None
    except ValueError as e:  # a number longer than Python reads (4,300 digits)
        raise CorridorError(f"{where}: not readable JSON ({e})") from None
