"""The HTTP API: a thin layer over the services, one route per use case."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, FastAPI, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from .. import service as svc
from ..domain.errors import BadInput, NotFound
from ..domain.values import TripState, parse_enum
from ..service.recording import Meta, Receipt
from ..service.runtime import Runtime
from . import problems
from .schemas import (
    CheckpointIn, CorridorRulesIn, HaltIn, HouseholdBatch, HouseholdIn, LegIn, MergeIn, NoteIn, OperationIn, PairIn, SiteIn, TokensIn,
    VehicleIn, WithdrawIn,
)
from .schemas import Receipt as ReceiptOut
from .schemas import ScanInReceipt


def _meta(body, key: str | None, actor: str | None, device: str | None) -> Meta:
    return Meta(command_id=key, actor=actor or "api", device=device or "unknown", at=getattr(body, "at", None))


def _answer(receipt: Receipt, response: Response) -> dict:
    response.status_code = 200 if receipt.replayed else 201
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return receipt.as_dict()


def _fields(body, *skip: str) -> dict:
    return body.model_dump(exclude={"at", *skip})


def api_router(rt: Runtime) -> APIRouter:
    r = APIRouter(prefix="/api")
    key = Header(None, alias="Idempotency-Key", description="the client's id for this command; a resend is absorbed")
    actor = Header(None, alias="X-Actor")
    device = Header(None, alias="X-Device")
    created = {"response_model": ReceiptOut, "status_code": 201}

    # --- setting up ---------------------------------------------------------------
    @r.post("/operation", **created)
    def create_operation(body: OperationIn, response: Response, k: str | None = key, a: str | None = actor,
                         d: str | None = device):
        return _answer(svc.setup.create_operation(rt, _meta(body, k, a, d), **_fields(body)), response)

    @r.post("/sites", **created)
    def add_site(body: SiteIn, response: Response, k: str | None = key, a: str | None = actor, d: str | None = device):
        return _answer(svc.setup.add_site(rt, _meta(body, k, a, d), **_fields(body)), response)

    @r.post("/legs", **created)
    def add_leg(body: LegIn, response: Response, k: str | None = key, a: str | None = actor, d: str | None = device):
        return _answer(svc.setup.add_leg(rt, _meta(body, k, a, d), **_fields(body)), response)

    @r.post("/vehicles", **created)
    def add_vehicle(body: VehicleIn, response: Response, k: str | None = key, a: str | None = actor,
                    d: str | None = device):
        return _answer(svc.setup.add_vehicle(rt, _meta(body, k, a, d), **_fields(body)), response)

    # --- registering ----------------------------------------------------------------
    @r.post("/households", **created)
    def register(body: HouseholdIn, response: Response, k: str | None = key, a: str | None = actor,
                 d: str | None = device):
        return _answer(svc.registration.register_household(rt, _meta(body, k, a, d), _fields(body)), response)

    @r.post("/households/batch", status_code=201)
    def register_batch(body: HouseholdBatch, response: Response, a: str | None = actor, d: str | None = device):
        items = [(_meta(h, h.command_id, a, d), _fields(h, "command_id")) for h in body.households]
        receipts = svc.registration.register_households(rt, items)
        if all(x.replayed for x in receipts):
            response.status_code = 200
        return {"receipts": [x.as_dict() for x in receipts]}

    @r.post("/import", status_code=201)
    async def import_list(request: Request, response: Response,
                          format: str = Query(..., description="csv, xlsx, kobo-json or kobo-csv"),
                          sheet: str | None = Query(None), mapping: str | None = Query(
                              None, description='JSON object: file header -> corridor field'),
                          a: str | None = actor, d: str | None = device):
        """Import a list sent as the request body; refused whole (every bad row listed) or recorded whole."""
        import json
        import tempfile
        from pathlib import Path

        from starlette.concurrency import run_in_threadpool

        suffix = {"csv": ".csv", "xlsx": ".xlsx", "kobo-json": ".json", "kobo-csv": ".csv"}.get(format)
        if suffix is None:
            raise BadInput("format: expected csv, xlsx, kobo-json or kobo-csv", field="format")
        try:
            columns = json.loads(mapping) if mapping else None
        except json.JSONDecodeError:
            raise BadInput("mapping: not a JSON object", field="mapping") from None
        body = await request.body()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(body)
            if format.startswith("kobo"):
                report = await run_in_threadpool(svc.importing.import_kobo, rt, path, actor=a or "api",
                                                 device=d or "unknown")
            else:
                report = await run_in_threadpool(svc.importing.import_table, rt, path, mapping=columns,
                                                 sheet=sheet, actor=a or "api", device=d or "unknown")
        response.status_code = 201 if report.added else 200
        return asdict(report)

    @r.get("/tokens/{token}")
    def lookup(token: str):
        return svc.registration.describe(rt, token)

    @r.get("/tokens/{token}/qr.svg")
    def qr(token: str):
        from ..formats.qr import token_svg

        return Response(token_svg(svc.registration.describe(rt, token)["token"]), media_type="image/svg+xml")

    # --- duplicates -----------------------------------------------------------------
    @r.get("/duplicates")
    def duplicate_pairs(status: list[str] = Query(["open"], description="open, merged, dismissed")):
        return svc.duplicates.candidates(rt, statuses=tuple(status))

    @r.post("/duplicates/check", **created)
    def check_duplicates(response: Response, a: str | None = actor, d: str | None = device):
        return _answer(svc.duplicates.check(rt, _meta(None, None, a, d)), response)

    @r.post("/duplicates/merge", **created)
    def merge_duplicates(body: MergeIn, response: Response, k: str | None = key, a: str | None = actor,
                         d: str | None = device):
        return _answer(svc.duplicates.merge(rt, _meta(body, k, a, d), kept=body.kept, duplicate=body.duplicate,
                                            note=body.note), response)

    @r.post("/duplicates/dismiss", **created)
    def dismiss_duplicates(body: PairIn, response: Response, k: str | None = key, a: str | None = actor,
                           d: str | None = device):
        return _answer(svc.duplicates.dismiss(rt, _meta(body, k, a, d), a=body.a, b=body.b, note=body.note),
                       response)

    @r.post("/duplicates/undo", **created)
    def undo_duplicates(body: PairIn, response: Response, k: str | None = key, a: str | None = actor,
                        d: str | None = device):
        return _answer(svc.duplicates.undo(rt, _meta(body, k, a, d), a=body.a, b=body.b, note=body.note), response)

    # --- planning -------------------------------------------------------------------
    @r.post("/plan", **created)
    def plan(response: Response, body: NoteIn | None = None, k: str | None = key, a: str | None = actor,
             d: str | None = device):
        return _answer(svc.planning.plan(rt, _meta(body, k, a, d)), response)

    # --- running --------------------------------------------------------------------
    @r.post("/trips/{trip}/board", **created)
    def board(trip: str, body: TokensIn, response: Response, k: str | None = key, a: str | None = actor,
              d: str | None = device):
        return _answer(svc.movement.board(rt, _meta(body, k, a, d), trip=trip, tokens=body.tokens), response)

    @r.post("/trips/{trip}/depart", **created)
    def depart(trip: str, response: Response, body: NoteIn | None = None, k: str | None = key,
               a: str | None = actor, d: str | None = device):
        return _answer(svc.movement.depart(rt, _meta(body, k, a, d), trip=trip), response)

    @r.post("/trips/{trip}/checkpoints/{checkpoint}", **created)
    def pass_checkpoint(trip: str, checkpoint: str, response: Response, body: CheckpointIn | None = None,
                        k: str | None = key, a: str | None = actor, d: str | None = device):
        off = [t.model_dump() for t in body.taken_off] if body else []
        return _answer(svc.movement.pass_checkpoint(rt, _meta(body, k, a, d), trip=trip, checkpoint=checkpoint,
                                                    taken_off=off), response)

    @r.post("/trips/{trip}/arrive", **created)
    def arrive(trip: str, response: Response, body: NoteIn | None = None, k: str | None = key,
               a: str | None = actor, d: str | None = device):
        return _answer(svc.movement.arrive(rt, _meta(body, k, a, d), trip=trip), response)

    @r.post("/trips/{trip}/scan-in", response_model=ScanInReceipt, status_code=201)
    def scan_in(trip: str, body: TokensIn, response: Response, k: str | None = key, a: str | None = actor,
                d: str | None = device):
        receipt = svc.movement.scan_in(rt, _meta(body, k, a, d), trip=trip, tokens=body.tokens)
        # protection: the children among them, who they belong with, and whether those people are here
        return {**_answer(receipt, response), "children": svc.protection.at_reception(rt, receipt.data["persons"])}

    @r.post("/trips/{trip}/close", **created)
    def close(trip: str, response: Response, body: NoteIn | None = None, k: str | None = key,
              a: str | None = actor, d: str | None = device):
        return _answer(svc.movement.close(rt, _meta(body, k, a, d), trip=trip), response)

    @r.post("/persons/{token}/release", **created)
    def release(token: str, response: Response, body: NoteIn | None = None, k: str | None = key,
                a: str | None = actor, d: str | None = device):
        note = body.note if body else ""
        return _answer(svc.movement.release(rt, _meta(body, k, a, d), token=token, note=note), response)

    @r.post("/halt", **created)
    def halt(body: HaltIn, response: Response, k: str | None = key, a: str | None = actor, d: str | None = device):
        return _answer(svc.movement.halt(rt, _meta(body, k, a, d), cause=body.cause, note=body.note), response)

    @r.post("/resume", status_code=201)
    def resume(response: Response, body: NoteIn | None = None, k: str | None = key, a: str | None = actor,
               d: str | None = device):
        note = body.note if body else ""
        outcome = svc.planning.resume(rt, _meta(body, k, a, d), note=note)
        answer = _answer(outcome["resumed"], response)
        answer["replan"] = outcome["plan"].as_dict() if outcome["plan"] else None
        answer["replan_refused"] = outcome["plan_refused"]
        return answer

    # --- looking --------------------------------------------------------------------
    @r.get("/status")
    def status():
        return svc.reports.status(rt)

    @r.get("/trips")
    def trips(state: list[str] | None = Query(None, description="only trips in these states")):
        states = [parse_enum(TripState, s, "state") for s in state] if state else None
        return svc.reports.trips(rt, states)

    @r.get("/trips/{trip}")
    def trip(trip: str):
        found = svc.reports.trip_detail(rt, trip)
        if found is None:
            raise NotFound(f"trip: no trip {trip!r} in this operation", field="trip")
        return found

    @r.get("/reconciliation")
    def reconciliation():
        return svc.reports.reconcile(rt)

    @r.get("/timeline")
    def timeline():
        return svc.reports.timeline(rt)

    @r.post("/corridor-rules", **created)
    def corridor_rules(body: CorridorRulesIn, response: Response, k: str | None = key, a: str | None = actor,
                       d: str | None = device):
        return _answer(svc.setup.set_corridor_rules(rt, _meta(body, k, a, d), **_fields(body)), response)

    @r.post("/vehicles/{code}/withdraw", **created)
    def withdraw(code: str, body: WithdrawIn, response: Response, k: str | None = key, a: str | None = actor,
                 d: str | None = device):
        return _answer(svc.setup.withdraw_vehicle(rt, _meta(body, k, a, d), code=code, reason=body.reason), response)

    @r.get("/protection/children")
    def children(all_children: bool = Query(False, alias="all", description="every child, not only those flagged")):
        return svc.protection.children(rt, flagged_only=not all_children)

    @r.get("/setup")
    def setup():
        return svc.reports.setup(rt)

    @r.get("/verify")
    def verify():
        result = svc.reports.verify(rt)
        return JSONResponse(asdict(result), status_code=200 if result.ok else 409)

    return r


def create_app(rt: Runtime) -> FastAPI:
    app = FastAPI(title="corridor", version="0.1.0",
                  description="Plan, run and account for the evacuation of civilians.")
    problems.install(app)
    app.include_router(api_router(rt))
    from ..web.routes import install as install_web

    install_web(app, rt)
    return app
