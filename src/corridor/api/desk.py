"""The field desks' JSON answers (the screens themselves are in web/desk): a boarding scan turned into one plain
answer. Each scan carries the Idempotency-Key the device gave it when it was made, so a scan kept offline and sent
later (or twice) is recorded once."""

from __future__ import annotations

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field

from ..domain.permissions import Permission
from ..domain.values import parse_time
from ..service import desk
from .auth import Require
from .deps import MetaOf, Rt
from .schemas import STRICT, Time

router = APIRouter(tags=["field desks"])


class ScanIn(BaseModel):
    model_config = STRICT
    token: str = Field(min_length=1, max_length=40, description="a person's or household's token, as scanned")
    force: bool = Field(False, description="board onto this trip although the person is assigned to another")
    at: Time | None = Field(None, description="when the scan was made (a scan kept offline is sent later)")


class ScanAnswer(BaseModel):
    outcome: str = Field(description=" | ".join(desk.OUTCOMES))
    token: str
    trip: str
    right_trip: str | None = Field(None, description="wrong trip: the one the person is assigned to; aboard "
                                                     "elsewhere: the one they are on")
    persons: list[str] | None = None
    detail: str | None = None
    replayed: bool | None = None
    seq: int | None = None
    since: str | None = None
    site: str | None = None
    state: str | None = None
    field: str | None = None


@router.post("/desk/trips/{trip}/scan", response_model=ScanAnswer, response_model_exclude_none=True,
             dependencies=[Require(Permission.BOARD, verified_in_command=True)])
async def boarding_scan(trip: str, body: ScanIn, response: Response, rt: Rt, meta: MetaOf):
    """A scan at the boarding desk: 201 when it boarded someone now, else 200 with the outcome and what to do."""
    # awaited on the event loop as the board route is: one job of the write queue reads what the desk needs to
    # answer and boards, in one transaction; the sender's token is verified again there
    if body.at is not None:
        parse_time(body.at, "at")  # a malformed time is refused whatever the scan's outcome
    answer = await desk.scan_async(rt, meta(body), meta.principal, trip=trip, token=body.token, force=body.force)
    response.status_code = scan_status(answer)
    response.headers["Cache-Control"] = "no-store"
    return answer


def scan_status(answer: dict) -> int:
    """201 when the scan boarded someone now, else 200 (the boarding lane answers the same: api/lane.py)."""
    return 201 if answer["outcome"] == desk.ACCEPTED and not answer.get("replayed") else 200


class CheckAnswer(BaseModel):
    errors: list[dict] = Field(description="every problem found, each {field, detail}; none: it would be accepted")


@router.post("/desk/households/check", response_model=CheckAnswer, dependencies=[Require(Permission.REGISTER)])
def check_household(rt: Rt, household: dict = Body(..., description="a household as POST /api/households takes it")):
    """The registration rules applied to a household being typed, recording nothing (the desk shows each problem
    beside its field before the household is sent)."""
    return {"errors": desk.check_household(rt, household)}
