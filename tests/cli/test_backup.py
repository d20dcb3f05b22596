"""Backups and restore: an online backup while a real server registers households, restored into a fresh path,
verified, with the same state hash; a backup that does not verify, or is not one, is refused and changes nothing."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from corridor.bootstrap import bootstrap
from corridor.cli import app
from corridor.scenarios import east_aleppo
from corridor.service import accounts as account_service
from corridor.store import backup as store_backup

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args, code=0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def state_hash_of(output: str) -> str:
    return re.search(r"state hash ([0-9a-f]{64})", output).group(1)


def events_of(output: str) -> int:
    return int(re.search(r"([\d,]+) events", output).group(1).replace(",", ""))


def fingerprint(path: Path) -> str | None:
    """The bytes of a database file and its logs, to show that nothing changed."""
    parts = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    if not parts[0].exists():
        return None
    return hashlib.sha256(b"".join(p.read_bytes() if p.exists() else b"-" for p in parts)).hexdigest()


# -- a server under load --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bearer(db: Path, role: str) -> dict[str, str]:
    rt = bootstrap(db)
    try:
        name = f"test-{role.replace('_', '-')}"
        account_service.add_user(rt, name, role=role, password=secrets.token_urlsafe(24), by="console:test")
        return {"Authorization": f"Bearer {account_service.create_token(rt, name, device='t', by='console:test')['token']}"}
    finally:
        rt.db.dispose()


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "live" / "corridor.db"
    db.parent.mkdir()
    auth = {role: bearer(db, role) for role in ("coordinator", "registrar")}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        spec = east_aleppo.setup_spec(buses=4, ambulances=1, later_buses=0)
        with httpx.Client(base_url=url, headers=auth["coordinator"], timeout=60) as c:
            assert c.post("/api/operation", json=spec["operation"]).status_code in (200, 201)
            for path, items in (("/api/sites", spec["sites"]), ("/api/legs", spec["legs"]),
                                ("/api/vehicles", spec["vehicles"])):
                for item in items:
                    assert c.post(path, json=item).status_code in (200, 201)
        yield db, url, auth
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Registrars:
    """Desks registering households in small batches, at once, until stopped; what the server acknowledged."""

    def __init__(self, url: str, auth: dict[str, str], desks: int = 3, batch: int = 5):
        self.households = east_aleppo.population(8000, seed=13).households
        self.url, self.auth, self.batch = url, auth, batch
        self.acknowledged: list[str] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.desk, args=(d, desks)) for d in range(desks)]

    def desk(self, number: int, desks: int) -> None:
        """Until stopped (the population's households again under new command ids once all are sent: a slow
        backup on a busy machine must not outlast the work); any failure is kept in `errors`."""
        try:
            with httpx.Client(base_url=self.url, headers=self.auth, timeout=60) as c:
                for start in itertools.count(number * self.batch, desks * self.batch):
                    if self.stop.is_set():
                        return
                    ids = [f"desk{number}:{start + j}" for j in range(self.batch)]
                    households = (self.households[(start + j) % len(self.households)] for j in range(self.batch))
                    items = [{**h, "command_id": cid, "at": "2016-12-14T17:00:00+02:00"}
                             for cid, h in zip(ids, households)]
                    r = c.post("/api/households/batch", json={"households": items})
                    if r.status_code not in (200, 201):
                        self.errors.append(f"{r.status_code} {r.text[:300]}")
                        return
                    with self.lock:
                        self.acknowledged.extend(ids)
        except Exception as e:  # noqa: BLE001 -- a desk that fails says so instead of dying silently
            self.errors.append(f"desk {number}: {type(e).__name__}: {e}")

    def busy(self) -> bool:
        return not self.errors and any(t.is_alive() for t in self.threads)

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corridor", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_a_backup_taken_under_load_restores_to_the_same_state(server, tmp_path):
    db, url, auth = server
    out = tmp_path / "backups" / "corridor-backup.db"
    out.parent.mkdir()
    with Registrars(url, auth["registrar"]) as desks:
        while desks.count() < 60 and desks.busy():
            time.sleep(0.05)
        before = list(desks.acknowledged)
        made = cli("backup", str(out), "--db", str(db))
        during = desks.count()
        while desks.count() < during + 30 and desks.busy():  # the server kept registering after the copy
            time.sleep(0.05)
    assert not desks.errors, desks.errors[0]
    assert made.returncode == 0, made.stderr
    assert len(before) >= 60 and desks.count() > during, "the backup was not taken under load"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    backup_hash, backup_events = state_hash_of(made.stdout), events_of(made.stdout)
    assert "master key of id" in made.stdout

    # the copy is one moment of the live database: everything acknowledged before it began, a verified chain
    with sqlite3.connect(out) as con:
        in_backup = {row[0] for row in con.execute("SELECT command_id FROM ledger")}
    assert set(before) <= in_backup
    # ... and exactly the live ledger's first events: the live chain passes through the backup's head
    with sqlite3.connect(out) as con:
        head = con.execute("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT hash FROM ledger WHERE seq = ?", (head[0],)).fetchone() == (head[1],)
        assert con.execute("SELECT max(seq) FROM ledger").fetchone()[0] > head[0]  # and it moved on

    fresh = tmp_path / "elsewhere" / "restored.db"
    restored = cli("restore", str(out), "--db", str(fresh))
    assert restored.returncode == 0, restored.stderr
    assert state_hash_of(restored.stdout) == backup_hash and events_of(restored.stdout) == backup_events
    assert "no master key" in restored.stderr  # the key is not in the backup: the operator is told
    shutil.copy(db.parent / "corridor.key", fresh.parent / "corridor.key")
    verified = cli("verify", "--db", str(fresh))
    assert verified.returncode == 0 and f"{backup_events:,} events" in verified.stdout, verified.stderr
    # the views of the copy are exactly those its ledger builds, and its names open with the key
    assert cli("rebuild", "--db", str(fresh)).returncode == 0
    again = cli("state-hash", "--db", str(fresh))
    assert again.returncode == 0 and state_hash_of(again.stdout) == backup_hash, again.stderr
    # the live database moved on: its state is another
    live = cli("state-hash", "--db", str(db))
    assert live.returncode == 0 and state_hash_of(live.stdout) != backup_hash


# -- refusals: one line, exit 1, nothing changed ---------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A small operation and its backup."""
    folder = tmp_path_factory.mktemp("backup")
    db = folder / "src.db"
    run("demo", "--people", "30", "--no-serve", "--db", db)
    out = folder / "copy.db"
    made = run("backup", out, "--db", db)
    return db, out, state_hash_of(made.stdout)


def refused(*args) -> str:
    result = run(*args, code=1)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("refused:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_the_state_hash_of_a_backup_is_the_source_s_and_needs_no_key(demo, tmp_path):
    db, out, digest = demo
    assert state_hash_of(run("state-hash", "--db", db).output) == digest
    target = tmp_path / "nokey" / "r.db"
    result = run("restore", out, "--db", target)
    assert state_hash_of(result.output) == digest


def test_restore_over_a_database_that_is_not_empty_needs_force(demo, tmp_path):
    db, out, digest = demo
    other = tmp_path / "other.db"
    run("demo", "--people", "10", "--no-serve", "--db", other)
    assert not Path(f"{other}-wal").exists()  # the command closed its connections as it ended (cli/common.runtime)
    before = fingerprint(other)
    line = refused("restore", out, "--db", other)
    assert "not empty" in line and "--force" in line
    assert fingerprint(other) == before
    result = run("restore", out, "--db", other, "--force")
    assert state_hash_of(result.output) == digest
    assert not Path(f"{other}-wal").exists()  # the old database's log is gone with it
    assert state_hash_of(run("state-hash", "--db", other).output) == digest


def tamperer(path: Path) -> sqlite3.Connection:
    """A plain connection with the ledger's append-only triggers dropped: what a tamperer would do."""
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER ledger_no_update")
    con.execute("DROP TRIGGER ledger_no_delete")
    return con


def tamper(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    with tamperer(target) as con:
        con.execute("UPDATE ledger SET payload = replace(payload, 'a', 'b') WHERE seq = 5")
    return target


@pytest.mark.parametrize("case", ["missing", "text", "other-sqlite", "tampered", "cut", "unguarded"])
def test_a_bad_backup_is_refused_and_changes_nothing(demo, tmp_path, case):
    db, out, _ = demo
    target = tmp_path / "target.db"
    shutil.copy(out, target)  # an existing database: --force, so that only the backup can be refused
    before = fingerprint(target)
    if case == "missing":
        bad, expected = tmp_path / "nothing.db", "no such file"
    elif case == "text":
        bad = tmp_path / "notes.txt"
        bad.write_text("not a database\n")
        bad, expected = bad, "not a corridor backup (not a SQLite database)"
    elif case == "other-sqlite":
        bad = tmp_path / "other.sqlite"
        with sqlite3.connect(bad) as con:
            con.execute("CREATE TABLE t (x)")
        expected = "not a corridor backup (it has no ledger)"
    elif case == "tampered":
        bad, expected = tamper(out, tmp_path / "tampered.db"), "does not verify at event 5"
    elif case == "cut":
        bad = tmp_path / "cut.db"
        shutil.copy(out, bad)
        with tamperer(bad) as con:
            con.execute("DELETE FROM ledger WHERE seq = (SELECT max(seq) FROM ledger)")
        expected = "events were cut from the end"
    elif case == "unguarded":  # the chain still holds, but anyone could now rewrite it
        bad = tmp_path / "unguarded.db"
        shutil.copy(out, bad)
        tamperer(bad).close()
        expected = "lost the triggers that keep its records append-only (ledger_no_update, ledger_no_delete)"
    bad_before = fingerprint(bad)
    line = refused("restore", bad, "--db", target, "--force")
    assert expected in line
    assert fingerprint(target) == before and fingerprint(bad) == bad_before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    fresh = tmp_path / "fresh" / "never.db"
    refused("restore", bad, "--db", fresh)
    assert not fresh.exists()


def test_a_backup_never_overwrites_and_needs_a_corridor_database(demo, tmp_path):
    db, out, _ = demo
    before = fingerprint(out)
    assert "exists" in refused("backup", out, "--db", db)
    assert fingerprint(out) == before
    assert "no such database file" in refused("backup", tmp_path / "b.db", "--db", tmp_path / "none.db")
    plain = tmp_path / "plain.sqlite"
    with sqlite3.connect(plain) as con:
        con.execute("CREATE TABLE t (x)")
    assert "not a corridor database" in refused("backup", tmp_path / "b.db", "--db", plain)
    assert "not a folder" in refused("backup", tmp_path / "no" / "b.db", "--db", db)
    assert not (tmp_path / "b.db").exists()


def test_a_backup_of_a_ledger_that_does_not_verify_is_refused(demo, tmp_path):
    db, out, _ = demo
    broken = tamper(out, tmp_path / "broken.db")
    assert "does not verify at event 5" in refused("backup", tmp_path / "b.db", "--db", broken)
    assert not (tmp_path / "b.db").exists()
    assert "does not verify at event 5" in refused("state-hash", "--db", broken)


def test_postgresql_is_dumped_with_the_tools_in_the_snapshot_of_the_check(monkeypatch, tmp_path):
    """The dispatch for PostgreSQL (the server itself is tested where one runs): pg_dump in the verified
    snapshot, the password in the environment only, pg_restore in one transaction; no tools, one clear line."""
    url = "postgresql+psycopg://team:s3cret@db.example:5433/corridor"
    command, env = store_backup.dump_command(url, tmp_path / "x.dump", "00000003-1")
    assert Path(command[0]).name == "pg_dump" and "--snapshot=00000003-1" in command
    assert "--format=custom" in command and command[command.index("--port") + 1] == "5433"
    assert not any("s3cret" in part for part in command) and env["PGPASSWORD"] == "s3cret"
    command, env = store_backup.restore_command(url, tmp_path / "x.dump")
    assert Path(command[0]).name == "pg_restore" and "--single-transaction" in command
    assert command[command.index("--dbname") + 1] == "corridor" and command[-1] == str(tmp_path / "x.dump")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(store_backup.BackupRefused, match="pg_dump is not installed"):
        store_backup.dump_command(url, tmp_path / "x.dump", "s")
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
