"""Looking: status, trips, reconciliation, the halt timeline, children, the set-up, the ledger's chain."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from .. import service as svc
from ..domain.errors import BadInput, NotFound
from ..domain.operation import CODE
from ..domain.values import TripState, parse_enum
from ..domain.permissions import Permission
from .auth import Require, Viewer
from .deps import Rt
from .contract import refusals
from .schemas import Time, TripId, one_of

router = APIRouter(tags=["looking"])
_CODE = CODE.pattern.strip("^$")
CODES = f"^{_CODE}(,{_CODE})*$"
RATE = f"^{_CODE}=[1-9][0-9]{{0,5}}$"
WINDOW = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"


@router.get("/status", dependencies=[Require(Permission.FIGURES)])
def status(rt: Rt,
           aboard_hours: float | None = Query(None, gt=0, description="alarm: persons aboard a vehicle not arrived "
                                                                     "for longer than this (default 6 h)")):
    """The live figures, the operation's clock and the alarms in words (English and Arabic), most pressing first."""
    from ..service import alarms

    return alarms.status(rt, thresholds=alarms.thresholds_from(aboard_hours=aboard_hours))


@router.get("/map.geojson", dependencies=[Require(Permission.FIGURES)],
            response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def map_geojson(rt: Rt):
    """Sites, route legs and trips on the road as a GeoJSON FeatureCollection (RFC 7946): aggregates only, no names;
    what the dashboard's map draws."""
    return Response(svc.mapview.geojson(rt), media_type="application/geo+json")


@router.get("/trips", dependencies=[Require(Permission.FIGURES)])
def trips(rt: Rt, state: list[one_of(TripState)] | None = Query(None, description="only trips in these states")):
    states = [parse_enum(TripState, s, "state") for s in state] if state else None
    return svc.reports.trips(rt, states)


@router.get("/trips/{trip}", dependencies=[Require(Permission.FIGURES)])
def trip(trip: TripId, rt: Rt):
    found = svc.reports.trip_detail(rt, trip)
    if found is None:
        raise NotFound(f"trip: no trip {trip!r} in this operation", field="trip")
    return found


@router.get("/trips/{trip}/manifest", dependencies=[Require(Permission.MANIFESTS)])
def manifest(trip: TripId, rt: Rt, viewer: Viewer):
    """Who is on the trip, with the fields the role may see; only trips at the account's sites."""
    return svc.reports.trip_manifest(rt, trip, viewer=viewer)


@router.get("/trips/{trip}/manifest.pdf", dependencies=[Require(Permission.MANIFESTS)],
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def manifest_pdf(trip: TripId, rt: Rt, viewer: Viewer,
                 lang: Literal["en", "ar"] | None = Query(None, description="one language only (default: both)")):
    """The trip's manifest as an A4 PDF in English and Arabic (the fields the role may see; logged)."""
    if lang not in (None, "en", "ar"):
        raise BadInput(f"lang: expected en or ar, got {lang!r}", field="lang")
    pdf = svc.manifests.trip_manifest_pdf(rt, trip, viewer=viewer, lang=lang)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="manifest-{trip.strip().upper()}.pdf"'})


@router.get("/reconciliation", dependencies=[Require(Permission.FIGURES)])
def reconciliation(rt: Rt, viewer: Viewer):
    return svc.reports.reconcile(rt, viewer=viewer)


@router.get("/timeline", dependencies=[Require(Permission.FIGURES)])
def timeline(rt: Rt):
    return svc.reports.timeline(rt)


@router.get("/protection/children", dependencies=[Require(Permission.PROTECTION)])
def children(rt: Rt, viewer: Viewer,
             all_children: bool = Query(False, alias="all", description="every child, not only those flagged")):
    return svc.protection.children(rt, viewer=viewer, flagged_only=not all_children)


@router.get("/setup", dependencies=[Require(Permission.FIGURES)])
def setup(rt: Rt):
    return svc.reports.setup(rt)


@router.get("/verify", dependencies=[Require(Permission.FIGURES)])
def verify(rt: Rt):
    result = svc.reports.verify(rt)
    return JSONResponse(asdict(result), status_code=200 if result.ok else 409)


@router.get("/forecast", dependencies=[Require(Permission.FIGURES)], responses=refusals(404, 409))
def forecast(rt: Rt,
             runs: int = Query(10_000, description="runs of the rest of the operation (1 to 100,000)",
                               json_schema_extra={"minimum": 1, "maximum": 100_000}),
             seed: int = Query(0, ge=0, le=2**63 - 1, description="same seed, same ledger: same answer"),
             by: Time | None = Query(None, description="the chance of finishing by this time (ISO 8601 with offset)"),
             as_of: Time | None = Query(None, description="forecast as of this time (default: now)"),
             disruption: bool = Query(True, description="false: the plan itself, no halt, hold, loss or no-show"),
             add_vehicles: int | None = Query(None, description="what-if: this many more vehicles…",
                                              json_schema_extra={"minimum": 1, "maximum": 1000}),
             at: Time | None = Query(None, description="… available from this time (default: now)"),
             second_corridor: str | None = Query(None, description="what-if: a second route from these "
                                                                   "gathering points (comma-separated)",
                                                 json_schema_extra={"pattern": CODES}),
             window: str | None = Query(None, description="what-if: the corridor open daily HH:MM-HH:MM (UTC)",
                                        json_schema_extra={"pattern": WINDOW}),
             checkpoint_rate: list[str] | None = Query(None, description="what-if: CHECKPOINT=vehicles an hour",
                                                       json_schema_extra={"items": {"type": "string",
                                                                                    "pattern": RATE}})):
    """When the operation will end: P10/P50/P90 of the finish, the chance of finishing by `by`, the medical
    deadlines expected to be missed; for the current plan and each what-if beside it (docs/forecast.md).

    `at` goes with `add_vehicles` only, and a what-if `window` opens and closes at different times of the day
    (else 422 naming it). No plan yet: 409. `second_corridor` names gathering points and `checkpoint_rate`
    checkpoints of this operation (an unknown one: 404; a gathering point where nobody waits: 409)."""
    f = svc.forecast
    whatifs = f.changes(add_vehicles=add_vehicles, at=at, second_corridor=second_corridor, window=window,
                        checkpoint_rate=checkpoint_rate)
    return f.forecast(rt, runs=runs, seed=seed, by=f.parse_time(by, "by"), at=f.parse_time(as_of, "as_of"),
                      disruption=disruption, whatifs=whatifs)
