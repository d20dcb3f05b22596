"""Planning and running: plan, board, depart, pass a checkpoint, arrive, scan in, close, release, halt, resume."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from .. import service as svc
from ..service import plan_report
from ..domain.permissions import Permission
from ..service.access import require_trip
from .auth import Require
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import (CheckpointIn, Code, DepartIn, HaltIn, NoteIn, PlanReceipt, Receipt, ScanInReceipt, Token,
                      TokensIn, TripId)

router = APIRouter(tags=["planning and running"])


def _plan_answer(rt, receipt, response: Response | None = None) -> dict:
    """A plan's receipt with the medical deadlines it misses, described and urgent first."""
    body = answer(receipt, response) if response is not None else receipt.as_dict()
    return {**body, "missed_deadlines": plan_report.missed_in(rt, receipt.data)}


@router.post("/plan", response_model=PlanReceipt, dependencies=[Require(Permission.PLAN)], **CREATED)
def plan(response: Response, rt: Rt, meta: MetaOf, body: NoteIn | None = None):
    return _plan_answer(rt, svc.planning.plan(rt, meta(body)), response)


@router.post("/trips/{trip}/board", response_model=Receipt,
             dependencies=[Require(Permission.BOARD, verified_in_command=True)], **CREATED)
async def board(trip: TripId, body: TokensIn, response: Response, rt: Rt, meta: MetaOf):
    # the surge route: awaited on the event loop, no thread held while the scan waits for its group's commit
    if meta.principal.sites:  # an account limited to sites: the trip's ends are read (off the event loop)
        await run_in_threadpool(require_trip, rt, meta.principal, Permission.BOARD, trip)
    return answer(await svc.movement.board_async(rt, meta(body), trip=trip, tokens=body.tokens), response)


@router.post("/trips/{trip}/depart", response_model=Receipt, dependencies=[Require(Permission.BOARD)], **CREATED)
def depart(trip: TripId, response: Response, rt: Rt, meta: MetaOf, body: DepartIn | None = None):
    require_trip(rt, meta.principal, Permission.BOARD, trip)
    return answer(svc.movement.depart(rt, meta(body), trip=trip, driver=body.driver if body else ""), response)


@router.post("/trips/{trip}/checkpoints/{checkpoint}", response_model=Receipt,
             dependencies=[Require(Permission.CHECKPOINT)], **CREATED)
def pass_checkpoint(trip: TripId, checkpoint: Code, response: Response, rt: Rt, meta: MetaOf,
                    body: CheckpointIn | None = None):
    require_trip(rt, meta.principal, Permission.CHECKPOINT, trip)
    off = [t.model_dump() for t in body.taken_off] if body else []
    return answer(svc.movement.pass_checkpoint(rt, meta(body), trip=trip, checkpoint=checkpoint, taken_off=off),
                  response)


@router.post("/trips/{trip}/arrive", response_model=Receipt, dependencies=[Require(Permission.RECEIVE)], **CREATED)
def arrive(trip: TripId, response: Response, rt: Rt, meta: MetaOf, body: NoteIn | None = None):
    require_trip(rt, meta.principal, Permission.RECEIVE, trip)
    return answer(svc.movement.arrive(rt, meta(body), trip=trip), response)


@router.post("/trips/{trip}/scan-in", response_model=ScanInReceipt, dependencies=[Require(Permission.RECEIVE)],
             **CREATED)
def scan_in(trip: TripId, body: TokensIn, response: Response, rt: Rt, meta: MetaOf):
    require_trip(rt, meta.principal, Permission.RECEIVE, trip)
    receipt = svc.movement.scan_in(rt, meta(body), trip=trip, tokens=body.tokens)
    # protection: the children among them, who they belong with, and whether those people are here
    children = svc.protection.at_reception(rt, receipt.data["persons"], viewer=meta.principal, trip=trip)
    return {**answer(receipt, response), "children": children}


@router.post("/trips/{trip}/close", response_model=Receipt, dependencies=[Require(Permission.RECEIVE)], **CREATED)
def close(trip: TripId, response: Response, rt: Rt, meta: MetaOf, body: NoteIn | None = None):
    require_trip(rt, meta.principal, Permission.RECEIVE, trip)
    return answer(svc.movement.close(rt, meta(body), trip=trip), response)


@router.post("/persons/{token}/release", response_model=Receipt, dependencies=[Require(Permission.RELEASE)],
             **CREATED)
def release(token: Token, response: Response, rt: Rt, meta: MetaOf, body: NoteIn | None = None):
    note = body.note if body else ""
    return answer(svc.movement.release(rt, meta(body), token=token, note=note), response)


@router.post("/halt", response_model=Receipt, dependencies=[Require(Permission.HALT)], **CREATED)
def halt(body: HaltIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.movement.halt(rt, meta(body), cause=body.cause, note=body.note), response)


@router.post("/resume", dependencies=[Require(Permission.HALT)], **CREATED)
def resume(response: Response, rt: Rt, meta: MetaOf, body: NoteIn | None = None):
    note = body.note if body else ""
    outcome = svc.planning.resume(rt, meta(body), note=note)
    result = answer(outcome["resumed"], response)
    result["replan"] = _plan_answer(rt, outcome["plan"]) if outcome["plan"] else None
    result["replan_refused"] = outcome["plan_refused"]
    return result
