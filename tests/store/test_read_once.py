"""Reads made once per writing transaction (store/prepared.py, `once=True`): every command of a group asks for the
operation, the checkpoints and the agreement in force, and the group's transaction reads each once — yet never
answers with what the transaction itself has changed since, nor with anything outside a writing unit of work."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from corridor.store import queries as q
from corridor.store.prepared import READ_ONCE, Prepared
from corridor.store.tables import operation, sites
from corridor.store.uow import UnitOfWork

_RENAME = Prepared(update(operation).where(operation.c.id == 1).values(name_en="Renamed"))
_SITE_RENAME = Prepared(update(sites).where(sites.c.code == "GP-A").values(name_en="Gathering renamed"))
_NAME = Prepared(select(operation.c.name_en).where(operation.c.id == 1), once=True)


def test_a_read_once_is_kept_for_the_writing_transaction(rt, op):
    with UnitOfWork(rt.db, write=True) as uow:
        first = q.operation_row(uow.conn)
        assert len(uow.conn.info[READ_ONCE]) == 1
        assert q.operation_row(uow.conn) is first  # the same row: not read again


def test_a_write_to_its_table_through_a_prepared_statement_forgets_it(rt, op):
    with UnitOfWork(rt.db, write=True) as uow:
        assert _NAME.first(uow.conn).name_en == "Test evacuation"
        _SITE_RENAME.run(uow.conn)  # another table: kept
        assert len(uow.conn.info[READ_ONCE]) == 1
        _RENAME.run(uow.conn)
        assert _NAME.first(uow.conn).name_en == "Renamed"


def test_a_write_through_sqlalchemy_forgets_every_read(rt, op):
    with UnitOfWork(rt.db, write=True) as uow:
        assert q.operation_row(uow.conn).name_en == "Test evacuation"
        q.agreement_in_force(uow.conn)
        uow.conn.execute(update(operation).where(operation.c.id == 1).values(name_en="Changed"))
        assert uow.conn.info[READ_ONCE] == {}
        assert q.operation_row(uow.conn).name_en == "Changed"


def test_a_savepoint_rolled_back_forgets_what_was_read_inside_it(rt, op):
    with UnitOfWork(rt.db, write=True) as uow:
        savepoint = uow.conn.begin_nested()
        uow.conn.execute(update(operation).where(operation.c.id == 1).values(name_en="Undone"))
        assert q.operation_row(uow.conn).name_en == "Undone"
        savepoint.rollback()
        assert q.operation_row(uow.conn).name_en == "Test evacuation"


def test_nothing_is_kept_outside_a_writing_unit_of_work(rt, op):
    with rt.db.writer.connect() as kept:  # a connection kept from one unit of work to the next, as the writer's
        with UnitOfWork(rt.db, write=True, conn=kept) as uow:
            q.operation_row(uow.conn)
        assert READ_ONCE not in kept.info
        kept.execute(update(operation).where(operation.c.id == 1).values(name_en="Later"))
        assert q.operation_row(kept).name_en == "Later"
        kept.rollback()
    with rt.reading() as uow:
        q.operation_row(uow.conn)
        assert READ_ONCE not in uow.conn.info


def test_a_statement_that_writes_cannot_be_read_once():
    with pytest.raises(ValueError, match="only a statement that reads"):
        Prepared(update(operation).values(name_en="x"), once=True)
