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
from .schemas import HouseholdBatch, HouseholdIn, Receipt, ReceiptBatch, Token, text_pattern

router = APIRouter(tags=["registering"])
IMPORT_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "kobo-json": ".json", "kobo-csv": ".csv"}


@router.post("/households", response_model=Receipt, dependencies=[Require(Permission.REGISTER)], **CREATED)
def register(body: HouseholdIn, response: Response, rt: Rt, meta: MetaOf):
    """Register a household at a gathering point.

    Rules between fields, each refused 422 naming it (`persons[i].…`): a household has at most one head; each
    person has a name in Arabic script (`name_ar`, holding Arabic letters) or in Latin letters (`name_latin`,
    holding Latin letters) or both, made of letters, marks, digits, punctuation and spaces (no symbol, control or
    invisible character; at most 200 characters once its spaces are folded); `birth_year` within the last 120
    years and `birth_date` not in the future, as of the registration's time (`at`, or now), and in `birth_year`
    when both are given; `medical_notes` without control characters, at most 1,000 characters; no more
    `person_tokens` than persons, and a person not linked to themselves. An unknown site or linked person: 404; a
    pre-printed token in use, or a site of another kind: 409."""
    require_site(meta.principal, Permission.REGISTER, body.gathering_point, "gathering_point")
    return answer(svc.registration.register_household(rt, meta(body), fields(body)), response)


@router.post("/households/batch", response_model=ReceiptBatch, dependencies=[Require(Permission.REGISTER)],
             **CREATED)
def register_batch(body: HouseholdBatch, response: Response, rt: Rt, meta: MetaOf):
    """Register households all or nothing, each by the rules of POST /api/households. Refused whole with every
    item's refusal in `errors`: 422 when an item is malformed, else 409 when one is refused now, else 404."""
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


# the list's file is the request's body, as it is (no multipart): its format is the `format` parameter's (the
# server reads no Content-Type: an XLSX workbook is sent as octet-stream)
IMPORT_BODY = {"requestBody": {"required": True, "description": "the list's file: a CSV or XLSX table (a row per "
                               "person, a household column; mapping renames its headers), a KoboToolbox/ODK export "
                               "(JSON, or CSV). Its content is checked whole: a refusal lists every bad row.",
                               "content": {"text/csv": {"schema": {"type": "string", "minLength": 1}},
                                           "application/octet-stream": {"schema": {"type": "string",
                                                                                   "format": "binary"}},
                                           "application/json": {"schema": {"type": ["array", "object"]}}}}}


@router.post("/import", dependencies=[Require(Permission.REGISTER)], openapi_extra=IMPORT_BODY, **CREATED)
async def import_list(request: Request, response: Response, rt: Rt, meta: MetaOf,
                      format: Literal["csv", "xlsx", "kobo-json", "kobo-csv"] = Query(..., description="the file's "
                                                                                       "format"),
                      sheet: str | None = Query(None),
                      mapping: str | None = Query(None, description="JSON object: file header -> corridor field"),
                      encoding: str | None = Query(None, description="the file's text encoding, e.g. cp1256"),
                      source: str = Query("", description="a label keeping unrelated lists' household keys apart"),
                      apply_corrections: bool = Query(False, description="apply the changes of households "
                                                      "imported before from the same source")):
    """Import a list sent as the request body; refused whole (every bad row listed, 422) or recorded whole (201; 200
    when nothing in it is new). `mapping` names the file's own headers, `sheet` one of its sheets, `encoding` its
    text encoding: each must fit the file sent.

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


NAME_SOUGHT = ("a name or part of one, in Arabic or Latin letters or both, matched by the sound of its consonants: "
               "a text with none that sounds (vowels only, as the name Aya; digits) finds nobody")


@router.get("/households", dependencies=[Require(Permission.LOOKUP)])
def find_households(rt: Rt, viewer: Viewer,
                    name: str = Query(..., max_length=200, pattern=text_pattern(), description=NAME_SOUGHT),
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
