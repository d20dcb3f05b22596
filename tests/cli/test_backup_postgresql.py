"""`corridor backup` / `restore` / `state-hash` on PostgreSQL (pg_dump, pg_restore), on the tests' own server.

A backup taken while a server registers households under load is one moment of the database: everything
acknowledged before it began is in it, its chain is the live chain's beginning; restored into another database
it verifies and has the same state hash. A backup whose ledger does not verify is refused, and the database it
was to replace is left as it was."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.api.test_two_servers import start, team_database, wait_until_up
from tests.cli.test_backup import Registrars, events_of, state_hash_of
from tests import postgresql

# PostgreSQL's own: run in the suite's PostgreSQL pass (`make test` runs both), not started for the SQLite one
pytestmark = pytest.mark.skipif(not postgresql.selected(), reason="PostgreSQL's own test: the PostgreSQL pass runs it")

ROOT = Path(__file__).resolve().parents[2]


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corridor", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.fixture
def team(pg_server):
    """A database with an operation and accounts on the tests' PostgreSQL server, its key in the environment."""
    name, url, key, tokens = team_database(pg_server, "source")
    env = {**os.environ, "CORRIDOR_KEY": base64.b64encode(key).decode(), "COLUMNS": "500"}  # URLs unwrapped
    env.pop("CORRIDOR_KEY_FILE", None)
    made = [name]

    def another() -> str:
        made.append(pg_server.create(prefix="target"))
        return pg_server.url(made[-1])

    yield url, env, tokens, another
    for database in made:
        pg_server.drop(database)


@pytest.mark.slow
@pytest.mark.timeout(900)  # a dozen runs of the command line (a few seconds each on a busy machine)
def test_a_postgresql_backup_under_load_restores_to_the_same_state(team, tmp_path):
    url, env, tokens, another = team
    out = tmp_path / "corridor.dump"
    proc, base = start(url, env)
    try:
        wait_until_up(proc, base)
        with Registrars(base, {"Authorization": f"Bearer {tokens['registrar']}"}) as desks:
            while desks.count() < 40 and desks.busy():
                time.sleep(0.05)
            before = list(desks.acknowledged)
            made = cli(env, "backup", str(out), "--db", url)
            during = desks.count()
            while desks.count() < during + 20 and desks.busy():  # the server kept registering after the dump
                time.sleep(0.05)
        assert not desks.errors, desks.errors[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert made.returncode == 0, made.stdout + made.stderr
    assert len(before) >= 40 and desks.count() > during, "the backup was not taken under load"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    digest, events = state_hash_of(made.stdout), events_of(made.stdout)

    # the dump is one moment: everything acknowledged before it began, and the live chain passes through its head
    target = another()
    restored = cli(env, "restore", str(out), "--db", target)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert state_hash_of(restored.stdout) == digest and events_of(restored.stdout) == events
    in_backup = {row[0] for row in rows(target, "SELECT command_id FROM ledger")}
    assert set(before) <= in_backup
    (seq, head), = rows(target, "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
    assert rows(url, f"SELECT hash FROM ledger WHERE seq = {seq}") == [(head,)]
    assert rows(url, "SELECT max(seq) FROM ledger")[0][0] > seq  # and it moved on

    verified = cli(env, "verify", "--db", target)
    assert verified.returncode == 0 and f"{events:,} events" in verified.stdout, verified.stdout + verified.stderr
    assert cli(env, "rebuild", "--db", target).returncode == 0  # the views are exactly those its ledger builds
    again = cli(env, "state-hash", "--db", target)
    assert again.returncode == 0 and state_hash_of(again.stdout) == digest, again.stderr
    live = cli(env, "state-hash", "--db", url)
    assert live.returncode == 0 and state_hash_of(live.stdout) != digest

    # a restored database holds events: restoring over it again needs --force, and then gives the same state
    refused = cli(env, "restore", str(out), "--db", target)
    assert refused.returncode == 1 and "not empty" in refused.stdout + refused.stderr
    forced = cli(env, "restore", str(out), "--db", target, "--force")
    assert forced.returncode == 0 and state_hash_of(forced.stdout) == digest, forced.stdout + forced.stderr


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_postgresql_backup_that_does_not_verify_is_refused_and_changes_nothing(team, tmp_path):
    url, env, tokens, another = team
    good = tmp_path / "good.dump"
    assert cli(env, "backup", str(good), "--db", url).returncode == 0
    # a tamperer: a copy of the database with the ledger's guard dropped and an event rewritten, then dumped
    tampered = another()
    assert cli(env, "restore", str(good), "--db", tampered).returncode == 0
    engine = create_engine(tampered)
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE ledger DISABLE TRIGGER ledger_append_only"))
            conn.execute(text("UPDATE ledger SET payload = replace(payload, 'a', 'b') WHERE seq = 5"))
    finally:
        engine.dispose()
    bad = tmp_path / "bad.dump"
    refused = cli(env, "backup", str(bad), "--db", tampered)  # the live database is refused too
    assert refused.returncode == 1 and "does not verify at event 5" in refused.stdout + refused.stderr
    assert not bad.exists()
    dumped = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(bad),
                             tampered.replace("postgresql+psycopg", "postgresql")], capture_output=True, text=True)
    assert dumped.returncode == 0, dumped.stderr

    target = another()
    assert cli(env, "restore", str(good), "--db", target).returncode == 0
    before = cli(env, "state-hash", "--db", target).stdout
    scratch = "SELECT datname FROM pg_database WHERE datname LIKE 'corridor_restore_%'"
    scratch_before = rows(url, scratch)
    line = cli(env, "restore", str(bad), "--db", target, "--force")
    assert line.returncode == 1
    lines = [x for x in (line.stdout + line.stderr).splitlines() if x.strip()]
    assert len(lines) == 1 and "does not verify at event 5" in lines[0] and "Traceback" not in lines[0], lines
    assert cli(env, "state-hash", "--db", target).stdout == before  # nothing changed
    assert rows(url, scratch) == scratch_before  # the scratch database the backup was checked in is gone
    assert re.search(r"state hash [0-9a-f]{64}", before)
