"""A team's corridor: two server processes on one PostgreSQL database, registering at the same moment.

Every batch of households is sent to both servers at once with the same command ids (a desk that resends to the
other server after a timeout does exactly this): both answer, with the same event numbers; the ledger holds each
command once, in one chain that `corridor verify` accepts. Writers take the database's writer lock
(store/db.py), so the two processes append one after the other and never fork the chain."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from corridor.bootstrap import bootstrap
from corridor.scenarios import east_aleppo
from corridor.service import setup
from tests.conftest import make_role_accounts
from tests import postgresql

# PostgreSQL's own: run in the suite's PostgreSQL pass (`make test` runs both), not started for the SQLite one
pytestmark = pytest.mark.skipif(not postgresql.selected(), reason="PostgreSQL's own test: the PostgreSQL pass runs it")

ROOT = Path(__file__).resolve().parents[2]
AT = "2016-12-14T17:00:00+02:00"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(url: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--db", url, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    return proc, f"http://127.0.0.1:{port}"


def wait_until_up(proc: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


def team_database(pg_server, prefix: str) -> tuple[str, str, bytes, dict[str, str]]:
    """A new database on the tests' PostgreSQL server with a small operation and one account per role:
    (its name, its URL, its master key, a bearer token per role)."""
    name = pg_server.create(prefix=prefix)
    url = pg_server.url(name)
    key = secrets.token_bytes(32)
    rt = bootstrap(url, key=key, seed=7)
    try:
        setup.load_setup(rt, east_aleppo.setup_spec(buses=4, ambulances=1, later_buses=0))
        return name, url, key, make_role_accounts(rt)
    finally:
        rt.db.dispose()


@pytest.fixture
def two_servers(pg_server):
    """A migrated PostgreSQL database with an operation and accounts, served by two processes."""
    name, url, key, tokens = team_database(pg_server, "team")
    env = {**os.environ, "CORRIDOR_KEY": base64.b64encode(key).decode()}
    procs = [start(url, env) for _ in range(2)]
    try:
        for proc, base in procs:
            wait_until_up(proc, base)
        yield url, env, [base for _, base in procs], {"Authorization": f"Bearer {tokens['registrar']}"}
    finally:
        for proc, _ in procs:
            proc.terminate()
        for proc, _ in procs:
            proc.wait(timeout=30)
        pg_server.drop(name)


@pytest.mark.slow
def test_two_servers_on_one_database_keep_one_verifiable_chain(two_servers):
    url, env, bases, auth = two_servers
    households = east_aleppo.population(2000, seed=13).households
    desks, batch, rounds = 3, 4, 8
    answers: dict[str, list[int]] = {}  # command id -> the event number each server answered
    errors: list[str] = []
    lock = threading.Lock()

    def desk(number: int, server: int, barrier: threading.Barrier) -> None:
        with httpx.Client(base_url=bases[server], headers=auth, timeout=120) as c:
            for r in range(rounds):
                start_at = (number * rounds + r) * batch
                ids = [f"desk{number}:{start_at + j}" for j in range(batch)]
                items = [{**h, "command_id": cid, "at": AT} for cid, h in zip(ids, households[start_at:start_at + batch])]
                barrier.wait()  # the same batch leaves for both servers at the same moment
                response = c.post("/api/households/batch", json={"households": items})
                with lock:
                    if response.status_code not in (200, 201):
                        errors.append(f"server {server}: {response.status_code} {response.text[:300]}")
                        continue
                    for cid, receipt in zip(ids, response.json()["receipts"]):
                        answers.setdefault(cid, []).append(receipt["seq"])

    barriers = [threading.Barrier(2) for _ in range(desks)]
    threads = [threading.Thread(target=desk, args=(d, s, barriers[d])) for d in range(desks) for s in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors[:3]
    assert len(answers) == desks * rounds * batch
    # both servers answered every command, with the same event: one recorded it, the other replayed it
    assert all(len(seqs) == 2 and seqs[0] == seqs[1] for seqs in answers.values()), \
        {cid: seqs for cid, seqs in answers.items() if len(set(seqs)) != 1 or len(seqs) != 2}

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count, distinct, last = conn.execute(text(
                "SELECT count(*), count(DISTINCT command_id), max(seq) FROM ledger")).one()
            recorded = {row[0]: row[1] for row in conn.execute(text(
                "SELECT command_id, seq FROM ledger WHERE command_id LIKE 'desk%'"))}
            households_in_view = conn.execute(text("SELECT count(*) FROM households")).scalar()
    finally:
        engine.dispose()
    assert count == distinct == last, "the ledger holds a command twice or has a gap"
    assert recorded == {cid: seqs[0] for cid, seqs in answers.items()}
    assert households_in_view == desks * rounds * batch

    verified = subprocess.run([sys.executable, "-m", "corridor", "verify", "--db", url], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{count:,} events" in verified.stdout
