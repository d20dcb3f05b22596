"""The hot statements of a boarding scan run on the driver's own cursor: each Core statement is compiled once per
dialect (its SQL text, the order of its parameters, how each value is bound and each column read back) and then
executed as SQLite's `sqlite3` or PostgreSQL's `psycopg` takes it — no compiling, keying or result machinery of
SQLAlchemy per call (about 45 µs a statement against 5–20 µs of SQLite's own work).

The statements stay written once, in Core, where they belong (queries/, ledger.py, projection.py); only how they
are run differs. They run on the connection's own transaction (the same DBAPI connection SQLAlchemy began), so
savepoints and rollbacks cover them as any other statement. A statement that may change the database is counted
in the connection's `WRITES` (store/group.py: a job that failed after writing undoes its group's attempt)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Executable

WRITES = "corridor.writes"  # the writer connection's count of statements other than SELECT (Connection.info)


class _Compiled:
    """One statement compiled for one dialect: what running it needs, worked out once."""

    __slots__ = ("sql", "names", "defaults", "binders", "positional", "row", "readers")

    def __init__(self, statement: Executable, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        named = compiled.bind_names  # each bound parameter → its name in the SQL
        self.names = list(compiled.positiontup) if self.positional else sorted(set(named.values()))
        self.defaults = {name: bind.effective_value for bind, name in named.items()
                         if not bind.required and bind.callable is None}  # the statement's own constants
        processors = compiled._bind_processors  # value → what the driver takes (times as text on SQLite, …)
        self.binders = {name: processors[name] for name in self.names if name in processors}
        columns = getattr(compiled, "_result_columns", None) or []
        if columns:
            self.row = namedtuple("Row", [c.keyname for c in columns], rename=True)
            readers = [c.type._cached_result_processor(dialect, None) for c in columns]
            self.readers = [(i, read) for i, read in enumerate(readers) if read is not None] or None
        else:
            self.row, self.readers = None, None

    def parameters(self, given: dict[str, Any]):
        values = {**self.defaults, **given} if self.defaults else given
        if self.binders:
            values = {**values, **{n: f(values[n]) for n, f in self.binders.items() if n in values}}
        return tuple(values[n] for n in self.names) if self.positional else values

    def make_row(self, raw: tuple):
        if self.readers is not None:
            raw = list(raw)
            for i, read in self.readers:
                raw[i] = read(raw[i])
        return self.row._make(raw)


class Prepared:
    """A Core statement run on the DBAPI cursor of a SQLAlchemy connection, compiled once per dialect."""

    __slots__ = ("statement", "writes", "_compiled")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self.writes = not getattr(statement, "is_select", False)
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, conn: Connection) -> _Compiled:
        dialect = conn.dialect
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _Compiled(self.statement, dialect)
        return found

    def _cursor(self, conn: Connection):
        if not conn.in_transaction():
            conn.begin()  # as SQLAlchemy would have begun it (the caller commits or rolls back as before)
        if self.writes:
            conn.info[WRITES] = conn.info.get(WRITES, 0) + 1
        return conn.connection.dbapi_connection.cursor()

    def _execute(self, conn: Connection, params: dict[str, Any] | None, take):
        """Run it with `params` on a cursor of its own; what `take(cursor, compiled)` makes of the result."""
        compiled = self._for(conn)
        cursor = self._cursor(conn)
        try:
            cursor.execute(compiled.sql, compiled.parameters(params or {}))
            return take(cursor, compiled)
        finally:
            cursor.close()

    def first(self, conn: Connection, params: dict[str, Any] | None = None):
        """The first row (fields by name, values as the Core statement would read them), or None."""
        return self._execute(conn, params, _first)

    def all(self, conn: Connection, params: dict[str, Any] | None = None) -> list:
        return self._execute(conn, params, _all)

    def scalars(self, conn: Connection, params: dict[str, Any] | None = None) -> list:
        return [row[0] for row in self.all(conn, params)]

    def run(self, conn: Connection, params: dict[str, Any] | None = None) -> int:
        """Run a statement that changes rows; how many rows it matched."""
        return self._execute(conn, params, _rowcount)

    def run_many(self, conn: Connection, many: list[dict[str, Any]]) -> None:
        """Run it once for each set of parameters (the driver's executemany)."""
        if not many:
            return
        if len(many) == 1:  # one person boarded (nearly every scan): no batch machinery (psycopg's is a pipeline)
            self.run(conn, many[0])
            return
        compiled = self._for(conn)
        cursor = self._cursor(conn)
        try:
            cursor.executemany(compiled.sql, [compiled.parameters(p) for p in many])
        finally:
            cursor.close()


def _first(cursor, compiled: _Compiled):
    raw = cursor.fetchone()
    return None if raw is None else compiled.make_row(raw)


def _all(cursor, compiled: _Compiled) -> list:
    return [compiled.make_row(raw) for raw in cursor.fetchall()]


def _rowcount(cursor, _compiled: _Compiled) -> int:
    return cursor.rowcount
