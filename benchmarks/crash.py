"""Crash test of a real server under concurrent boarding scanners: killed with SIGKILL at random moments.

A server (`corridor serve`, its own process on 127.0.0.1, SQLite synchronous=FULL) takes boarding scans from many
desks at once, each scan under its own Idempotency-Key. At a random moment it is killed with SIGKILL and started
again; every scan that got no answer is resent with its key, and every scan that was acknowledged is resent too.
One kill falls in the middle of such a resend phase. At the end:

- every acknowledged scan is in the ledger exactly once, at the event number its answer gave;
- every resend of an acknowledged scan was answered as a replay (200, Idempotent-Replayed) of that event;
- every scan sent is in the ledger exactly once (the unanswered ones were resent until answered);
- `corridor verify` passes.

    uv run python benchmarks/crash.py                 # 20 kills, 50 scanners: a table
    uv run python benchmarks/crash.py --json          # ... and one JSON object on the last line
    uv run python benchmarks/crash.py --kills 3 --scanners 8 --people 400    # the test suite's short run
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402  (benchmarks/common.py)
from spine import Server, accounts, post, register, set_up  # noqa: E402  (benchmarks/spine.py)

KEY = "crash:"  # the Idempotency-Key of a scan: this prefix and the person's token
STARTUP_S = 300  # a restart may take long on a busy machine: waiting is not a failure


@dataclass
class Ledger:
    """What the desks know: the scans acknowledged (key -> event number) and those sent without an answer."""

    acknowledged: dict[str, int] = field(default_factory=dict)
    unanswered: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (trip, token)
    replays_checked: int = 0
    refused: list[str] = field(default_factory=list)  # answers that are neither a record nor a replay
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, key: str, trip: str, token: str, response: httpx.Response, *, resend_of_ack: bool) -> None:
        with self.lock:
            if response.status_code not in (200, 201):
                self.refused.append(f"{key}: {response.status_code} {response.text[:200]}")
                return
            seq = response.json()["seq"]
            replayed = response.status_code == 200 and response.headers.get("idempotent-replayed") == "true"
            if key in self.acknowledged:
                self.replays_checked += 1
                if not replayed or seq != self.acknowledged[key]:
                    self.refused.append(f"{key}: acknowledged as event {self.acknowledged[key]}, resent it "
                                        f"answered {response.status_code} event {seq} replayed={replayed}")
                return
            if resend_of_ack:
                self.refused.append(f"{key}: resent as acknowledged but not acknowledged before")
            self.acknowledged[key] = seq
            self.unanswered.pop(key, None)


def start(db: Path, port: int) -> Server:
    """`corridor serve` on the database, answering on `port` (the same one after every restart)."""
    return Server(db, port, startup_s=STARTUP_S).__enter__()


def kill(server: Server) -> None:
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=30)


def send(url: str, auth: dict, items: list[tuple[str, str, str]], book: Ledger, stop: threading.Event,
         *, resend_of_ack: bool = False) -> None:
    """One desk: its scans one at a time, until done or the server is gone (what is in flight stays unanswered)."""
    with httpx.Client(base_url=url, timeout=30, headers=auth) as client:
        for key, trip, token in items:
            if stop.is_set():
                return
            try:
                r = client.post(f"/api/trips/{trip}/board", json={"tokens": [token]},
                                headers={"Idempotency-Key": key, "X-Device": "crash-desk"})
            except httpx.TransportError:
                return  # killed: this scan has no answer; it is resent after the restart
            book.answered(key, trip, token, r, resend_of_ack=resend_of_ack)


def phase(url: str, auth: dict, work: list[tuple[str, str, str]], scanners: int, book: Ledger,
          kill_after: float | None, server: Server, **kw) -> bool:
    """Scanners send `work` at once; when `kill_after` is given the server is killed that many seconds in.
    True when the server was killed."""
    stop = threading.Event()
    threads = [threading.Thread(target=send, args=(url, auth, work[i::scanners], book, stop), kwargs=kw)
               for i in range(scanners)]
    for t in threads:
        t.start()
    killed = False
    if kill_after is not None:
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline and any(t.is_alive() for t in threads):
            time.sleep(0.005)
        if any(t.is_alive() for t in threads):
            kill(server)
            killed = True
    for t in threads:
        t.join()
    return killed


def resend_all(book: Ledger) -> list[tuple[str, str, str]]:
    """The scans sent without an answer so far, to be sent again with their keys."""
    with book.lock:
        return [(k, trip, token) for k, (trip, token) in book.unanswered.items()]


def run(*, kills: int, scanners: int, people: int, seed: int, port: int | None = None,
        progress=lambda _line: None) -> dict:
    """The whole crash test in a temporary folder; its figures and findings (`ok` says whether all held)."""
    from spine import free_port

    from corridor.scenarios import east_aleppo

    rng = random.Random(seed)
    port = port or free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crash.db"
        auth = accounts(db)
        pop = east_aleppo.population(people, seed)
        server = start(db, port)
        with httpx.Client(base_url=server.url, timeout=600, headers=auth["coordinator"]) as c, \
                httpx.Client(base_url=server.url, timeout=600, headers=auth["registrar"]) as r:
            set_up(c)
            register(r, pop.households, 500)
            plan = post(c, "/api/plan", {"at": east_aleppo.START.isoformat()})["data"]
        work = [(f"{KEY}{p}", t["id"], p) for t in plan["trips"] for p in t["persons"]]
        rng.shuffle(work)
        rounds = max(1, kills - 1)  # each round killed at a random moment; one more kill during a resend phase
        per_round = -(-len(work) // rounds)
        book, marshal = Ledger(), auth["boarding_marshal"]
        started = time.perf_counter()
        killed = restarts = 0
        during_resend = rounds // 2  # the round whose resend phase is killed
        for n in range(rounds):
            mine = work[n * per_round:(n + 1) * per_round]
            with book.lock:  # sent or about to be: unanswered until an answer comes
                book.unanswered.update({k: (t, p) for k, t, p in mine})
            if not phase(server.url, marshal, mine, scanners, book, rng.uniform(0.2, 1.5), server):
                kill(server)  # every scan of the round was answered before the moment drawn: killed now
            killed += 1
            server, restarts = start(db, port), restarts + 1
            if n == during_resend and kills > 1:
                # killed again in the middle of the resends: at least one resend is in flight when it dies
                if not phase(server.url, marshal, resend_all(book), scanners, book, rng.uniform(0.05, 0.3), server):
                    kill(server)
                killed += 1
                server, restarts = start(db, port), restarts + 1
            phase(server.url, marshal, resend_all(book), scanners, book, None, server)
            progress(f"round {n + 1}/{rounds}: {len(book.acknowledged):,} of {len(work):,} acknowledged, "
                     f"{killed} kills")
        # every acknowledged scan resent once more: each must be answered as a replay of its event
        by_key = {k: (t, p) for k, t, p in work}
        acked = [(k, *by_key[k]) for k in book.acknowledged]
        phase(server.url, marshal, acked, scanners, book, None, server, resend_of_ack=True)
        seconds = time.perf_counter() - started
        server.proc.terminate()
        server.proc.wait(timeout=30)
        verified = subprocess.run([sys.executable, "-m", "corridor", "verify", "--db", str(db)], cwd=ROOT,
                                  capture_output=True, text=True)
        in_ledger = _ledger_keys(db)
    sent = {k for k, _, _ in work}
    lost = [k for k, seq in book.acknowledged.items() if in_ledger.get(k, [None]) != [seq]]
    doubled = [k for k, seqs in in_ledger.items() if len(seqs) > 1]
    missing = sorted(sent - set(in_ledger))
    result = {
        "kills": killed, "restarts": restarts, "scanners": scanners, "scans": len(work),
        "acknowledged": len(book.acknowledged), "replays_checked": book.replays_checked,
        "lost": len(lost), "doubled": len(doubled), "missing": len(missing), "bad_answers": len(book.refused),
        "verify_exit": verified.returncode, "seconds": round(seconds, 1),
    }
    result["ok"] = (not lost and not doubled and not missing and not book.refused and verified.returncode == 0
                    and result["acknowledged"] == len(work))
    result["findings"] = (lost[:5] + doubled[:5] + missing[:5] + book.refused[:5]
                          + ([verified.stdout + verified.stderr] if verified.returncode else []))
    return result


def _ledger_keys(db: Path) -> dict[str, list[int]]:
    """The crash test's scans in the ledger: key -> the event numbers recorded under it."""
    from sqlalchemy import select

    from corridor.store.db import open_database
    from corridor.store.tables import ledger

    database = open_database(db)
    try:
        with database.reader.connect() as conn:
            rows = conn.execute(select(ledger.c.command_id, ledger.c.seq)
                                .where(ledger.c.command_id.like(f"{KEY}%"))).all()
    finally:
        database.dispose()
    found: dict[str, list[int]] = {}
    for key, seq in rows:
        found.setdefault(key, []).append(seq)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--scanners", type=int, default=50, help="boarding desks scanning at once")
    ap.add_argument("--people", type=int, default=5000, help="persons registered and planned (one scan each)")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--port", type=int, default=None, help="the server's port (default: a free one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    header = record_header(args.seed)
    result = run(kills=args.kills, scanners=args.scanners, people=args.people, seed=args.seed, port=args.port,
                 progress=lambda line: print(f"  … {line}", file=sys.stderr))
    print(header_line(header, "corridor crash test (SIGKILL under concurrent boarding scans, SQLite synchronous=FULL)"))
    rows = [("kills (SIGKILL), one during a resend phase", result["kills"]), ("restarts after a kill", result["restarts"]),
            ("scanners at once", result["scanners"]), ("scans sent", result["scans"]),
            ("acknowledged", result["acknowledged"]), ("resends of acknowledged scans answered as replays",
                                                       result["replays_checked"]),
            ("acknowledged and lost", result["lost"]), ("recorded twice", result["doubled"]),
            ("sent and never recorded", result["missing"]), ("wrong answers", result["bad_answers"]),
            ("corridor verify exit code", result["verify_exit"]), ("seconds", result["seconds"]),
            ("all held", result["ok"])]
    width = max(len(r[0]) for r in rows)
    for what, value in rows:
        print(f"  {what:<{width}}  {value}")
    for finding in result["findings"]:
        print(f"  ! {finding}")
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "findings"} | header))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
