"""The road: private vehicles joining a convoy, a convoy turned back, a vehicle lost on the road."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from pydantic import Field

from .. import service as svc
from ..domain.permissions import Permission
from ..service.access import require_trip
from .auth import Require
from .deps import CREATED, MetaOf, Rt, answer
from .contract import refusals
from .schemas import Day as DAY
from .schemas import (
    STRICT, Body, Code, ConvoyId, PrivateVehicleIn, Receipt, TripId, TurnBackIn, VehicleLostIn, count,
)

router = APIRouter(tags=["the road"])


def _require_convoy(rt, meta, permission: Permission, convoy: str) -> None:
    """An account limited to sites acts on a convoy through its trips (an unknown convoy: the service's 404)."""
    trip = svc.road.a_trip_of(rt, convoy)
    if trip is not None:
        require_trip(rt, meta.principal, permission, trip)


@router.post("/convoys/{convoy}/private-vehicles", response_model=Receipt, dependencies=[Require(Permission.BOARD)],
             **CREATED)
def join_private_vehicle(convoy: ConvoyId, body: PrivateVehicleIn, response: Response, rt: Rt, meta: MetaOf):
    """A private car, van or truck joins a convoy that has not left, with its occupants aboard.

    Someone is aboard and no more people than seats: 1 ≤ len(occupants) + unregistered ≤ seats (else 422 naming
    `occupants`)."""
    _require_convoy(rt, meta, Permission.BOARD, convoy)
    fields = body.model_dump(exclude={"at"})
    return answer(svc.road.join_private_vehicle(rt, meta(body), convoy=convoy, **fields), response)


@router.post("/convoys/{convoy}/turn-back", response_model=Receipt, dependencies=[Require(Permission.CHECKPOINT)],
             **CREATED)
def turn_back(convoy: ConvoyId, body: TurnBackIn, response: Response, rt: Rt, meta: MetaOf):
    """A convoy stopped at a checkpoint and sent back; its people wait to be planned again."""
    _require_convoy(rt, meta, Permission.CHECKPOINT, convoy)
    return answer(svc.road.turn_back(rt, meta(body), convoy=convoy, checkpoint=body.checkpoint, reason=body.reason),
                  response)


@router.post("/trips/{trip}/lost", response_model=Receipt, dependencies=[Require(Permission.CHECKPOINT)], **CREATED)
def vehicle_lost(trip: TripId, body: VehicleLostIn, response: Response, rt: Rt, meta: MetaOf):
    """A vehicle attacked, burned or lost on the road: everyone aboard marked for follow-up, the vehicle withdrawn."""
    require_trip(rt, meta.principal, Permission.CHECKPOINT, trip)
    return answer(svc.road.vehicle_lost(rt, meta(body), trip=trip, incident=body.incident, note=body.note,
                                        persons=[p.model_dump() for p in body.persons], others=body.others),
                  response)


def _notification_args(convoy, date, emergency, organisation, contact, staff) -> dict:
    return dict(convoy=convoy, date=date, emergency=emergency, organisation=organisation, contact=contact,
                staff=staff)


NOTIFY_DOC = ("Exactly one of `convoy` (one convoy) and `date` (one day's movements, YYYY-MM-DD, UTC): both or "
              "neither is refused 422 naming `convoy`. A day before today (the server's clock, UTC) is refused now, "
              "409; an unknown convoy, or a day without movements, 404.")


NOTIFY_REFUSALS = refusals(404, 409)  # an unknown convoy or a day without movements; a convoy no longer moving


@router.get("/notifications", dependencies=[Require(Permission.FIGURES)], description=NOTIFY_DOC,
            responses=NOTIFY_REFUSALS)
def notification(rt: Rt, convoy: Code | None = Query(None), date: str | None = Query(None, json_schema_extra=DAY),
                 emergency: bool = Query(False, description="24 h notice required instead of 48 h"),
                 organisation: str | None = Query(None, max_length=200),
                 contact: str | None = Query(None, max_length=200),
                 staff: int = Query(1, ge=0, le=20, description="staff aboard each vehicle of the fleet")):
    """A movement notification for deconfliction: no names, a warning when the notice is short."""
    return svc.notifications.notification(rt, **_notification_args(convoy, date, emergency, organisation, contact,
                                                                   staff))


class NotificationIn(Body):
    """Issue a movement notification to the parties: one convoy or one day's movements (as GET /api/notifications)."""
    model_config = STRICT | {"json_schema_extra": {"oneOf": [{"required": ["convoy"]}, {"required": ["date"]}]}}
    convoy: Code = Field(None, description="one convoy's movement")
    date: str = Field(None, json_schema_extra=DAY, description="or one day's movements (YYYY-MM-DD, UTC, today or "
                                                                "later)")
    emergency: bool = Field(False, description="24 h notice required instead of 48 h")
    organisation: str = Field(None, max_length=200)
    contact: str = Field(None, max_length=200)
    staff: count(0, 20) = Field(1, description="staff aboard each vehicle of the fleet")


@router.post("/notifications", response_model=Receipt, dependencies=[Require(Permission.NOTIFY)],
             responses=NOTIFY_REFUSALS, description=NOTIFY_DOC, **CREATED)
def issue_notification(body: NotificationIn, response: Response, rt: Rt, meta: MetaOf):
    """Issue a movement notification to the parties: recorded (NotificationIssued: what it covered, the notice it
    gave, the SHA-256 of its content; who and when). A resend with the same Idempotency-Key is absorbed."""
    receipt, _ = svc.notifications.issue(rt, meta(body), **body.model_dump(exclude={"at"}))
    return answer(receipt, response)


@router.get("/notifications/issued", dependencies=[Require(Permission.FIGURES)])
def notifications_issued(rt: Rt):
    """The movement notifications issued, in order: when, by whom, what each covered, the notice it gave and the
    SHA-256 of its content."""
    return svc.notifications.issued(rt)


@router.get("/notifications.pdf", dependencies=[Require(Permission.FIGURES)], response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}, **NOTIFY_REFUSALS}, description=NOTIFY_DOC)
def notification_pdf(rt: Rt, convoy: Code | None = Query(None), date: str | None = Query(None, json_schema_extra=DAY),
                     emergency: bool = Query(False), organisation: str | None = Query(None, max_length=200),
                     contact: str | None = Query(None, max_length=200), staff: int = Query(1, ge=0, le=20)):
    """The movement notification as an A4 PDF in English and Arabic."""
    pdf = svc.notifications.notification_pdf(rt, **_notification_args(convoy, date, emergency, organisation, contact,
                                                                       staff))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="notification.pdf"'})
