"""Looking: status, trips, reconciliation, the halt timeline, children, the set-up, the ledger's chain."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from .. import service as svc
from ..domain.errors import NotFound
from ..domain.values import TripState, parse_enum
from .deps import Rt

router = APIRouter(tags=["looking"])


@router.get("/status")
def status(rt: Rt):
    return svc.reports.status(rt)


@router.get("/trips")
def trips(rt: Rt, state: list[str] | None = Query(None, description="only trips in these states")):
    states = [parse_enum(TripState, s, "state") for s in state] if state else None
    return svc.reports.trips(rt, states)


@router.get("/trips/{trip}")
def trip(trip: str, rt: Rt):
    found = svc.reports.trip_detail(rt, trip)
    if found is None:
        raise NotFound(f"trip: no trip {trip!r} in this operation", field="trip")
    return found


@router.get("/reconciliation")
def reconciliation(rt: Rt):
    return svc.reports.reconcile(rt)


@router.get("/timeline")
def timeline(rt: Rt):
    return svc.reports.timeline(rt)


@router.get("/protection/children")
def children(rt: Rt, all_children: bool = Query(False, alias="all", description="every child, not only those flagged")):
    return svc.protection.children(rt, flagged_only=not all_children)


@router.get("/setup")
def setup(rt: Rt):
    return svc.reports.setup(rt)


@router.get("/verify")
def verify(rt: Rt):
    result = svc.reports.verify(rt)
    return JSONResponse(asdict(result), status_code=200 if result.ok else 409)
