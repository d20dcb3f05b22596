"""The boarding lane: `POST /api/trips/{trip}/board` and the boarding desk's `POST /api/desk/trips/{trip}/scan`
answered without FastAPI's general machinery when the request is an ordinary scan — the surge routes, dozens of
desks at once, where routing through every route, solving the dependencies and validating the headers cost more
than deciding and recording the scan.

The routes themselves stay where they are (api/running.py, api/desk.py): they are the ones the OpenAPI document
describes, what they need is declared on them and read from there (`auth.permission_of`), and anything the lane
does not take as it stands — an account or token not remembered by this process or limited to sites, a session
without its CSRF token, a header or body the route's own validation would refuse or read differently — goes on to
the route unchanged, body included. What the lane takes it answers as the route would: the same validation model
(`TokensIn`, `ScanIn`), the same use case (`movement.board_async`, `desk.scan_async`: the token read again inside
the command's transaction), the same answer (the `Receipt`, 201, or 200 with `Idempotent-Replayed`; the desk's
`ScanAnswer` without its empty fields, 201 or 200, `Cache-Control: no-store`), the same problem+json refusal
(`problems.refusal`). Behind the same
guard (api/limits.py): body limits and the answer to an unexpected error are the guard's, as for every route;
and outside the rest of the app's middleware, which a scan would only pass through."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.errors import CorridorError
from ..domain.values import parse_time
from ..service import accounts, desk, movement
from .auth import declared_routes, remembered_principal
from .deps import MetaFactory, answer
from .desk import ScanAnswer, ScanIn, scan_status
from .limits import Guard
from .problems import refusal
from .schemas import KEY_PATTERN, Receipt, TokensIn

BOARD = "/api/trips/{trip}/board"
DESK_SCAN = "/api/desk/trips/{trip}/scan"  # the boarding desk's screen: the same scan, answered in plain words
_TRIP = "corridor.lane.trip"  # the trip in the path, as the route's pattern reads it
_ROUTE = "corridor.lane.route"  # which of the two routes the request is for
_RECEIPT = TypeAdapter(Receipt)  # the route's response model, serialised as FastAPI does (straight to JSON bytes)
_DESK_ANSWER = TypeAdapter(ScanAnswer)
_KEY = re.compile(KEY_PATTERN)
_READ = frozenset({b"content-type", b"content-length", b"transfer-encoding", b"idempotency-key", b"authorization",
                   b"cookie", b"x-device", b"origin", b"referer", b"x-csrf-token", b"x-forwarded-proto"})
# the headers the routes (or their requirement) read: a request sending one of them twice is left to the route


class BoardingLane:
    """The outermost layer of the app's middleware (`LanedAPI`): a boarding scan goes through the guard to the lane;
    every other request, and any scan the lane does not take, to the app's whole stack as before."""

    def __init__(self, app: ASGIApp, api) -> None:
        self.app = app  # the app's own middleware stack, its guard included
        self.api = api  # the FastAPI application: its declared routes, found on the first request
        self._routes: dict[str, object] = {}
        self._guarded = Guard(self._lane, limits=api.state.body_limits)  # the same guard, around the lane

    def _route(self, path: str):
        if path not in self._routes:
            found = [r for r in declared_routes(self.api) if r.path == path and "POST" in r.methods]
            if len(found) != 1 or found[0].needs is None:
                raise RuntimeError(f"{path}: the route the lane stands for is not declared once")
            self._routes[path] = found[0]
        return self._routes[path]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" and scope["method"] == "POST" else ""
        which = BOARD if path.endswith("/board") else DESK_SCAN if path.endswith("/scan") else None
        match = self._route(which).path_regex.match(path) if which is not None else None
        if match is None or not _read_once(scope):
            await self.app(scope, receive, send)
            return
        scope[_TRIP], scope[_ROUTE] = match.group("trip"), which
        await self._guarded(scope, receive, send)

    async def _lane(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _body(receive)
        if body is None:  # the client went away before its body arrived: the app sees it as it was
            await self.app(scope, _replay(b"", receive, gone=True), send)
            return
        answered = await self._scan(scope, scope[_TRIP], body)
        if answered is None:  # not an ordinary scan: the route answers, as if the lane were not there
            await self.app(scope, _replay(body, receive), send)
            return
        await answered(scope, receive, send)

    async def _scan(self, scope: Scope, trip: str, body: bytes) -> Response | None:
        request = Request(scope)
        headers = request.headers
        key = headers.get("idempotency-key")
        if headers.get("content-type") != "application/json" or (key is not None and not _KEY.match(key)):
            return None
        board = scope[_ROUTE] == BOARD
        try:
            principal = remembered_principal(request, self._route(scope[_ROUTE]).needs)
            if principal is None:
                return None
            scanned = (TokensIn if board else ScanIn).model_validate(json.loads(body))
            if not board and scanned.at is not None:
                parse_time(scanned.at, "at")
        except (CorridorError, ValueError, ValidationError):
            return None  # the route answers it (its own order of checks, its own words)
        rt = self.api.state.runtime
        token_hash = request.state.verify_token
        meta = MetaFactory(key, principal, lambda conn: accounts.verify_in(conn, rt, token_hash, principal))
        try:
            if board:
                return _receipt(await movement.board_async(rt, meta(scanned), trip=trip, tokens=scanned.tokens))
            return _desk_answer(await desk.scan_async(rt, meta(scanned), principal, trip=trip, token=scanned.token,
                                                      force=scanned.force))
        except CorridorError as err:
            return refusal(err, request.url.path)


def _receipt(receipt) -> Response:
    """The board route's answer: the receipt, with the status and headers its `answer` sets."""
    status = Response()  # as FastAPI's own sub-response
    del status.headers["content-length"]
    content = _RECEIPT.dump_json(_RECEIPT.validate_python(answer(receipt, status)), by_alias=True)
    response = Response(content, status_code=status.status_code, media_type="application/json")
    response.raw_headers.extend(status.raw_headers)
    return response


def _desk_answer(found: dict) -> Response:
    """The desk's scan route's answer (api/desk.py): its status, its header, its model without the empty fields."""
    content = _DESK_ANSWER.dump_json(_DESK_ANSWER.validate_python(found), by_alias=True, exclude_none=True)
    response = Response(content, status_code=scan_status(found), media_type="application/json")
    response.headers["Cache-Control"] = "no-store"  # after the content's headers, where the route sets it
    return response


def _read_once(scope: Scope) -> bool:
    """No header the route reads is sent twice."""
    read = [name for name, _ in scope["headers"] if name in _READ]
    return len(read) == len(set(read))


async def _body(receive: Receive) -> bytes | None:
    """The whole body; None when the client disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive, gone: bool = False) -> Receive:
    """The body read once more for the app (or the disconnect it was), then whatever the client sends next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.disconnect"} if gone else {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


class LanedAPI(FastAPI):
    """The FastAPI application with the boarding lane in front of its middleware stack."""

    def build_middleware_stack(self) -> ASGIApp:
        return BoardingLane(super().build_middleware_stack(), self)
