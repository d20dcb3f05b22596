"""The tests' throw-away PostgreSQL server: started once per session on 127.0.0.1, one fresh database per test.

`CORRIDOR_TEST_DB=postgresql pytest` runs the whole suite on it (`make test` runs the suite on SQLite, then on
PostgreSQL). The server is Debian's (`postgresql`, installed by `scripts/setup --test`), started and stopped by
pytest-postgresql's executor through `tests/pg_ctl`, which runs it as the `postgres` user when the tests run as
root (PostgreSQL refuses to run as root). Its files live in a folder of their own under the system's temporary
folder (owned by that user), removed at the end. Durability is off on this server (`fsync=off`): it is thrown
away, and a test never survives a power cut of the machine.

Each test's database is a copy of a template database built once (`CREATE DATABASE … TEMPLATE …`), as the SQLite
tests copy a template file: migrating costs far more than copying.
"""

from __future__ import annotations

import itertools
import os
import pwd
import queue
import shutil
import tempfile
import threading
from pathlib import Path

import port_for
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

PG_CTL = Path(__file__).with_name("pg_ctl")
PORTS = (5440, 5449)  # this project's range on shared machines
USER = "postgres"
OPTIONS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
           "-c shared_buffers=64MB")


def selected() -> bool:
    """Does this run put the tests' databases on PostgreSQL? (CORRIDOR_TEST_DB=postgresql)"""
    return os.environ.get("CORRIDOR_TEST_DB", "sqlite").lower() in ("postgresql", "postgres", "pg")


class Server:
    """One PostgreSQL server for the session, and the databases made on it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
        if os.geteuid() == 0:  # the server runs as `postgres` (see tests/pg_ctl): its folder is that user's
            account = pwd.getpwnam(USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.port = port_for.get_port(PORTS)
        self.executor = PostgreSQLExecutor(
            executable=str(PG_CTL), host="127.0.0.1", port=self.port, datadir=str(self.folder / "data"),
            unixsocketdir=str(self.folder), logfile=str(self.folder / "server.log"), startparams="-w",
            dbname="postgres", user=USER, postgres_options=OPTIONS, timeout=120)
        self._names = itertools.count(1)
        self._to_drop: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_in_turn, name="drop test databases", daemon=True)
        self.executor.start()
        self._dropper.start()
        global current
        current = self

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{dbname}"

    def _janitor(self, dbname: str, template: str | None = None) -> DatabaseJanitor:
        return DatabaseJanitor(user=USER, host="127.0.0.1", port=self.port, dbname=dbname, template_dbname=template)

    def create(self, prefix: str = "test", template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); its name."""
        name = f"{prefix}_{next(self._names)}"
        self._janitor(name, template).init()
        return name

    def drop(self, dbname: str) -> None:
        self._janitor(dbname).drop()

    def drop_later(self, dbname: str) -> None:
        """Drop a test's database behind the tests' back (a test does not wait for it)."""
        self._to_drop.put(dbname)

    def _drop_in_turn(self) -> None:
        while (dbname := self._to_drop.get()) is not None:
            try:
                self.drop(dbname)
            except Exception:  # noqa: BLE001 - a database left behind goes with the server's folder
                pass

    def stop(self) -> None:
        self._to_drop.put(None)
        self._dropper.join(timeout=120)
        try:
            self.executor.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


#: the session's server, once started (tests/rawdb.py reads its files)
current: Server | None = None
