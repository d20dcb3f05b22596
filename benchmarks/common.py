"""What every benchmark record starts with: when it ran, on which committed code, with which seed, on what machine.

    from common import record_header, header_line     # benchmarks/ is on sys.path when a benchmark runs
    header = record_header(seed=args.seed)
    print(header_line(header, "corridor spine benchmark"))
    print(json.dumps({**figures, **header}))

A commit ending in "-dirty" means the working tree had changes: the figures are of code no commit holds.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_commit(root: Path = ROOT) -> str:
    """`git rev-parse --short HEAD`, plus "-dirty" when tracked or new files differ from it; "unknown" outside git."""
    try:
        head = _git(root, "rev-parse", "--short", "HEAD")
        changes = _git(root, "status", "--porcelain")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if changes else head


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def machine() -> dict:
    """CPU model, cores (all, and those this process may use), memory in GiB, Python and the OS."""
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(terse=True),
    }


def _proc_field(path: str, name: str) -> str | None:
    """The first `name: value` line of a /proc file, or None where there is no such file (not Linux)."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    except OSError:
        return None
    return None


def _memory_gib() -> float | None:
    total = _proc_field("/proc/meminfo", "MemTotal")  # "24570000 kB"
    return round(int(total.split()[0]) / 2**20, 1) if total else None


def record_header(seed: int | None) -> dict:
    """The fields every benchmark's JSON record carries."""
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "commit": source_commit(), "seed": seed,
            "machine": machine()}


def header_line(header: dict, title: str) -> str:
    """One line for the printed table: title — date, commit, seed; machine."""
    m = header["machine"]
    memory = f", {m['memory_gib']} GiB" if m["memory_gib"] is not None else ""
    return (f"{title} — {header['date']}, commit {header['commit']}, seed {header['seed']}; "
            f"{m['cpu']}, {m['cores_usable']} of {m['cores']} cores{memory}, {m['python']}")
