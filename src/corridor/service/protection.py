"""Family links for protection staff: unaccompanied and separated children, who they travel
with, and children who reach a reception centre without the people they are linked to."""

from __future__ import annotations

from ..domain.permissions import Principal
from ..domain.values import PersonState, Vulnerability
from ..store import queries as q
from . import access
from .runtime import Runtime

ADULT_AGE = 18
FLAGGED = {Vulnerability.UNACCOMPANIED_CHILD.value, Vulnerability.SEPARATED_CHILD.value}


def _is_child(row, year: int) -> bool:
    vulns = set(filter(None, row.vulnerabilities.split(",")))
    return bool(vulns & FLAGGED) or (row.birth_year is not None and year - row.birth_year < ADULT_AGE)


def _person(row) -> dict:
    return {"token": row.token, "name_ar": row.name_ar, "name_latin": row.name_latin,
            "relationship": row.relationship, "state": row.state, "trip": row.trip,
            "birth_year": row.birth_year}


def _linked(conn, child, year: int) -> list:
    """The people a child belongs with: the adults of their household, and explicit family links (both ways)."""
    household = [m for m in q.household_members(conn, child.household)
                 if m.token != child.token and not _is_child(m, year)]
    explicit = q.persons_by_tokens(conn, q.links_of(conn, child.token))
    seen: dict[str, object] = {m.token: m for m in household}
    seen.update({m.token: m for m in explicit})
    return list(seen.values())


def _with_child(child, other, centre_of: dict[str, str]) -> bool:
    """Is `other` with the child: on the same trip, or arrived at the same reception centre?"""
    if other.trip and other.trip == child.trip and other.state in (
            PersonState.BOARDED.value, PersonState.IN_TRANSIT.value, PersonState.ARRIVED.value):
        return True
    if child.state == PersonState.ARRIVED.value and other.state == PersonState.ARRIVED.value:
        return centre_of.get(other.trip) == centre_of.get(child.trip)
    return False


def describe_child(conn, child, year: int) -> dict:
    linked = _linked(conn, child, year)
    trips = {t for t in [child.trip, *(m.trip for m in linked)] if t}
    centre_of = q.trip_destinations(conn, sorted(trips))
    people = [{**_person(m), "with_child": _with_child(child, m, centre_of)} for m in linked]
    arrived_alone = child.state == PersonState.ARRIVED.value and not any(p["with_child"] for p in people)
    return {**_person(child), "household": child.household,
            "vulnerabilities": [v for v in child.vulnerabilities.split(",") if v],
            "linked": people, "arrived_without_linked_people": arrived_alone}


def _operation_year(conn) -> int | None:
    """The year the operation starts (ages are counted to it); None before the operation is created."""
    op = q.operation_row(conn)
    return op.starts_at.year if op is not None else None


def shown_child(viewer: Principal, child: dict) -> dict:
    """A child as this viewer may see them (least data by role): the child and each linked person."""
    return {**access.shown(viewer, child), "linked": [access.shown(viewer, p) for p in child["linked"]]}


def children(rt: Runtime, *, viewer: Principal, flagged_only: bool = True) -> list[dict]:
    """Unaccompanied and separated children (or every child), each with who they travel with.

    A viewer limited to sites sees the children of households at those sites; the read is logged."""
    with rt.reading() as uow:
        year = _operation_year(uow.conn)
        if year is None:
            return []  # no operation yet: nobody is registered
        rows = q.children(uow.conn, year - ADULT_AGE, sorted(FLAGGED), flagged_only=flagged_only)
        if viewer.sites:
            homes = {r.household: q.household_detail(uow.conn, r.household)[0] for r in rows}
            rows = [r for r in rows if access.sees_household(uow.conn, viewer, homes[r.household].gathering_point,
                                                             homes[r.household].destination, [r.trip])]
        found = [shown_child(viewer, describe_child(uow.conn, r, year)) for r in rows]
    access.record(rt, viewer, access.CHILDREN, "", count=len(found))
    return found


def at_reception(rt: Runtime, tokens: list[str], *, viewer: Principal, trip: str = "") -> list[dict]:
    """For the children among these (just scanned-in) persons: their linked people, and a flag if none is with them.

    The alert is logged (kind child_alerts, the trip) when it names anyone."""
    with rt.reading() as uow:
        year = _operation_year(uow.conn)
        if year is None:
            return []
        rows = q.persons_by_tokens(uow.conn, tokens)
        found = [shown_child(viewer, describe_child(uow.conn, r, year)) for r in rows if _is_child(r, year)]
    if found:
        access.record(rt, viewer, access.CHILD_ALERTS, trip, count=len(found))
    return found
