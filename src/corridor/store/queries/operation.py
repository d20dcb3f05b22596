"""The operation as set up: its sites, legs, fleet and corridor rules; the ledger's head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from ...domain.operation import CODE
from ...domain.values import SiteKind
from ..prepared import Prepared
from ..tables import corridor_rules, ledger, ledger_head, legs, operation, sites, vehicles


_OPERATION = Prepared(select(operation).where(operation.c.id == 1))  # read by every command (store/prepared.py)


def operation_row(conn: Connection):
    return _OPERATION.first(conn)


def operation_time_zone(conn: Connection) -> str | None:
    """The zone the operation's times are shown in, as it was created; None before there is one."""
    return conn.execute(select(operation.c.time_zone).where(operation.c.id == 1)).scalar()


def site_kind(conn: Connection, code: str) -> SiteKind | None:
    """The kind of the site with this code; None when there is none. A text no site code can be (`CODE`: spaces,
    a NUL character — which PostgreSQL's text cannot even hold, so asking would fail) is no site's, unasked."""
    if not isinstance(code, str) or CODE.fullmatch(code) is None:
        return None
    kind = conn.execute(select(sites.c.kind).where(sites.c.code == code)).scalar()
    return SiteKind(kind) if kind else None


def all_sites(conn: Connection) -> list:
    return conn.execute(select(sites).order_by(sites.c.seq)).all()


def all_legs(conn: Connection) -> list:
    return conn.execute(select(legs).where(legs.c.origin < legs.c.destination)
                        .order_by(legs.c.origin, legs.c.destination)).all()


def leg_exists(conn: Connection, a: str, b: str) -> bool:
    return conn.execute(select(legs.c.minutes).where(legs.c.origin == a, legs.c.destination == b)).first() is not None


def all_vehicles(conn: Connection) -> list:
    return conn.execute(select(vehicles).order_by(vehicles.c.seq)).all()


def vehicle_exists(conn: Connection, code: str) -> bool:
    return conn.execute(select(vehicles.c.code).where(vehicles.c.code == code)).first() is not None


def ledger_seq(conn: Connection) -> int:
    """The number of the last recorded event (0 for an empty ledger): changes whenever anything is recorded."""
    return conn.execute(select(ledger_head.c.seq).where(ledger_head.c.id == 1)).scalar() or 0


def corridor_rules_row(conn: Connection):
    return conn.execute(select(corridor_rules).where(corridor_rules.c.id == 1)).first()


def available_vehicles(conn: Connection) -> list:
    """Vehicles of the fleet not withdrawn (private vehicles are never planned)."""
    from ...domain.values import PRIVATE_KINDS

    return conn.execute(select(vehicles).where(vehicles.c.withdrawn_at.is_(None),
                                               vehicles.c.kind.not_in([k.value for k in PRIVATE_KINDS]))
                        .order_by(vehicles.c.seq)).all()


def site_codes(conn: Connection, kind: SiteKind) -> list[str]:
    return list(conn.execute(select(sites.c.code).where(sites.c.kind == kind.value).order_by(sites.c.seq)).scalars())


RECENT_ENTRIES = 200  # how far back `latest_times` looks: a phone's late batch does not hide the present


def latest_times(conn: Connection):
    """(the latest time an event happened, the latest time one was written) among the ledger's newest entries;
    (None, None) for an empty ledger. Far apart, the record is a replay or a simulation of another time."""
    newest = select(ledger.c.at, ledger.c.recorded_at).order_by(ledger.c.seq.desc()).limit(RECENT_ENTRIES).subquery()
    at, recorded = conn.execute(select(func.max(newest.c.at), func.max(newest.c.recorded_at))).one()
    return (datetime.fromisoformat(at) if at else None, datetime.fromisoformat(recorded) if recorded else None)


def last_event_at(conn: Connection):
    """When the latest recorded event happened, by its own time (None for an empty ledger)."""
    value = conn.execute(select(ledger.c.at).order_by(ledger.c.seq.desc()).limit(1)).scalar()
    return datetime.fromisoformat(value) if value else None
