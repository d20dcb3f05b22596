"""Benchmark of the spine through the HTTP API of a real server on 127.0.0.1.

Times registering the demo population (100,000 persons by default), planning
them, and boarding scans sent by 4, 16 and 50 boarding desks at once (10,000 scans
each, each desk one scan at a time); every command is committed durably (SQLite WAL,
synchronous=FULL; or PostgreSQL with fsync and synchronous_commit on) before it is
answered. Beside scans/s and latency it reports the server's CPU time per scan (its
processes' user + system time over the scans), which other work on the machine
disturbs much less than the wall-clock figures, and the desks' own CPU per scan: they
share the machine with the server, so they are lean (a few processes of plain
keep-alive `http.client` connections), and each scan's latency is what its desk saw,
from sending the request to reading the whole answer.

    uv run python benchmarks/spine.py                          # a table
    uv run python benchmarks/spine.py --json                   # ... and one JSON object on the last line
    uv run python benchmarks/spine.py --database postgresql    # on a throw-away PostgreSQL server of its own
    uv run python benchmarks/spine.py --workers 2              # two server processes on the one database
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import socket
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

from common import header_line, record_header  # noqa: E402  (benchmarks/common.py)
from corridor.scenarios import east_aleppo  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`corridor serve` in its own process, on a fresh database."""

    def __init__(self, db: Path | str, port: int | None = None, startup_s: float = 60, workers: int = 1):
        self.port = port or free_port()
        self.startup_s = startup_s
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "corridor", "serve", "--db", str(db), "--port", str(self.port),
             *(["--workers", str(workers)] if workers > 1 else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + self.startup_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start within {self.startup_s:g} s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)

    def cpu_s(self) -> float:
        """The server's CPU time so far (user + system of its process and of its worker processes), from /proc."""
        return sum(_cpu_s(pid) for pid in (self.proc.pid, *_children(self.proc.pid)))


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rpartition(")")[2].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(c) for c in f.read().split()]
    except FileNotFoundError:
        return []


@contextlib.contextmanager
def postgresql_database(port_range: tuple[int, int] = (5440, 5449)):
    """A throw-away PostgreSQL server on 127.0.0.1 (Debian's, started as the tests start theirs: tests/pg_ctl),
    durable as a team's would be (fsync, synchronous_commit and full_page_writes on); the URL of a fresh database."""
    import pwd
    import shutil

    import port_for
    from pytest_postgresql.executors import PostgreSQLExecutor
    from pytest_postgresql.janitor import DatabaseJanitor

    folder = Path(tempfile.mkdtemp(prefix="corridor-bench-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: tests/pg_ctl runs it as `postgres`
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    port = port_for.get_port(port_range)
    executor = PostgreSQLExecutor(
        executable=str(ROOT / "tests" / "pg_ctl"), host="127.0.0.1", port=port, datadir=str(folder / "data"),
        unixsocketdir=str(folder), logfile=str(folder / "server.log"), startparams="-w", dbname="postgres",
        user="postgres", postgres_options="-c max_connections=300 -c shared_buffers=256MB", timeout=120)
    executor.start()
    try:
        DatabaseJanitor(user="postgres", host="127.0.0.1", port=port, dbname="bench").init()
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    finally:
        try:
            executor.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def post(client: httpx.Client, path: str, body=None, **kw) -> dict:
    r = client.post(path, json=body, **kw)
    if r.status_code not in (200, 201):
        raise RuntimeError(f"{path}: {r.status_code} {r.text[:500]}")
    return r.json()


def accounts(db: Path | str) -> dict[str, dict[str, str]]:
    """One account per role the benchmark acts as, made on the operator's console; their bearer headers."""
    import secrets

    from corridor.bootstrap import bootstrap
    from corridor.service import accounts as service

    rt = bootstrap(db)
    try:
        headers = {}
        for role in ("coordinator", "registrar", "boarding_marshal"):
            name = f"bench-{role.replace('_', '-')}"
            service.add_user(rt, name, role=role, password=secrets.token_urlsafe(24), by="console:bench")
            token = service.create_token(rt, name, device="bench", by="console:bench")["token"]
            headers[role] = {"Authorization": f"Bearer {token}"}
        return headers
    finally:
        rt.db.dispose()


def set_up(client: httpx.Client) -> None:
    spec = east_aleppo.setup_spec()
    post(client, "/api/operation", spec["operation"])
    for path, items in (("/api/sites", spec["sites"]), ("/api/legs", spec["legs"]),
                        ("/api/vehicles", spec["vehicles"])):
        for item in items:
            post(client, path, item)


def register(client: httpx.Client, households: list[dict], batch: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(households), batch):
        items = [{**h, "command_id": f"bench:{i + j}", "at": "2016-12-14T17:00:00+02:00"}
                 for j, h in enumerate(households[i:i + batch])]
        post(client, "/api/households/batch", {"households": items})
    return time.perf_counter() - started


def _desks(host: str, port: int, chunks: list[list[tuple[str, str]]], auth: dict[str, str], ready, go, out) -> None:
    """One client process: a thread per desk, each with its own keep-alive connection, one scan at a time.
    Sends (latencies in ms, errors, this process's CPU seconds over the scans) to `out`."""
    latencies: list[list[float]] = [[] for _ in chunks]
    errors: list[str] = []

    def desk(items, mine):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        headers = {**auth, "Content-Type": "application/json", "X-Device": "desk"}
        go.wait()
        for trip, token in items:
            body = b'{"tokens":["' + token.encode() + b'"]}'
            t0 = time.perf_counter()
            conn.request("POST", f"/api/trips/{trip}/board", body, {**headers, "Idempotency-Key": f"scan:{token}"})
            r = conn.getresponse()
            text = r.read()
            mine.append((time.perf_counter() - t0) * 1000)
            if r.status != 201:
                errors.append(f"{trip} {token}: {r.status} {text[:200]!r}")
                return
        conn.close()

    threads = [threading.Thread(target=desk, args=(chunk, mine)) for chunk, mine in zip(chunks, latencies)]
    for t in threads:
        t.start()
    ready.release()
    go.wait()
    cpu0 = time.process_time()
    for t in threads:
        t.join()
    out.send(([x for mine in latencies for x in mine], errors, time.process_time() - cpu0))
    out.close()


def scans(url: str, work: list[tuple[str, str]], clients: int, auth: dict[str, str],
          processes: int = 4) -> tuple[float, list[float], float]:
    """Each desk boards one person per request onto their planned trip; returns (seconds, latencies in ms, the
    desks' CPU seconds). The desks are spread over a few client processes, so the client's own interpreter lock
    does not add to the latency it measures."""
    host, port = url.removeprefix("http://").split(":")
    chunks = [work[i::clients] for i in range(clients)]
    processes = max(1, min(processes, clients))
    context = multiprocessing.get_context("fork")
    ready, go = context.Semaphore(0), context.Event()
    pipes, procs = [], []
    for n in range(processes):
        receive, send = context.Pipe(duplex=False)
        proc = context.Process(target=_desks, args=(host, int(port), chunks[n::processes], auth, ready, go, send))
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    for _ in procs:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    results = [pipe.recv() for pipe in pipes]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    errors = [e for _, errs, _ in results for e in errs]
    if errors:
        raise RuntimeError(errors[0])
    return elapsed, [x for lat, _, _ in results for x in lat], sum(cpu for _, _, cpu in results)


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def scan_runs(server: Server, work: list[tuple[str, str]], clients: list[int], per_run: int,
              auth: dict[str, str]) -> list[dict]:
    """One run per number of desks, each on its own persons: scans/s, latency, server CPU ms per scan."""
    runs = []
    for n, count in enumerate(clients):
        mine = work[n * per_run:(n + 1) * per_run]
        cpu0 = server.cpu_s()
        seconds, lat, client_cpu = scans(server.url, mine, count, auth)
        cpu = server.cpu_s() - cpu0
        runs.append({"clients": count, "scans": len(lat), "scans_per_s": round(len(lat) / seconds, 1),
                     "scan_p50_ms": round(statistics.median(lat), 2), "scan_p99_ms": round(p(lat, 0.99), 2),
                     "cpu_ms_per_scan": round(cpu * 1000 / len(lat), 2),
                     "client_cpu_ms_per_scan": round(client_cpu * 1000 / len(lat), 2), "seconds": round(seconds, 2)})
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--scans", type=int, default=10_000, help="scans in each run")
    ap.add_argument("--clients", default="4,16,50", help="boarding desks scanning at once, one run for each")
    ap.add_argument("--batch", type=int, default=1000, help="households per registration request")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--database", default="sqlite",
                    help="sqlite (a file, WAL, synchronous=FULL), postgresql (a durable throw-away server started "
                         "on 127.0.0.1, ports 5440-5449), or a database URL")
    ap.add_argument("--workers", type=int, default=1, help="server processes on the one database")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        if args.database == "sqlite":
            database, label = None, "SQLite WAL synchronous=FULL"
        elif args.database in ("postgresql", "postgres", "pg"):
            database, label = stack.enter_context(postgresql_database()), "PostgreSQL fsync=on synchronous_commit=on"
        else:
            database, label = args.database, args.database.split("://")[0]
        run(args, database, label)


def run(args, database: str | None, label: str) -> None:
    """Register, plan and scan on `database` (None: a fresh SQLite file); print the table (and the JSON)."""
    header = record_header(args.seed)  # before the run: the code and machine the figures are of
    pop = east_aleppo.population(args.people, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = database or Path(tmp) / "bench.db"
        if database is not None:  # a database by URL keeps its master key where $CORRIDOR_KEY_FILE says
            os.environ["CORRIDOR_KEY_FILE"] = str(Path(tmp) / "corridor.key")
        auth = accounts(db)
        with Server(db, workers=args.workers) as server:
            with httpx.Client(base_url=server.url, timeout=600, headers=auth["coordinator"]) as coordinator, \
                    httpx.Client(base_url=server.url, timeout=600, headers=auth["registrar"]) as registrar:
                set_up(coordinator)
                register_s = register(registrar, pop.households, args.batch)
                t0 = time.perf_counter()
                plan = post(coordinator, "/api/plan", {"at": east_aleppo.START.isoformat()})["data"]
                plan_s = time.perf_counter() - t0
            work = [(t["id"], p_) for t in plan["trips"] for p_ in t["persons"]]
            clients = [int(c) for c in args.clients.split(",")]
            if len(work) < len(clients) * args.scans:
                raise SystemExit(f"{len(work):,} persons planned: too few for {len(clients)} runs of {args.scans:,} scans")
            runs = scan_runs(server, work, clients, args.scans, auth["boarding_marshal"])
            with httpx.Client(base_url=server.url, timeout=600, headers=auth["coordinator"]) as client:
                ok = client.get("/api/verify").json()["ok"]

    most = max(runs, key=lambda r: r["clients"])  # the top-level scan figures: the run with the most desks
    result = {
        "register_100k_s": round(register_s, 2), "plan_100k_s": round(plan_s, 2),
        "scans_per_s": most["scans_per_s"], "scan_p50_ms": most["scan_p50_ms"], "scan_p99_ms": most["scan_p99_ms"],
        "scan_cpu_ms": most["cpu_ms_per_scan"], "database": label, "workers": args.workers, "persons": pop.persons, "households": len(pop.households),
        "trips": len(plan["trips"]), "scans": most["scans"], "clients": most["clients"], "scan_runs": runs,
        "ledger_verified": ok, **header,
    }
    rows = [
        (f"register {pop.persons:,} persons ({len(pop.households):,} households, batches of {args.batch})",
         f"{register_s:.1f} s", f"{pop.persons / register_s:,.0f} persons/s"),
        (f"plan them ({len(plan['trips']):,} trips)", f"{plan_s:.2f} s", ""),
        ("ledger verified afterwards", str(ok), ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(header_line(header, f"corridor spine benchmark ({label}, {args.workers} server process(es))"))
    for what, a, b in rows:
        print(f"  {what:<{width}}  {a:>10}  {b}")
    print(f"  {'boarding desks':>14}  {'scans':>7}  {'scans/s':>8}  {'p50 ms':>8}  {'p99 ms':>8}  "
          f"{'server CPU ms/scan':>18}  {'desks CPU ms/scan':>17}")
    for r in runs:
        print(f"  {r['clients']:>14}  {r['scans']:>7,}  {r['scans_per_s']:>8,.1f}  {r['scan_p50_ms']:>8.2f}  "
              f"{r['scan_p99_ms']:>8.2f}  {r['cpu_ms_per_scan']:>18.2f}  {r['client_cpu_ms_per_scan']:>17.2f}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
