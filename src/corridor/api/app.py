"""The HTTP API: a thin layer over the services, one route per use case, one router per concern."""

from __future__ import annotations

from fastapi import FastAPI

from ..service.runtime import Runtime
from . import duplicates, looking, problems, registry, running, setup
from .limits import BodyLimits, Guard

ROUTERS = (setup.router, registry.router, duplicates.router, running.router, looking.router)


def create_app(rt: Runtime, *, body_limits: BodyLimits | None = None) -> FastAPI:
    app = FastAPI(title="corridor", version="0.1.0",
                  description="Plan, run and account for the evacuation of civilians.")
    app.state.runtime = rt
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    from ..web.routes import install as install_web

    install_web(app, rt)
    app.add_middleware(Guard, limits=body_limits or BodyLimits.from_environment())
    return app
