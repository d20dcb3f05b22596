"""Benchmark of the medic's and the protection officer's desks (/desk/medical, /desk/protection) served by a real
server on 127.0.0.1 over the east Aleppo demo (100,000 persons by default, registered and planned).

For each screen, as an account of its role not limited to sites: the first load in bytes (the page and every script
and style sheet it names) and the time to answer the page (median and 95th percentile of --requests requests,
sequential, measured by the client), for the default view (50 of each list) and for "show them all".

    uv run python benchmarks/care_desks.py                      # builds the demo in a temporary folder
    uv run python benchmarks/care_desks.py --db demo.db --json  # an existing demo database; one JSON object last
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from common import header_line, record_header  # noqa: E402  (benchmarks/common.py)
from spine import Server  # noqa: E402  (benchmarks/spine.py: `corridor serve` in its own process)

SCREENS = (("medic", "/desk/medical"), ("medic", "/desk/medical?more=true"),
           ("protection_officer", "/desk/protection"), ("protection_officer", "/desk/protection?more=true"))


def build_demo(db: Path, people: int, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "corridor", "demo", "--people", str(people), "--seed", str(seed),
                    "--db", str(db), "--no-serve"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def bearer(db: Path) -> dict[str, dict[str, str]]:
    """An account of each role, made on the operator's console; their bearer headers."""
    from corridor.bootstrap import bootstrap
    from corridor.service import accounts

    rt = bootstrap(db)
    try:
        out = {}
        for role in ("medic", "protection_officer"):
            name = f"bench-care-{role.replace('_', '-')}-{secrets.token_hex(3)}"
            accounts.add_user(rt, name, role=role, password=secrets.token_urlsafe(24), by="console:bench")
            token = accounts.create_token(rt, name, device="bench", by="console:bench")["token"]
            out[role] = {"Authorization": f"Bearer {token}"}
        return out
    finally:
        rt.db.dispose()


def measure(url: str, path: str, headers: dict, requests: int) -> dict:
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        times, html = [], ""
        for _ in range(requests):
            start = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")
            html = answer.text
        assets = sum(len(client.get(ref).content)
                     for ref in re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', html))
    times.sort()
    return {"screen": path, "html_bytes": len(html.encode()), "first_load_bytes": len(html.encode()) + assets,
            "cards": len(re.findall(r'class="card[" ]', html)), "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing demo database (else one is built)")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "demo.db"
            build_demo(db, args.people, args.seed)
        headers = bearer(db)
        with Server(db) as server:
            rows = [measure(server.url, path, headers[role], args.requests) for role, path in SCREENS]
    header = record_header(seed=args.seed)
    print(header_line(header, "corridor care desks benchmark"))
    print(f"{'screen':32} {'cards':>6} {'html KB':>8} {'first load KB':>14} {'median ms':>10} {'p95 ms':>8}")
    for r in rows:
        print(f"{r['screen']:32} {r['cards']:>6} {r['html_bytes'] / 1000:>8.1f} {r['first_load_bytes'] / 1000:>14.1f} "
              f"{r['median_ms']:>10.1f} {r['p95_ms']:>8.1f}")
    if args.json:
        print(json.dumps({"people": args.people, "requests": args.requests, "screens": rows, **header}))


if __name__ == "__main__":
    main()
