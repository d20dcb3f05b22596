"""When will it end: the forecast, with what-ifs side by side."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from .common import AsJson, Db, out, print_json, refusals, runtime


@refusals
def forecast(
    runs: int = typer.Option(10_000, "--runs", help="Runs of the rest of the operation (1 to 100,000)."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same ledger: same answer."),
    by: Optional[str] = typer.Option(None, "--by", help="The chance of finishing by this time (ISO 8601 with offset)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Forecast as of this time (default: now)."),
    no_disruption: bool = typer.Option(False, "--no-disruption",
                                       help="The plan itself: no halt, hold, lost vehicle or no-show."),
    add_vehicles: Optional[int] = typer.Option(None, "--add-vehicles", help="What-if: this many more vehicles…"),
    at: Optional[str] = typer.Option(None, "--at", help="… available from this time (default: now)."),
    second_corridor: Optional[str] = typer.Option(
        None, "--second-corridor", help="What-if: a second route from these gathering points (GP-A,GP-B)."),
    window: Optional[str] = typer.Option(None, "--window", help="What-if: the corridor open daily HH:MM-HH:MM (UTC)."),
    checkpoint_rate: Optional[list[str]] = typer.Option(
        None, "--checkpoint-rate", help="What-if: CHECKPOINT=vehicles an hour (repeatable)."),
    db: Db = None,
    as_json: AsJson = False,
):
    """When will it end: the finish time's P10/P50/P90 under disruption learned from the operation so far, the
    chance of finishing by --by, the medical deadlines expected missed; what-ifs beside the current plan."""
    from ..service import forecast as f

    whatifs = f.changes(add_vehicles=add_vehicles, at=at, second_corridor=second_corridor, window=window,
                        checkpoint_rate=checkpoint_rate)
    result = f.forecast(runtime(db), runs=runs, seed=seed, by=f.parse_time(by, "by"),
                        at=f.parse_time(as_of, "as_of"), disruption=not no_disruption, whatifs=whatifs)
    if as_json:
        print_json(result)
        return
    print_forecast(result)


ROWS = (("plan_finish_at", "plan, undisrupted"), ("p10_at", "P10 finish"), ("p50_at", "P50 finish"),
        ("p90_at", "P90 finish"), ("finish_by_probability", "done by {by}"),
        ("urgent_missed_expected", "urgent late (exp.)"), ("priority_missed_expected", "priority late (exp.)"),
        ("trips", "trips left"), ("vehicles", "vehicles"))


def _cell(key: str, value) -> str:
    if value is None:
        return "never" if key.endswith("_at") else "—"
    if key.endswith("_at"):
        return value[5:16].replace("T", " ")
    if key == "finish_by_probability":
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def print_forecast(result: dict) -> None:
    m = result["model"]
    table = Table(title=f"forecast as of {result['as_of'][:16].replace('T', ' ')} UTC — {result['runs']:,} runs, "
                        f"seed {result['seed']}", title_justify="left")
    table.add_column("", no_wrap=True)
    for case in result["cases"]:
        table.add_column(case["case"], justify="right", no_wrap=True)
    for key, label in ROWS:
        if key == "finish_by_probability" and not result["by"]:
            continue
        table.add_row(label.format(by=(result["by"] or "")[5:16].replace("T", " ")),
                      *[_cell(key, case[key]) for case in result["cases"]])
    out.print(table)
    for case in result["cases"]:
        link = case.get("link")
        if link:
            out.print(f"{case['case']}: {link['words']}; without it P50 {_cell('p50_at', link['unlinked_p50_at'])}. "
                      f"{link['expected']}.", highlight=False)
    if m["disruption"]:
        out.print(f"disruption learned from the operation so far ({m['observed']['halts']} halt(s), "
                  f"{m['observed']['trips_arrived']} trips arrived): {m['halts_per_day']} halts a day, "
                  f"median {m['halt_median_hours']} h; {m['hold_share']:.1%} of trips held ~{m['hold_minutes']:.0f} "
                  f"min; {m['vehicle_loss_share']:.2%} of trips lose their vehicle; {m['noshow_share']:.1%} not at "
                  "boarding. See docs/forecast.md.", highlight=False)
    else:
        out.print("no disruption: every run is the plan itself.", highlight=False)
