"""The ledger is the record: append-only, hash-chained, and enough to rebuild every view."""

import pytest
from sqlalchemy import text

from corridor.service import planning, reports
from corridor.service.recording import Meta
from tests.conftest import register
from tests.rawdb import tamperer


@pytest.fixture
def recorded(op):
    for _ in range(3):
        register(op)
    planning.plan(op, Meta())
    return op


def test_an_untouched_ledger_verifies(recorded):
    result = reports.verify(recorded)
    assert result.ok and result.events == 1 + 6 + 5 + 3 + 3 + 1  # operation, sites, legs, vehicles, households, plan

def test_the_database_refuses_to_change_or_delete_a_ledger_row(recorded):
    with recorded.db.writer.connect() as conn:
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("UPDATE ledger SET actor = 'x' WHERE seq = 1"))
        conn.rollback()
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM ledger WHERE seq = 1"))


def test_an_edited_event_is_found(recorded):
    with tamperer(recorded) as conn:
        conn.execute(text("UPDATE ledger SET payload = replace(payload, 'Gathering A', 'Gathering Z') WHERE seq = 2"))
    result = reports.verify(recorded)
    assert not result.ok and result.first_bad_seq == 2 and "altered" in result.problem


def test_a_removed_event_is_found(recorded):
    with tamperer(recorded) as conn:
        conn.execute(text("DELETE FROM ledger WHERE seq = 5"))
    result = reports.verify(recorded)
    assert not result.ok and result.first_bad_seq == 5 and "missing" in result.problem


def test_reordered_events_are_found(recorded):
    with tamperer(recorded) as conn:
        conn.execute(text("UPDATE ledger SET seq = -3 WHERE seq = 3"))
        conn.execute(text("UPDATE ledger SET seq = 3 WHERE seq = 4"))
        conn.execute(text("UPDATE ledger SET seq = 4 WHERE seq = -3"))
    result = reports.verify(recorded)
    assert not result.ok and result.first_bad_seq == 3


def test_events_cut_from_the_end_are_found(recorded):
    with tamperer(recorded) as conn:
        last = conn.execute(text("SELECT max(seq) FROM ledger")).scalar()
        conn.execute(text("DELETE FROM ledger WHERE seq = :last"), {"last": last})
    result = reports.verify(recorded)
    assert not result.ok and "cut from the end" in result.problem


def test_rebuilding_the_views_from_the_ledger_gives_identical_views(recorded):
    before = reports.views_snapshot(recorded)
    assert before["persons"] and before["trips"]
    assert reports.rebuild(recorded) == reports.verify(recorded).events
    assert reports.views_snapshot(recorded) == before


def test_a_wrecked_view_is_repaired_by_rebuilding(recorded):
    before = reports.views_snapshot(recorded)
    with recorded.db.writer.connect() as conn:
        conn.execute(text("UPDATE persons SET state = 'arrived'"))
        conn.execute(text("DELETE FROM manifest"))
        conn.commit()
    assert reports.views_snapshot(recorded) != before
    reports.rebuild(recorded)
    assert reports.views_snapshot(recorded) == before
