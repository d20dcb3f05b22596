"""Reads are accounted for: every read of personal data is written to the append-only access log —
who (account, device), when, what kind, which household, person or trip, how many records — never the data.

Also where an account limited to sites is checked against the trip or household it acts on."""

from __future__ import annotations

import json

from ..domain.errors import Forbidden
from ..domain.permissions import Permission, Principal
from ..store import accounts as store
from ..store import queries as q
from .runtime import Runtime

# what kind of read
TOKEN_LOOKUP = "token_lookup"
MANIFEST = "manifest"
CHILDREN = "children_list"
CHILD_ALERTS = "child_alerts"
DUPLICATES = "duplicates_list"
CARDS = "cards_export"
MEDICAL = "medical_list"
RECONCILIATION = "reconciliation_tokens"
NAME_SEARCH = "name_search"
PERSONS_EXPORT = "persons_export"
HELD = "held_list"
FAMILY_LINKS = "family_links"
CATEGORY = "person_category"  # a person's category under the agreement (protection-sensitive)
KINDS = (TOKEN_LOOKUP, MANIFEST, CHILDREN, CHILD_ALERTS, DUPLICATES, CARDS, MEDICAL, RECONCILIATION, NAME_SEARCH,
         PERSONS_EXPORT, HELD, FAMILY_LINKS, CATEGORY)


def record(rt: Runtime, viewer: Principal, kind: str, subjects: list[str] | str = "", *, count: int = 1) -> None:
    """Write who read what: one row per subject (a household, person or trip), or one row for a list."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of read {kind!r}")
    subjects = [subjects] if isinstance(subjects, str) else list(subjects) or [""]
    at = rt.clock()
    rows = [{"at": at, "account": viewer.account[:100], "device": viewer.device[:100], "kind": kind,
             "subject": s[:200], "count": count} for s in subjects]
    with rt.writing() as uow:
        store.log_access(uow.conn, rows)
        uow.commit()


def entries(rt: Runtime, *, account: str | None = None, subject: str | None = None,
            limit: int | None = 1000) -> list[dict]:
    """The access log, newest first."""
    with rt.reading() as uow:
        rows = store.access_entries(uow.conn, account=account, subject=subject, limit=limit)
    return [{"seq": r.seq, "at": r.at.isoformat(), "account": r.account, "device": r.device, "kind": r.kind,
             "subject": r.subject, "count": r.count} for r in rows]


# --- sites ---------------------------------------------------------------------------------------------------

def _trip_ends(conn, trip: str) -> tuple[str, str, list[str]] | None:
    row = q.trip_row(conn, trip.strip().upper())
    return None if row is None else (row.origin, row.destination, json.loads(row.route))


def require_trip(rt: Runtime, viewer: Principal, permission: Permission, trip: str) -> None:
    """Refuse (403, naming the site) an account limited to sites acting on a trip not tied to them.

    An unknown trip passes: the service refuses it with its own 404."""
    if not viewer.sites:
        return
    with rt.reading() as uow:
        ends = _trip_ends(uow.conn, trip)
    if ends is not None and not viewer.at_trip(*ends):
        origin, destination, route = ends
        raise Forbidden(f"site: trip {trip.strip().upper()} ({origin} to {destination}) is not at the sites this "
                        f"account is limited to ({', '.join(viewer.sites)})", permission=permission.value,
                        site=", ".join(viewer.sites), field="trip")


def require_site(viewer: Principal, permission: Permission, site: str | None, field: str) -> None:
    """Refuse (403) an account limited to sites acting at another site."""
    if not viewer.at(site):
        raise Forbidden(f"{field}: {site} is not one of the sites this account is limited to "
                        f"({', '.join(viewer.sites)})", permission=permission.value, site=str(site), field=field)


def sees_household(conn, viewer: Principal, gathering_point: str | None, destination: str | None,
                   trips: list[str]) -> bool:
    """May an account limited to sites see this household (its gathering point, destination, a member's trip)?"""
    if viewer.at_any([gathering_point, destination]):
        return True
    for trip in {t for t in trips if t}:
        ends = _trip_ends(conn, trip)
        if ends is not None and viewer.at_trip(*ends):
            return True
    return False


def require_household(conn, viewer: Principal, token: str, gathering_point, destination, trips: list[str]) -> None:
    if viewer.sites and not sees_household(conn, viewer, gathering_point, destination, trips):
        raise Forbidden(f"site: {token} is registered at {gathering_point} for {destination}, not at the sites this "
                        f"account is limited to ({', '.join(viewer.sites)})", permission=Permission.LOOKUP.value,
                        site=", ".join(viewer.sites), field="token")


def shown(viewer: Principal, record: dict) -> dict:
    """The record with only the personal fields this viewer may see (least data by role)."""
    return {k: v for k, v in record.items() if viewer.sees(k)}
