"""Opening the database: SQLite (WAL, durable commits, one writer) or PostgreSQL by URL."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..domain.errors import CorridorError

from .crypto import Vault

if TYPE_CHECKING:
    from .group import GroupCommit


class _NoRows(logging.Filter):
    """SQLAlchemy logs every result row at DEBUG: rows hold names. They never reach a log (parameters are hidden
    by `hide_parameters` on the engines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(("Row ", "Col ")))


_ROWS_FILTER = _NoRows()


def _keep_rows_out_of_logs() -> None:
    engine_logger = logging.getLogger("sqlalchemy.engine.Engine")
    if _ROWS_FILTER not in engine_logger.filters:
        engine_logger.addFilter(_ROWS_FILTER)


def database_url(db: str | Path) -> str:
    """A path becomes a SQLite URL; anything with '://' is taken as a URL."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


@dataclass
class Database:
    """The engines of one database and the lock that makes its writer single."""

    url: str
    writer: Engine
    reader: Engine
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    vault: Vault = field(default_factory=lambda: Vault(None, "nowhere (no key was loaded)"))

    writers: WriterTurn = field(default_factory=lambda: WriterTurn(None), repr=False, compare=False)
    # the turn of this process's writer among the processes writing to one SQLite file

    group: GroupCommit = field(init=False, repr=False, compare=False)
    # the write queue that commits commands arriving together in one transaction (store/group.py)

    def __post_init__(self) -> None:
        from .group import GroupCommit, count_writes  # group.py builds on the unit of work, which imports this module

        self.group = GroupCommit(self)
        event.listen(self.writer, "before_cursor_execute", count_writes)

    @property
    def is_sqlite(self) -> bool:
        return self.writer.dialect.name == "sqlite"

    def scrub(self) -> None:
        """Fold the write-ahead log into the database file and empty it (SQLite), so pages holding a
        destroyed data key leave no copy in the log; secure_delete has already zeroed them in the file."""
        if not self.is_sqlite:
            return
        raw = self.writer.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()

    def dispose(self) -> None:
        self.group.close()
        self.writers.close()
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


class WriterTurn:
    """Writers of several processes on one SQLite file take turns on a lock file beside it (`flock`), so a writer
    waiting for another wakes as soon as that one commits. Without it they would meet only at SQLite's own lock,
    whose busy handler sleeps and retries (1 ms, 2 ms, … up to 100 ms at a time): a steady stream of commits from
    two server processes then leaves some commands waiting for seconds. The file holds nothing; the lock is
    released by the system when a process dies. None: one process only, or not SQLite (PostgreSQL's writers take
    turns on an advisory lock that wakes its waiters itself)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.path is None:
            return
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           hide_parameters=True)  # no name or token in a log line, at any level

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # an acknowledged action survives a power cut
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # 64 MiB of page cache per connection (SQLite's default is 2 MiB): the blind name index of 100,000 persons
        # is about 300,000 rows in two b-trees keyed at random; with the default cache a bulk registration
        # spends most of its time rereading their pages
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA secure_delete=ON")  # a destroyed data key leaves no copy in free pages
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.connection.dbapi_connection.execute(begin)  # the driver's own: once per transaction, every scan's group

    return engine


#: The advisory lock every writing transaction on PostgreSQL holds until it ends (any 64-bit number of our own:
#: the first 8 bytes of SHA-256("corridor: one writer")). Advisory locks belong to one database.
WRITER_LOCK = int.from_bytes(hashlib.sha256(b"corridor: one writer").digest()[:8], "big", signed=True)


def _postgresql_engine(url: str, *, writer: bool) -> Engine:
    """An engine on a PostgreSQL database. The writer's transactions begin by taking the database's writer lock
    (`pg_advisory_xact_lock`, released at commit or rollback), as `BEGIN IMMEDIATE` does on SQLite: writers
    are one at a time across every corridor process on the database, so the ledger has one tail and each
    command is decided on the state its predecessors committed (the process lock only orders the threads of one
    process). Readers never wait for it."""
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if writer:
        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    return engine


def _turn_file(url: str) -> Path | None:
    """The writers' lock file of a SQLite database file ("<file>-writers"), only where several server processes
    share it ($CORRIDOR_WRITER_TURNS, set by `serve --workers`); None otherwise (no file made)."""
    database = make_url(url).database
    if not os.environ.get("CORRIDOR_WRITER_TURNS") or not database or database == ":memory:":
        return None
    return Path(f"{database}-writers")


class CannotOpen(CorridorError):
    """The database named (`--db`, $CORRIDOR_DB) cannot be opened: a SQLite file in a folder that does not exist,
    a folder, a file that is not a database, a kind of database corridor does not keep its ledger in, a PostgreSQL
    server that does not answer or refuses the connection. Nothing was created or changed."""

    status = 503
    title = "Database cannot be opened"
    slug = "database-unavailable"


BACKENDS = ("sqlite", "postgresql")  # where corridor keeps its ledger: a SQLite file, or a PostgreSQL database


def open_database(db: str | Path) -> Database:
    """The engines on the database `db` names (a path or a URL), once it is known to open: a database that
    cannot be opened is refused (`CannotOpen`, naming it without its password) before anything is made."""
    _keep_rows_out_of_logs()
    url = database_url(db)
    backend = _backend(url)
    if backend == "sqlite":
        _sqlite_file_may_be_opened(url)
        database = Database(url, _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False),
                            writers=WriterTurn(_turn_file(url)))
    else:
        database = Database(url, _postgresql_engine(url, writer=True), _postgresql_engine(url, writer=False))
    try:
        with database.reader.connect():  # SQLite's connection settings fail on a file that is not a database
            pass
    except DBAPIError as err:
        database.dispose()
        raise CannotOpen(f"db: {shown(url)} cannot be opened: {_first_line(err.orig)}", field="db") from None
    return database


def shown(url: str) -> str:
    """A database as a person may be shown it: a SQLite file by its path, any other URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def _backend(url: str) -> str:
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise CannotOpen(f"db: {url.split('://')[0]}://…: not a database URL", field="db") from None
    if backend not in BACKENDS:
        raise CannotOpen(f"db: corridor keeps its ledger in a SQLite file or a PostgreSQL database "
                         f"(postgresql://…), not in {backend}", field="db")
    return backend


def _sqlite_file_may_be_opened(url: str) -> None:
    """A SQLite file is made where it is missing: only in a folder that exists, and never in a folder's place."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    if path.is_dir():
        raise CannotOpen(f"db: {path} is a folder, not a database file", field="db")
    if not path.parent.is_dir():
        raise CannotOpen(f"db: {path}: the folder {path.parent} does not exist", field="db")


def _first_line(error: BaseException | None) -> str:
    """What the driver says went wrong, its first line (psycopg adds hints on the next ones)."""
    said = str(error or "").strip().splitlines()
    return said[0] if said else type(error).__name__
