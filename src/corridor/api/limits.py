"""The guard around every request: bodies within a size limit (413), and an unexpected error answered
500 problem+json with a reference id, logged by type and route only — never its message or traceback,
which can carry names and tokens.

A pure ASGI middleware: a declared Content-Length is checked before anything is read; a body sent
without one is counted while it streams."""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import problem

log = logging.getLogger("corridor.api")

MB = 1024 * 1024
# Routes that take many households at once: a list to import, a batch (up to 5,000 households, ~8 MB).
BULK_PATHS = ("/api/import", "/api/households/batch")
LOGIN_PATH = "/api/login"
OPENROSA_SUBMISSION = "/openrosa/submission"


@dataclass(frozen=True)
class BodyLimits:
    """Largest request body in bytes: for the bulk routes (imports, batches), for any other request."""

    default: int = 2 * MB
    imports: int = 20 * MB

    login: int = 4096  # a username and a password: anything larger is not a login
    openrosa: int = 10 * MB  # a submission from a phone (the X-OpenRosa-Accept-Content-Length it is told)

    def for_path(self, path: str) -> int:
        path = path.rstrip("/")
        if path == LOGIN_PATH:
            return self.login
        if path.endswith(OPENROSA_SUBMISSION):
            return self.openrosa
        return self.imports if path in BULK_PATHS else self.default

    @classmethod
    def from_environment(cls) -> BodyLimits:
        """$CORRIDOR_BODY_LIMIT_MB and $CORRIDOR_IMPORT_LIMIT_MB when set, else 2 MB and 20 MB."""
        def mb(name: str, default: int) -> int:
            value = os.environ.get(name, "").strip()
            return int(float(value) * MB) if value else default

        return cls(default=mb("CORRIDOR_BODY_LIMIT_MB", cls.default), imports=mb("CORRIDOR_IMPORT_LIMIT_MB", cls.imports))


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit (FastAPI lets HTTPExceptions through)."""

    def __init__(self, limit: int):
        super().__init__(413, f"body: larger than {_size(limit)}, the limit for this request")


def _size(n: int) -> str:
    return f"{n / MB:g} MB" if n >= MB else f"{n:,} bytes"


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class Guard:
    def __init__(self, app: ASGIApp, limits: BodyLimits | None = None):
        self.app, self.limits = app, limits or BodyLimits()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(BodyTooLarge(limit), scope, receive, send)
            return
        started = False
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as too_large:
            if not started:
                await self._refuse(too_large, scope, receive, send)
        except Exception as exc:  # noqa: BLE001 — the one place an unexpected error is answered
            reference = uuid.uuid4().hex[:12]
            route = getattr(scope.get("route"), "path", None) or "an unmatched route"
            # the type and the route only: an exception's message or traceback can carry names and tokens
            log.error("unexpected %s on %s %s (reference %s)", type(exc).__name__, scope.get("method"), route,
                      reference)
            if not started:
                response = problem(500, "unexpected-error", "Unexpected error",
                                   f"an unexpected error; give the reference {reference} to whoever runs this "
                                   "server", scope["path"], reference=reference)
                await response(scope, receive, send)

    @staticmethod
    async def _refuse(err: BodyTooLarge, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].rstrip("/").endswith(OPENROSA_SUBMISSION):  # a phone shows an OpenRosa message
            from ..formats.openrosa import response_xml

            body = response_xml(f"Not accepted: {err.detail}", nature="error")
            response = Response(body, status_code=413, media_type="text/xml; charset=utf-8",
                                headers={"X-OpenRosa-Version": "1.0"})
            await response(scope, receive, send)
            return
        response = problem(413, "too-large", "Content too large", err.detail, scope["path"], field="body")
        await response(scope, receive, send)
