"""The agreement as rules: its terms (GET, POST to set or amend), a person's category, the linked operation's
figures, and a coordinator's boarding or departure against its rules (with the reason, recorded)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from .. import service as svc
from ..domain.permissions import Permission
from .auth import Require
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import Body, Receipt

router = APIRouter(tags=["the agreement"])


class AgreementIn(Body):
    terms: dict = Field(description="categories, default_category, quotas, starts_at, ends_at, link, note")
    reason: str | None = Field(None, description="why it is amended (needed once an agreement is recorded)")


class CategoryIn(Body):
    category: str
    items: list[str] = Field([], max_length=50, description="items the person declared (e.g. light_weapon)")
    note: str = ""


class LinkedIn(Body):
    moved: int | None = Field(None, description="persons moved so far by the linked operation (entered)")
    as_of: str | None = None
    note: str = ""
    export: dict | None = Field(None, description="or: another corridor instance's export of its figures")


class OverrideBoardIn(Body):
    tokens: list[str] = Field(min_length=1, max_length=500)
    override: str = Field(description="why the agreement's rules are overridden")


class OverrideDepartIn(Body):
    override: str = Field(description="why the agreement's rules are overridden")
    items: list[str] = Field([], max_length=50)


@router.get("/agreement", dependencies=[Require(Permission.FIGURES)])
def show(rt: Rt):
    return svc.agreement.show(rt)


@router.post("/agreement", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)], **CREATED)
def record(body: AgreementIn, response: Response, rt: Rt, meta: MetaOf):
    if svc.agreement.current_terms(rt) is None and body.reason is None:
        return answer(svc.agreement.set_agreement(rt, meta(body), terms=body.terms), response)
    return answer(svc.agreement.amend_agreement(rt, meta(body), terms=body.terms, reason=body.reason or ""), response)


@router.post("/persons/{token}/category", response_model=Receipt, dependencies=[Require(Permission.CATEGORY)],
             **CREATED)
def category(token: str, body: CategoryIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.agreement.set_category(rt, meta(body), token=token, category=body.category, items=body.items,
                                             note=body.note), response)


@router.post("/agreement/linked", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)], **CREATED)
def linked(body: LinkedIn, response: Response, rt: Rt, meta: MetaOf):
    if body.export is not None:
        return answer(svc.agreement.import_figures(rt, meta(body), body.export), response)
    return answer(svc.agreement.record_linked_figures(rt, meta(body), moved=body.moved, as_of=body.as_of,
                                                      note=body.note), response)


@router.post("/trips/{trip}/board-override", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)],
             **CREATED)
def board_override(trip: str, body: OverrideBoardIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.movement.board(rt, meta(body), trip=trip, tokens=body.tokens, override=body.override), response)


@router.post("/trips/{trip}/depart-override", response_model=Receipt, dependencies=[Require(Permission.AGREEMENT)],
             **CREATED)
def depart_override(trip: str, body: OverrideDepartIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.movement.depart(rt, meta(body), trip=trip, override=body.override, items=body.items), response)
