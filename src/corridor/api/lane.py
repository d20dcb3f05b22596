"""The boarding lane: `POST /api/trips/{trip}/board` answered without FastAPI's general machinery when the request
is an ordinary scan — the surge route, dozens of desks at once, where routing through every route, solving the
dependencies and validating the headers cost more than deciding and recording the scan.

The route itself stays where it is (api/running.py): it is the one the OpenAPI document describes, what it needs is
declared on it and read from there (`auth.permission_of`), and anything the lane does not take as it stands — an
account or token not remembered by this process or limited to sites, a session without its CSRF token, a header or
body the route's own validation would refuse or read differently — goes on to it unchanged, body included. What
the lane takes it answers as the route would: the same validation model (`TokensIn`), the same command
(`movement.board_async`, the token read again inside the command's transaction), the same receipt (`Receipt`,
201, or 200 with `Idempotent-Replayed`), the same problem+json refusal (`problems.refusal`). Behind the same
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
from ..service import accounts, movement
from .auth import declared_routes, remembered_principal
from .deps import MetaFactory, answer
from .limits import Guard
from .problems import refusal
from .schemas import KEY_PATTERN, Receipt, TokensIn

PATH = "/api/trips/{trip}/board"
_TRIP = "corridor.lane.trip"  # the trip in the path, as the route's pattern reads it
_RECEIPT = TypeAdapter(Receipt)  # the route's response model, serialised as FastAPI does (straight to JSON bytes)
_KEY = re.compile(KEY_PATTERN)
_READ = frozenset({b"content-type", b"content-length", b"transfer-encoding", b"idempotency-key", b"authorization",
                   b"cookie", b"x-device", b"origin", b"referer", b"x-csrf-token", b"x-forwarded-proto"})
# the headers the route (or its requirement) reads: a request sending one of them twice is left to the route


class BoardingLane:
    """The outermost layer of the app's middleware (`LanedAPI`): a boarding scan goes through the guard to the lane;
    every other request, and any scan the lane does not take, to the app's whole stack as before."""

    def __init__(self, app: ASGIApp, api) -> None:
        self.app = app  # the app's own middleware stack, its guard included
        self.api = api  # the FastAPI application: its declared board route, found on the first request
        self._route = None
        self._guarded = Guard(self._lane, limits=api.state.body_limits)  # the same guard, around the lane

    def _board_route(self):
        if self._route is None:
            found = [r for r in declared_routes(self.api) if r.path == PATH and "POST" in r.methods]
            if len(found) != 1 or found[0].needs is None:
                raise RuntimeError(f"{PATH}: the route the lane stands for is not declared once")
            self._route = found[0]
        return self._route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/board"):
            await self.app(scope, receive, send)
            return
        route = self._board_route()
        match = route.path_regex.match(scope["path"])
        if match is None or not _read_once(scope):
            await self.app(scope, receive, send)
            return
        scope[_TRIP] = match.group("trip")
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
        try:
            principal = remembered_principal(request, self._board_route().needs)
            scanned = TokensIn.model_validate(json.loads(body)) if principal is not None else None
        except (CorridorError, ValueError, ValidationError):
            return None  # the route answers it (its own order of checks, its own words)
        if scanned is None:
            return None
        rt = self.api.state.runtime
        token_hash = request.state.verify_token
        meta = MetaFactory(key, principal, lambda conn: accounts.verify_in(conn, rt, token_hash, principal))
        try:
            receipt = await movement.board_async(rt, meta(scanned), trip=trip, tokens=scanned.tokens)
        except CorridorError as err:
            return refusal(err, request.url.path)
        status = Response()  # the status and headers the route's `answer` sets, as FastAPI's own sub-response
        del status.headers["content-length"]
        content = _RECEIPT.dump_json(_RECEIPT.validate_python(answer(receipt, status)), by_alias=True)
        response = Response(content, status_code=status.status_code, media_type="application/json")
        response.raw_headers.extend(status.raw_headers)
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
