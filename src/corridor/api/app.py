"""The HTTP API: a thin layer over the services, one route per use case, one router per concern."""

from __future__ import annotations

from fastapi import FastAPI

from ..service.runtime import Runtime
from . import agreement, claims, contract, desk, duplicates, looking, openrosa, problems, registry, running, session, setup
from . import docs as api_docs
from . import road
from .auth import Open, Require
from .lane import LanedAPI
from .limits import BodyLimits, Guard

ROUTERS = (session.router, setup.router, registry.router, duplicates.router, running.router, looking.router,
           claims.router, desk.router, agreement.router)
ROUTERS += (road.router,)


def create_app(rt: Runtime, *, body_limits: BodyLimits | None = None) -> FastAPI:
    # the API's own docs are behind login too (they are served by the routes below, not FastAPI's open ones)
    # no OpenTelemetry: nothing here exports traces or metrics (a span would carry paths that hold tokens), and
    # asking whether a provider is configured costs each request an environment lookup
    app = LanedAPI(title="corridor", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None,
                  telemetry={"tracing": False, "metrics": False, "logs": False},
                  description="Plan, run and account for the evacuation of civilians. Sign in with POST /api/login "
                              "and send the token it answers as `Authorization: Bearer TOKEN`. Every refusal is "
                              "RFC 9457 problem+json. The OpenRosa routes for ODK Collect, KoboCollect and Enketo "
                              "(/openrosa/…, /key/{key}/openrosa/…) speak OpenRosa 1.0 and are not listed here.")
    app.state.runtime = rt
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    from ..web.routes import install as install_web

    install_web(app, rt, lambda need: Open if need is None else Require(need))
    api_docs.install(app)
    openrosa.install(app)
    contract.install(app)
    app.state.body_limits = body_limits or BodyLimits.from_environment()
    app.add_middleware(Guard, limits=app.state.body_limits)
    return app
