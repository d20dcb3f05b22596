"""Setting up: the operation, sites, legs, vehicles, the corridor's terms, a vehicle withdrawn."""

from __future__ import annotations

from fastapi import APIRouter, Response

from .. import service as svc
from ..domain.permissions import Permission
from .auth import Require
from .deps import CREATED, MetaOf, Rt, answer, fields
from .schemas import Code, CorridorRulesIn, LegIn, OperationIn, Receipt, SiteIn, VehicleIn, WithdrawIn

router = APIRouter(tags=["setting up"], dependencies=[Require(Permission.SETUP)])


@router.post("/operation", response_model=Receipt, **CREATED)
def create_operation(body: OperationIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.setup.create_operation(rt, meta(body), **fields(body)), response)


@router.post("/sites", response_model=Receipt, **CREATED)
def add_site(body: SiteIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.setup.add_site(rt, meta(body), **fields(body)), response)


@router.post("/legs", response_model=Receipt, **CREATED)
def add_leg(body: LegIn, response: Response, rt: Rt, meta: MetaOf):
    """A route leg between two different sites of the operation (`origin` ≠ `destination`, else 422 naming
    `destination`; an unknown site: 404)."""
    return answer(svc.setup.add_leg(rt, meta(body), **fields(body)), response)


@router.post("/vehicles", response_model=Receipt, **CREATED)
def add_vehicle(body: VehicleIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.setup.add_vehicle(rt, meta(body), **fields(body)), response)


@router.post("/corridor-rules", response_model=Receipt, **CREATED)
def corridor_rules(body: CorridorRulesIn, response: Response, rt: Rt, meta: MetaOf):
    """The corridor's terms; each window closes after it opens (else 422 naming `windows[i].closes`)."""
    return answer(svc.setup.set_corridor_rules(rt, meta(body), **fields(body)), response)


@router.post("/vehicles/{code}/withdraw", response_model=Receipt, **CREATED)
def withdraw(code: Code, body: WithdrawIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.setup.withdraw_vehicle(rt, meta(body), code=code, reason=body.reason), response)
