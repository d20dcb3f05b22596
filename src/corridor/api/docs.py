"""The API's own documentation (OpenAPI schema, Swagger UI), for signed-in accounts only: the schema lists every
route and its parameters, which is nobody else's business.

Swagger UI comes from the npm package swagger-ui-dist (package.json), served by corridor itself like every other
front-end library: the field has no internet, so nothing is fetched from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, Response

from ..web.routes import find_module
from .auth import Authenticated

SWAGGER_UI = {
    "swagger-ui-bundle.js": (Path("swagger-ui-dist") / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (Path("swagger-ui-dist") / "swagger-ui.css", "text/css"),
    "favicon-32x32.png": (Path("swagger-ui-dist") / "favicon-32x32.png", "image/png"),
}


def install(app: FastAPI) -> None:
    @app.get("/openapi.json", include_in_schema=False, dependencies=[Authenticated])
    def openapi():
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[Authenticated])
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="corridor API",
                                   swagger_js_url="/docs/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/swagger-ui.css",
                                   swagger_favicon_url="/docs/favicon-32x32.png")

    @app.get("/docs/{name}", include_in_schema=False, dependencies=[Authenticated])
    def swagger_ui_file(name: str):
        path, media_type = SWAGGER_UI.get(name, (None, None))
        found = find_module(path) if path is not None else None
        if found is None:
            return Response(f"{name}: not installed (run scripts/setup)", status_code=404, media_type="text/plain")
        return FileResponse(found, media_type=media_type, headers={"Cache-Control": "private, max-age=3600"})
