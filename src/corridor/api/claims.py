"""Claims, the situation picture, the sitrep and the HXL exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import WithJsonSchema

from ..domain.claims import METRICS
from ..domain.permissions import Permission
from ..domain.values import parse_time
from ..domain.vocabulary import LANGS
from ..service import claims, exports, sitrep
from ..service import picture as pictures
from .auth import Require, Viewer
from .contract import refusals
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import Time

Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "description": "default: today"})]
Lang = Annotated[str, WithJsonSchema({"type": "string", "enum": list(LANGS)})]
SitrepFormat = Annotated[str, WithJsonSchema({"type": "string", "enum": list(sitrep.FORMATS)})]
router = APIRouter(tags=["claims and the situation picture"])
CSV = "text/csv; charset=utf-8"
Metric = Annotated[str, WithJsonSchema({"type": "string", "enum": list(METRICS)})]


class CSVResponse(StreamingResponse):
    media_type = CSV


@router.post("/claims", dependencies=[Require(Permission.CLAIMS)], **CREATED)
def record(response: Response, rt: Rt, meta: MetaOf, body: dict = Body(..., description="the claim (see the README)")):
    """Record what a source claims; the Idempotency-Key makes a resend harmless."""
    return answer(claims.record(rt, meta(), body), response)


@router.post("/claims/{claim}/correct", dependencies=[Require(Permission.CLAIMS)], **CREATED)
def correct(claim: str, response: Response, rt: Rt, meta: MetaOf,
            body: dict = Body(..., description="{claim: the corrected claim, note}")):
    body = body if isinstance(body, dict) else {}
    return answer(claims.correct(rt, meta(), claim, body.get("claim"), str(body.get("note") or "")), response)


@router.post("/claims/{claim}/withdraw", dependencies=[Require(Permission.CLAIMS)], **CREATED)
def withdraw(claim: str, response: Response, rt: Rt, meta: MetaOf, body: dict | None = Body(None)):
    reason = str(body.get("reason") or "") if isinstance(body, dict) else ""
    return answer(claims.withdraw(rt, meta(), claim, reason), response)


@router.get("/claims", dependencies=[Require(Permission.CLAIMS)])
def listing(rt: Rt, metric: Metric | None = None, source: str | None = None,
            start: Time | None = Query(None, alias="from"), end: Time | None = Query(None, alias="to"),
            withdrawn: bool = False):
    for value, name in ((start, "from"), (end, "to")):
        if value is not None:
            parse_time(value, name)
    return claims.listing(rt, metric=metric, source=source, start=start, end=end, withdrawn=withdrawn)


@router.get("/picture", dependencies=[Require(Permission.CLAIMS)])
def picture(rt: Rt, as_of: Time | None = None, known_at: Time | None = None,
            window: float | None = Query(None, description="hours", json_schema_extra={
                "exclusiveMinimum": 0, "maximum": 24 * 366}),
            tolerance: float | None = Query(None, description="a share (0.1: 10 %)", json_schema_extra={
                "minimum": 0, "exclusiveMaximum": 1})):
    return pictures.picture(rt, as_of=as_of, known_at=known_at, window_hours=window, tolerance=tolerance)


@router.get("/sitrep", dependencies=[Require(Permission.SITREP)],
            responses={200: {"description": "the report as HTML (format=html), PDF or JSON",
                             "content": {"text/html": {"schema": {"type": "string"}},
                                         "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def daily_sitrep(rt: Rt, date: Day | None = None, lang: Lang = "en", format: SitrepFormat = "html"):  # noqa: A002
    """The daily situation report: aggregates only, no name and no token."""
    out = sitrep.sitrep(rt, date, lang=lang, fmt=format)
    if format == "pdf":
        return Response(out, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="sitrep-{date or "today"}-{lang}.pdf"'})
    return out if format == "json" else HTMLResponse(out)


def _csv(chunks, name: str) -> StreamingResponse:
    return CSVResponse(chunks, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/exports/picture.csv", dependencies=[Require(Permission.CLAIMS)], response_class=CSVResponse)
def picture_csv(rt: Rt, as_of: Time | None = None, known_at: Time | None = None):
    return _csv(exports.picture_csv(rt, as_of=as_of, known_at=known_at), "picture.csv")


@router.get("/exports/claims.csv", dependencies=[Require(Permission.CLAIMS)], response_class=CSVResponse)
def claims_csv(rt: Rt, metric: Metric | None = None, source: str | None = None):
    return _csv(exports.claims_csv(rt, metric=metric, source=source), "claims.csv")


@router.get("/exports/operation.csv", dependencies=[Require(Permission.FIGURES)], response_class=CSVResponse)
def operation_csv(rt: Rt):
    return _csv(exports.operation_csv(rt), "operation.csv")


@router.get("/exports/persons.csv", dependencies=[Require(Permission.FIGURES)], response_class=CSVResponse)
def persons_csv(rt: Rt, viewer: Viewer, with_names: bool = False):
    return _csv(exports.persons_csv(rt, viewer, with_names=with_names), "persons.csv")
