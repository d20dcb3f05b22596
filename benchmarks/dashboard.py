"""Benchmark of the coordinator's dashboard during a simulation: the server's time per refresh with the demo population
(100,000 persons by default) while the operation runs on its simulated clock (as `corridor demo --simulate` serves
it: the simulation and the server in one process), and 20 viewers refreshing as the page does.

A refresh is what the page asks every 3 s: the live fragment (`/fragments/live`, English or Arabic), and when the
ledger's head it reports has moved, the map's and the curves' JSON. Its time is measured from the request sent to the
last byte received, on 127.0.0.1 (the server's time, its queueing included, plus the loopback and the client's own
threads), and as the handlers' own time (their Server-Timing header: from the request handed to the route to the
answer made, without the sign-in check and the event loop's queue). Then a burst of 200 requests abandoned after
50 ms, as impatient new users would leave them, and the time of the next refreshes.

    uv run python benchmarks/dashboard.py                      # a table
    uv run python benchmarks/dashboard.py --people 20000 --json  # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402

POLL_SECONDS = 3.0

# The server: the demo database served with its simulation running, as `corridor demo --simulate` does.
CHILD = """
import sys
from corridor.bootstrap import bootstrap
from corridor.cli.demo import _pacer, _simulate, run_server
from corridor.scenarios.east_aleppo import TIME_ZONE
import threading
db, port, speed, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rt = bootstrap(db, seed=seed, time_zone=TIME_ZONE)
worker = threading.Thread(target=_simulate, args=(rt, seed, _pacer(speed)), daemon=True, name="simulation")
run_server(rt, "127.0.0.1", port, worker)
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_demo(db: Path, people: int, seed: int) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "corridor", "demo", "--people", str(people), "--seed", str(seed),
                    "--no-serve", "--db", str(db)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def viewer_token(db: Path) -> str:
    from corridor.bootstrap import bootstrap
    from corridor.service import accounts

    rt = bootstrap(db)
    try:
        accounts.add_user(rt, "bench-viewer", role="coordinator", password=secrets.token_urlsafe(24), by="console:bench")
        return accounts.create_token(rt, "bench-viewer", device="bench", by="console:bench")["token"]
    finally:
        rt.db.dispose()


def start_server(db: Path, port: int, speed: float, seed: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(port), str(speed), str(seed)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not start within 120 s")


class Viewer(threading.Thread):
    """One open dashboard: a refresh every 3 s, the map and curves fetched again when the ledger's head moved."""

    def __init__(self, url: str, token: str, lang: str, until: float, offset: float):
        super().__init__(daemon=True)
        self.url, self.lang, self.until, self.offset = url, lang, until, offset
        self.client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        self.times: list[float] = []
        self.server: list[float] = []
        self.started: list[float] = []
        self.heads: set[str] = set()
        self.errors = 0

    def refresh(self, head: str | None) -> tuple[float, str | None]:
        started = time.perf_counter()
        answers = [self.client.get(f"/fragments/live?lang={self.lang}")]
        now = answers[0].headers.get("x-ledger-head")
        if now != head:
            answers += [self.client.get(f"/fragments/{part}") for part in ("map.json", "curves.json")]
        took = time.perf_counter() - started
        self.errors += sum(a.status_code != 200 for a in answers)
        self.server.append(sum(server_ms(a) for a in answers) / 1000)
        return took, now

    def run(self) -> None:
        time.sleep(self.offset)
        head = None
        while time.monotonic() < self.until:
            self.started.append(time.monotonic())
            took, head = self.refresh(head)
            self.times.append(took)
            self.heads.add(head or "")
            time.sleep(max(0.0, POLL_SECONDS - took))


def server_ms(answer: httpx.Response) -> float:
    """The time the dashboard's handler spent on an answer (its Server-Timing header), in ms."""
    timing = answer.headers.get("server-timing", "")
    return float(timing.split("dur=")[1]) if "dur=" in timing else 0.0


def abandoned_burst(url: str, token: str, n: int = 200) -> float:
    """`n` requests for the page given up after 50 ms (each on its own connection); seconds to send them."""
    started = time.monotonic()

    def one() -> None:
        try:
            httpx.get(f"{url}/?lang=ar", headers={"Authorization": f"Bearer {token}"}, timeout=0.05)
        except httpx.HTTPError:
            pass

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--viewers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=90.0, help="how long the viewers watch the simulation")
    ap.add_argument("--speed", type=float, default=60.0, help="simulated minutes per real second")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--from-db", type=Path, help="a copy of this demo database (from `corridor demo --no-serve "
                                                 "--db PATH`, with its corridor.key beside it) instead of a new one")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    header = record_header(seed=args.seed)

    with tempfile.TemporaryDirectory(prefix="corridor-dashboard-") as tmp:
        db = Path(tmp) / "demo.db"
        if args.from_db:
            import shutil

            started = time.monotonic()
            shutil.copyfile(args.from_db, db)
            shutil.copyfile(args.from_db.parent / "corridor.key", db.parent / "corridor.key")
            made = time.monotonic() - started
        else:
            made = make_demo(db, args.people, args.seed)
        token = viewer_token(db)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(db, port, args.speed, args.seed)
        try:
            first = time.perf_counter()
            httpx.get(f"{url}/fragments/live", headers={"Authorization": f"Bearer {token}"}, timeout=300)
            first_s = time.perf_counter() - first
            until = time.monotonic() + args.seconds
            viewers = [Viewer(url, token, "ar" if i % 2 else "en", until, i * POLL_SECONDS / args.viewers)
                       for i in range(args.viewers)]
            for v in viewers:
                v.start()
            time.sleep(args.seconds / 2)
            burst_from = time.monotonic()
            burst_s = abandoned_burst(url, token)
            burst_to = time.monotonic() + POLL_SECONDS
            after_burst = Viewer(url, token, "en", 0, 0).refresh(None)[0]
            for v in viewers:
                v.join()
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    times = [t for v in viewers for t in v.times]
    server = [t for v in viewers for t in v.server]
    steady = [t for v in viewers for t, at in zip(v.times, v.started) if not burst_from - 1 <= at <= burst_to]
    steady_server = [t for v in viewers for t, at in zip(v.server, v.started) if not burst_from - 1 <= at <= burst_to]
    heads = set().union(*(v.heads for v in viewers))
    figures = {
        "people": args.people, "viewers": args.viewers, "seconds": args.seconds, "speed": args.speed,
        "refreshes": len(times), "ledger_heads_seen": len(heads), "errors": sum(v.errors for v in viewers),
        "refresh_p50_ms": round(statistics.median(times) * 1000, 1), "refresh_p99_ms": round(pct(times, 0.99) * 1000, 1),
        "refresh_max_ms": round(max(times) * 1000, 1),
        "server_p50_ms": round(statistics.median(server) * 1000, 2), "server_p99_ms": round(pct(server, 0.99) * 1000, 2),
        "steady_refreshes": len(steady), "steady_p50_ms": round(statistics.median(steady) * 1000, 1),
        "steady_p99_ms": round(pct(steady, 0.99) * 1000, 1),
        "steady_server_p99_ms": round(pct(steady_server, 0.99) * 1000, 2),
        "first_picture_s": round(first_s, 2),
        "abandoned_burst_s": round(burst_s, 2), "refresh_after_burst_ms": round(after_burst * 1000, 1),
        "demo_made_s": round(made, 1),
    }
    print(header_line(header, "corridor dashboard benchmark"))
    rows = [("persons", f"{args.people:,}"), ("viewers (every 3 s)", args.viewers),
            ("simulation speed", f"{args.speed:g} simulated min/s"), ("refreshes measured", figures["refreshes"]),
            ("distinct ledger heads seen", figures["ledger_heads_seen"]), ("errors", figures["errors"]),
            ("refresh p50", f"{figures['refresh_p50_ms']} ms"), ("refresh p99", f"{figures['refresh_p99_ms']} ms"),
            ("refresh max", f"{figures['refresh_max_ms']} ms"),
            ("handler time per refresh p50 / p99", f"{figures['server_p50_ms']} / {figures['server_p99_ms']} ms"),
            ("outside the burst: refreshes", figures["steady_refreshes"]),
            ("outside the burst: p50 / p99", f"{figures['steady_p50_ms']} / {figures['steady_p99_ms']} ms"),
            ("outside the burst: handler p99", f"{figures['steady_server_p99_ms']} ms"), ("first picture (cold)", f"{figures['first_picture_s']} s"),
            ("200 abandoned requests sent in", f"{figures['abandoned_burst_s']} s"),
            ("next refresh after the burst", f"{figures['refresh_after_burst_ms']} ms")]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if args.json:
        print(json.dumps({**figures, **header}))


if __name__ == "__main__":
    main()
