"""The agreement as rules: its terms (GET, POST to set or amend), a person's category, the linked operation's
figures, and a coordinator's boarding or departure against its rules (with the reason, recorded)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from .. import service as svc
from ..domain.agreement import RATIOS
from ..domain.errors import RuleRefused
from ..domain.permissions import Permission
from .auth import Require, Viewer
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import NO_NUL, READABLE, STRICT, Body, Code, Receipt, Time, Token, TripId, count, no_nul

router = APIRouter(tags=["the agreement"])


# the agreement's own codes (domain/agreement.py): a category, an item a person declares
CategoryCode = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[a-z][a-z0-9_]{0,31}$",
                                              "description": "a category code such as civilian"})]
ItemCode = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$",
                                          "description": "an item code such as light_weapon"})]
# text as stated (the domain tidies its spaces and checks its length): something to read, no NUL character (NO_NUL)
Said = Annotated[str, AfterValidator(no_nul), WithJsonSchema({"type": "string", "pattern": READABLE, "maxLength": 200})]
Ratio = Annotated[float, WithJsonSchema({"type": "number", "minimum": RATIOS[0], "maximum": RATIOS[1]})]


class CategoryTermsIn(BaseModel):
    """One category; a field left out takes the default category's value (civilian, wounded_sick, armed_group)."""
    model_config = STRICT
    code: CategoryCode
    label_en: Said = None
    label_ar: str = Field(None, max_length=200, pattern=NO_NUL)
    civilian: bool = Field(None, description="its members count as civilians")
    destinations: list[Code] = Field(None, description="reception centres its members may go to; none: any")
    items_allowed: list[ItemCode] = Field(None, description="when listed: the only items its members may carry")
    items_excluded: list[ItemCode] = Field(None, description="items its members may not carry")
    with_civilians: bool = Field(None, description="may share a vehicle with civilians")
    order: count(0) = Field(None, description="lower leaves first")


class QuotaIn(BaseModel):
    model_config = STRICT
    period: Literal["day", "window", "total"]
    limit: count(1)
    category: CategoryCode = Field(None, description="one category (left out: everyone)")


class LinkStepIn(BaseModel):
    model_config = STRICT
    there: count(0) = Field(description="persons moved by the linked operation")
    here: count(0) = Field(description="… after which up to this many may have left here")


class LinkIn(BaseModel):
    # a ratio, or steps (at least one), not both
    model_config = STRICT | {"json_schema_extra": {"oneOf": [
        {"required": ["ratio"], "properties": {"steps": {"maxItems": 0}}},
        {"required": ["steps"], "properties": {"ratio": False, "steps": {"minItems": 1}}}]}}
    name: Said
    name_ar: str = Field(None, max_length=200, pattern=NO_NUL,
                         description="its name in Arabic, for Arabic screens and papers")
    ratio: Ratio = Field(None, description="departures here only while moved there >= ratio × moved here")
    steps: list[LinkStepIn] = Field(None, description="or a fixed schedule of steps, going up")


class TermsIn(BaseModel):
    model_config = STRICT
    categories: list[CategoryTermsIn] = Field(None, description="left out: civilian, wounded_sick, armed_group")
    default_category: CategoryCode = Field(None, description="one of the categories (left out: civilian)")
    quotas: list[QuotaIn] = None
    starts_at: Time = None
    ends_at: Time = Field(None, description="after starts_at")
    link: LinkIn = Field(None, description="the operation this one is tied to: a ratio or steps")
    note: str = Field(None, max_length=500, pattern=NO_NUL)


class AgreementIn(Body):
    terms: TermsIn
    reason: str = Field(None, max_length=500, pattern=READABLE,
                        description="why it is amended (needed once an agreement is recorded)")


class CategoryIn(Body):
    category: CategoryCode
    items: list[ItemCode] = Field([], max_length=50, description="items the person declared (e.g. light_weapon)")
    note: str = Field("", max_length=500, pattern=NO_NUL)


class ExportIncidentIn(BaseModel):
    """One of the exporting operation's vehicles attacked, burned or lost on its road (counts only)."""
    model_config = STRICT
    ref: str = Field(min_length=1, max_length=40, pattern=NO_NUL, description="its trip there")
    occurred_at: Time
    incident: Literal["attacked", "burned", "lost"]
    vehicles: count(1, 1_000_000)
    persons_affected: count(0, 1_000_000)


class ExportIn(BaseModel):
    """What `corridor agreement export` (service.agreement.export_figures) writes on the linked instance."""
    model_config = STRICT
    corridor_export: Literal["linked_figures"]
    operation: str = Field(pattern=NO_NUL)
    ledger_seq: count(0, 1_000_000_000)
    moved: count(0, 1_000_000_000)
    as_of: Time
    incidents: list[ExportIncidentIn] = Field([], max_length=10_000,
                                              description="its vehicles attacked, burned or lost on the road")


class LinkedIn(Body):
    model_config = STRICT | {"json_schema_extra": {"anyOf": [{"required": ["moved"]}, {"required": ["export"]}]}}
    moved: count(0, 1_000_000_000) = Field(None, description="persons moved so far by the linked operation (entered)")
    as_of: Time = Field(None, description="not after the time it is recorded (at)")
    note: str = Field("", max_length=500, pattern=NO_NUL)
    export: ExportIn = Field(None, description="or: another corridor instance's export of its figures")


class LinkedIncidentIn(Body):
    incident: Literal["attacked", "burned", "lost"]
    occurred_at: Time = Field(None, description="when it happened (left out: when it is recorded); not after `at`")
    vehicles: count(1, 1_000_000) = Field(1, description="vehicles of the linked operation it befell")
    persons_affected: count(0, 1_000_000) = Field(0, description="persons reported affected (hurt, missing)")
    source: str = Field("entered", min_length=1, max_length=200, pattern=READABLE,
                        description="where the report comes from")
    note: str = Field("", max_length=500, pattern=NO_NUL, description="what happened, as reported")


class OverrideBoardIn(Body):
    tokens: list[Token] = Field(min_length=1, max_length=500)
    override: str = Field(max_length=500, pattern=READABLE, description="why the agreement's rules are overridden")


class OverrideDepartIn(Body):
    override: str = Field(max_length=500, pattern=READABLE, description="why the agreement's rules are overridden")
    items: list[ItemCode] = Field([], max_length=50)


def _plain(terms: TermsIn) -> dict:
    """The terms as sent: what was left out stays out (a category takes its default's values)."""
    return terms.model_dump(exclude_unset=True)


@router.get("/agreement", dependencies=[Require(Permission.FIGURES)])
def show(rt: Rt):
    return svc.agreement.show(rt)


@router.post("/agreement", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)], **CREATED)
def record(body: AgreementIn, response: Response, rt: Rt, meta: MetaOf):
    """Set the agreement (no `reason`) or amend it (`reason` needed once one is recorded, else 409).

    Rules between the terms' fields, each refused 422 naming it: a category's `code` is listed once;
    `default_category` and a quota's `category` name one of the agreement's categories (those listed, and always
    civilian, wounded_sick and armed_group); `ends_at` is after `starts_at`; a link's steps go up (more moved there,
    no fewer here)."""
    recorded = svc.agreement.current_terms(rt) is not None
    if not recorded and body.reason is None:
        return answer(svc.agreement.set_agreement(rt, meta(body), terms=_plain(body.terms)), response)
    if body.reason is None:  # the same body sets the first agreement: refused now, not malformed
        raise RuleRefused("reason: an agreement is recorded already; say why it is amended (1–500 characters)",
                          field="reason")
    return answer(svc.agreement.amend_agreement(rt, meta(body), terms=_plain(body.terms), reason=body.reason),
                  response)


@router.post("/persons/{token}/category", response_model=Receipt, dependencies=[Require(Permission.CATEGORY)],
             **CREATED)
def category(token: Token, body: CategoryIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.agreement.set_category(rt, meta(body), token=token, category=body.category, items=body.items,
                                             note=body.note), response)


@router.get("/persons/{token}/category", dependencies=[Require(Permission.CATEGORY)])
def category_read(token: Token, rt: Rt, viewer: Viewer):
    """A person's category under the agreement and the items they declared (none set: the default category).
    Protection-sensitive: coordinators and protection officers only; each read is written to the access log."""
    return svc.agreement.person_category(rt, token, viewer=viewer)


@router.post("/agreement/linked", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)], **CREATED)
def linked(body: LinkedIn, response: Response, rt: Rt, meta: MetaOf):
    """The linked operation's figure: `moved` as of `as_of`, or another corridor instance's `export`.

    `as_of` is not after the time the figure is recorded: after the `at` sent, 422 naming `as_of`; after now (no
    `at`), refused by the clock now, 409."""
    if body.export is not None:
        return answer(svc.agreement.import_figures(rt, meta(body), body.export.model_dump()), response)
    return answer(svc.agreement.record_linked_figures(rt, meta(body), moved=body.moved, as_of=body.as_of,
                                                      note=body.note), response)


@router.post("/agreement/linked-incidents", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)],
             **CREATED)
def linked_incident(body: LinkedIncidentIn, response: Response, rt: Rt, meta: MetaOf):
    """An incident of the linked operation as reported (its vehicles attacked, burned or lost on its road): shown
    with the link's state (GET /api/status, /api/agreement) and as an alarm."""
    return answer(svc.linked.record_incident(rt, meta(body), incident=body.incident, occurred_at=body.occurred_at,
                                             vehicles=body.vehicles, persons_affected=body.persons_affected,
                                             source=body.source, note=body.note), response)


@router.post("/trips/{trip}/board-override", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)],
             **CREATED)
def board_override(trip: TripId, body: OverrideBoardIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.movement.board(rt, meta(body), trip=trip, tokens=body.tokens, override=body.override), response)


@router.post("/trips/{trip}/depart-override", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)],
             **CREATED)
def depart_override(trip: TripId, body: OverrideDepartIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.movement.depart(rt, meta(body), trip=trip, override=body.override, items=body.items), response)
