"""Registering: households one by one or in a batch, lists imported, tokens looked up."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from .. import service as svc
from ..domain.errors import BadInput, Forbidden
from ..domain.permissions import Permission
from ..service.access import require_site
from .auth import Require, Viewer
from .deps import CREATED, MetaOf, Rt, answer, fields
from .schemas import HouseholdBatch, HouseholdIn, Receipt, ReceiptBatch, Token

router = APIRouter(tags=["registering"])
IMPORT_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "kobo-json": ".json", "kobo-csv": ".csv"}
# a name to look for holds a consonant, Latin or Arabic (names are matched by the sound of their consonants)
LETTER = "[B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z\\u0628-\\u063a\\u0641-\\u064a]"  # one that sounds


@router.post("/households", response_model=Receipt, dependencies=[Require(Permission.REGISTER)], **CREATED)
def register(body: HouseholdIn, response: Response, rt: Rt, meta: MetaOf):
    require_site(meta.principal, Permission.REGISTER, body.gathering_point, "gathering_point")
    return answer(svc.registration.register_household(rt, meta(body), fields(body)), response)


@router.post("/households/batch", response_model=ReceiptBatch, dependencies=[Require(Permission.REGISTER)],
             **CREATED)
def register_batch(body: HouseholdBatch, response: Response, rt: Rt, meta: MetaOf):
    for i, h in enumerate(body.households):
        require_site(meta.principal, Permission.REGISTER, h.gathering_point, f"households[{i}].gathering_point")
    items = [(meta.item(h, h.command_id), fields(h, "command_id")) for h in body.households]
    receipts = svc.registration.register_households(rt, items)
    if all(x.replayed for x in receipts):
        response.status_code = 200
    return {"receipts": [x.as_dict() for x in receipts]}


def _mapping(mapping: str | None) -> dict | None:
    import json

    try:
        columns = json.loads(mapping) if mapping else None
    except json.JSONDecodeError:
        raise BadInput("mapping: not a JSON object", field="mapping") from None
    return columns


@router.post("/import", dependencies=[Require(Permission.REGISTER)], **CREATED)
async def import_list(request: Request, response: Response, rt: Rt, meta: MetaOf,
                      format: Literal["csv", "xlsx", "kobo-json", "kobo-csv"] = Query(..., description="the file's "
                                                                                       "format"),
                      sheet: str | None = Query(None),
                      mapping: str | None = Query(None, description="JSON object: file header -> corridor field"),
                      encoding: str | None = Query(None, description="the file's text encoding, e.g. cp1256"),
                      source: str = Query("", description="a label keeping unrelated lists' household keys apart"),
                      apply_corrections: bool = Query(False, description="apply the changes of households "
                                                      "imported before from the same source")):
    """Import a list sent as the request body; refused whole (every bad row listed) or recorded whole.

    An account limited to sites may not import (a list spans gathering points): it registers household by household
    or in batches, which are checked site by site."""
    if meta.principal.sites:
        raise Forbidden("import: an account limited to sites registers households one by one or in batches",
                        permission=Permission.REGISTER.value, site=", ".join(meta.principal.sites))
    import tempfile
    from pathlib import Path

    from starlette.concurrency import run_in_threadpool

    suffix = IMPORT_SUFFIX.get(format)
    if suffix is None:
        raise BadInput("format: expected csv, xlsx, kobo-json or kobo-csv", field="format")
    columns = _mapping(mapping)
    who = meta()
    body = await request.body()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(body)
        if format.startswith("kobo"):
            report = await run_in_threadpool(svc.importing.import_kobo, rt, path, actor=who.actor, device=who.device,
                                             encoding=encoding)
        else:
            report = await run_in_threadpool(svc.importing.import_table, rt, path, mapping=columns, sheet=sheet,
                                             actor=who.actor, device=who.device, encoding=encoding, source=source,
                                             apply_corrections=apply_corrections)
    response.status_code = 201 if report.added or report.corrected else 200
    return asdict(report)


@router.get("/households", dependencies=[Require(Permission.LOOKUP)])
def find_households(rt: Rt, viewer: Viewer, name: str = Query(..., max_length=200, json_schema_extra={
                        "pattern": LETTER}, description="a name or part of "
                                                                "one, in Arabic or Latin letters (matched by sound)"),
                    limit: int = Query(20, ge=1, le=500)):
    """Households with a member of that name, at the account's sites (the search is written to the access log)."""
    return svc.registration.find_by_name(rt, name, viewer=viewer, limit=limit)


@router.get("/tokens/{token}", dependencies=[Require(Permission.LOOKUP)])
def lookup(token: Token, rt: Rt, viewer: Viewer):
    return svc.registration.describe(rt, token, viewer=viewer)


@router.get("/tokens/{token}/qr.svg", dependencies=[Require(Permission.LOOKUP)],
            responses={200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}}})
def qr(token: Token, rt: Rt, viewer: Viewer):
    from ..formats.qr import token_svg

    return Response(token_svg(svc.registration.describe(rt, token, viewer=viewer)["token"]),
                    media_type="image/svg+xml")
