"""The API's own documentation (OpenAPI schema, Swagger UI), for signed-in accounts only: the schema lists every
route and its parameters, which is nobody else's business."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from .auth import Authenticated


def install(app: FastAPI) -> None:
    @app.get("/openapi.json", include_in_schema=False, dependencies=[Authenticated])
    def openapi():
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[Authenticated])
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="corridor API")
