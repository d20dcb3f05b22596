"""Claims, the situation picture, the sitrep and the HXL exports."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import BaseModel, Field, WithJsonSchema

from ..domain.claims import CREDIBILITY, MAX_FIGURES, METRICS, RELIABILITY, OperationState, SourceKind
from ..domain.errors import BadInput
from ..domain.permissions import Permission
from ..domain.values import parse_time
from ..domain.vocabulary import LANGS
from ..service import claims, exports, sitrep
from ..service import picture as pictures
from .auth import Require, Viewer
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import NO_NUL, READABLE, STRICT, ClaimId, Time, Whole, count
from .schemas import Day as DAY

Day = Annotated[str, WithJsonSchema({**DAY, "description": "default: today"})]
Lang = Annotated[str, WithJsonSchema({"type": "string", "enum": list(LANGS)})]
SitrepFormat = Annotated[str, WithJsonSchema({"type": "string", "enum": list(sitrep.FORMATS)})]
router = APIRouter(tags=["claims and the situation picture"])
CSV = "text/csv; charset=utf-8"
Metric = Annotated[str, WithJsonSchema({"type": "string", "enum": list(METRICS)})]
MetricCode = Literal[tuple(METRICS)]
Figure = Annotated[Whole, Field(ge=0, le=1_000_000_000),
                   WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 1_000_000_000})]


class CSVResponse(StreamingResponse):
    media_type = CSV


# --- a claim as sent (domain.claims.parse_claim checks its meaning and words the refusal) -------------------

def _said(limit: int, required: bool = False):
    """Text as a source said it (its spaces are tidied by the domain), no NUL character; required: something to
    read."""
    return Field(..., max_length=limit, pattern=READABLE) if required else Field(None, max_length=limit, pattern=NO_NUL)


class FigureIn(BaseModel):
    """One figure: `value`, or a range `low` (and `high`, at least low); as of a time not after the claim's
    `reported_at` (left out: reported_at)."""
    model_config = STRICT | {"json_schema_extra": {"oneOf": [
        {"required": ["value"], "properties": {"low": False, "high": False}},
        {"required": ["low"], "properties": {"value": False}}]}}
    metric: MetricCode = Field(description="one of the metrics (domain/claims.py)")
    value: Figure = None
    low: Figure = Field(None, description="a range's lower end (or: more than this)")
    high: Figure = Field(None, description="a range's upper end: not below low")
    as_of: Time = Field(None, description="when the figure held: not after reported_at")
    about: str = _said(200)


class ClaimIn(BaseModel):
    """What a source claims: at least one figure or the operation's state."""
    model_config = STRICT | {"json_schema_extra": {"anyOf": [
        {"required": ["figures"], "properties": {"figures": {"minItems": 1}}},
        {"required": ["operation_state"]}]}}
    source: str = _said(200, required=True)
    source_kind: Literal[tuple(k.value for k in SourceKind)] = "other"
    outlet: str = _said(200)
    url: str = Field(None, max_length=2000, pattern="^https?://[A-Za-z0-9._~%!$&'()*+,;=:@-]+([/?#][!-~]*)?$",
                     description="where it was said: an http(s) address (its host in ASCII, IDNA for others)")
    reported_at: Time = Field(description="when the source said it; not ahead of the clock (409)")
    statement: str = _said(4000)
    reliability: Literal[tuple(RELIABILITY)] = Field("F", description="the source, A (reliable) to F (cannot "
                                                                           "be judged)")
    credibility: count(1, max(CREDIBILITY)) = Field(6, description="the information, 1 (confirmed) to 6 (cannot "
                                                                     "be judged)")
    figures: list[FigureIn] = Field(None, max_length=MAX_FIGURES)
    operation_state: Literal[tuple(s.value for s in OperationState)] = None


class CorrectionIn(BaseModel):
    model_config = STRICT
    claim: ClaimIn = Field(description="the claim as the source said it, corrected (it replaces the whole)")
    note: str = Field("", max_length=500, pattern=NO_NUL)


class WithdrawalIn(BaseModel):
    model_config = STRICT
    reason: str = Field("", max_length=500, pattern=NO_NUL, description="why: recorded in error, retracted by its "
                        "source…")


CLAIM_RULES = ("A figure's `low` is not above its `high`, and its `as_of` is not after the claim's `reported_at` "
               "(422 naming the figure's field); `reported_at` ahead of the server's clock is refused now (409).")


@router.post("/claims", dependencies=[Require(Permission.CLAIMS)], description=CLAIM_RULES, **CREATED)
def record(body: ClaimIn, response: Response, rt: Rt, meta: MetaOf):
    """Record what a source claims; the Idempotency-Key makes a resend harmless."""
    return answer(claims.record(rt, meta(), body.model_dump(exclude_unset=True)), response)


@router.post("/claims/{claim}/correct", dependencies=[Require(Permission.CLAIMS)], description=CLAIM_RULES,
             **CREATED)
def correct(claim: ClaimId, body: CorrectionIn, response: Response, rt: Rt, meta: MetaOf):
    try:
        receipt = claims.correct(rt, meta(), claim, body.claim.model_dump(exclude_unset=True), body.note)
    except BadInput as err:  # the domain names the claim's own fields: here they are inside `claim`
        if err.field and err.detail.startswith(err.field):
            err.detail, err.field = f"claim.{err.detail}", f"claim.{err.field}"
        raise
    return answer(receipt, response)


@router.post("/claims/{claim}/withdraw", dependencies=[Require(Permission.CLAIMS)], **CREATED)
def withdraw(claim: ClaimId, response: Response, rt: Rt, meta: MetaOf, body: WithdrawalIn | None = None):
    return answer(claims.withdraw(rt, meta(), claim, body.reason if body else ""), response)


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


SPREADSHEET_MARK = "\ufeff"  # UTF-8's byte-order mark: without it a spreadsheet opens Arabic as the wrong letters


def _csv(chunks, name: str) -> StreamingResponse:
    """A download opened in a spreadsheet: the mark first (HXL readers keep the hashtags; `utf-8-sig` drops it)."""
    return CSVResponse(itertools.chain([SPREADSHEET_MARK], chunks),
                       headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
