"""The same person registered twice: check, list, merge (with --force for a pair never found), dismiss, undo."""

from __future__ import annotations

import typer
from rich.table import Table

from .common import AsJson, Db, console, done, out, print_json, records, refusals, runtime

dup = typer.Typer(help="The same person registered twice: check, list, merge, dismiss, undo.",
                  invoke_without_command=True, no_args_is_help=False)


def _side(x: dict) -> str:
    return f"{x['token']}\n{x['name_ar']}\n{x['name_latin']}\n{x['sex']}, {x['birth_year']}, {x['gathering_point']}"


@dup.callback()
@refusals
def duplicates_list(ctx: typer.Context, db: Db = None, as_json: AsJson = False,
                    every: bool = typer.Option(False, "--all", help="Decided pairs too, not only open ones."),
                    lang: str = typer.Option("en", "--lang", help="en or ar: the evidence in English or Arabic.")):
    """List candidate pairs with their score and evidence (run `corridor duplicates check` first)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    from ..domain.errors import BadInput
    from ..matching import explain
    from ..service import duplicates

    if lang not in ("en", "ar"):
        raise BadInput(f"lang: expected en or ar, got {lang!r}", field="lang")
    found = duplicates.candidates(runtime(db), viewer=console(), statuses=("open", "merged", "dismissed") if every else ("open",))
    if as_json:
        print_json(found)
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
        table.add_row(f"{p['score']:.2f}" + (" high" if p["high"] else ""), _side(p["a"]), _side(p["b"]),
                      "\n".join(explain(p["evidence"], lang=lang)), p["status"])
    out.print(table)


@dup.command("check")
@refusals
@records
def duplicates_check(db: Db = None, meta=None):
    """Look for the same person registered twice, across the whole registry."""
    import time

    from ..service import duplicates

    started = time.perf_counter()
    r = duplicates.check(runtime(db), meta)
    pairs = r.data["pairs"]
    out.print(f"{r.data['persons_checked']:,} persons checked in {time.perf_counter() - started:.1f} s: "
              f"{len(pairs)} candidate pair(s), {sum(p['high'] for p in pairs)} likely")


@dup.command("merge")
@refusals
@records
def duplicates_merge(kept: str, duplicate: str, note: str = typer.Option("", "--note"), db: Db = None,
                     force: bool = typer.Option(False, "--force",
                                                help="Merge a pair the duplicate check never proposed."),
                     meta=None):
    """Fold DUPLICATE into KEPT: one person registered twice."""
    from ..service import duplicates

    done(duplicates.merge(runtime(db), meta, kept=kept, duplicate=duplicate, note=note, force=force),
         f"{duplicate} merged into {kept}")


@dup.command("dismiss")
@refusals
@records
def duplicates_dismiss(a: str, b: str, note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """A and B are two different people."""
    from ..service import duplicates

    done(duplicates.dismiss(runtime(db), meta, a=a, b=b, note=note), f"{a} and {b} kept apart")


@dup.command("undo")
@refusals
@records
def duplicates_undo(a: str, b: str, note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Take back the merge or dismissal of A and B."""
    from ..service import duplicates

    done(duplicates.undo(runtime(db), meta, a=a, b=b, note=note), f"decision on {a} and {b} undone")
