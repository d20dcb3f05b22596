"""The same person registered twice: the candidate pairs, the check, merge, dismiss, undo."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Response

from .. import service as svc
from ..domain.permissions import Permission
from .auth import Require, Viewer
from .deps import CREATED, MetaOf, Rt, answer
from .schemas import MergeIn, PairIn, Receipt

PairStatus = Literal["open", "merged", "dismissed"]
router = APIRouter(prefix="/duplicates", tags=["duplicates"], dependencies=[Require(Permission.DUPLICATES)])


@router.get("")
def duplicate_pairs(rt: Rt, viewer: Viewer,
                    status: list[PairStatus] = Query(["open"], description="which pairs"),
                    limit: int | None = Query(None, ge=1, le=100_000,
                                              description="at most this many pairs, the highest score first "
                                                          "(`total` says how many there are)")):
    return svc.duplicates.candidates(rt, viewer=viewer, statuses=tuple(status), limit=limit)


@router.post("/check", response_model=Receipt, **CREATED)
def check_duplicates(response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.duplicates.check(rt, meta()), response)


@router.post("/merge", response_model=Receipt, **CREATED)
def merge_duplicates(body: MergeIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.duplicates.merge(rt, meta(body), kept=body.kept, duplicate=body.duplicate, note=body.note,
                                       force=body.force), response)


@router.post("/dismiss", response_model=Receipt, **CREATED)
def dismiss_duplicates(body: PairIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.duplicates.dismiss(rt, meta(body), a=body.a, b=body.b, note=body.note), response)


@router.post("/undo", response_model=Receipt, **CREATED)
def undo_duplicates(body: PairIn, response: Response, rt: Rt, meta: MetaOf):
    return answer(svc.duplicates.undo(rt, meta(body), a=body.a, b=body.b, note=body.note), response)
