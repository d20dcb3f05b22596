"""The API contract: what every route may answer, stated once for all routes.

FastAPI describes each route's own success and body; this module adds what every route shares, derived from
what the route declares (so the document follows the server, and a new route needs nothing extra):

- its requirement (`Require(...)`, `Authenticated`, `DEVICE`; api/auth.py): the security schemes (bearer token,
  session cookie), 401 and 403;
- any parameter or body: 422 (FastAPI's own validation answer is replaced by ours, problem+json);
- a path parameter: 404 (an unknown trip, token, claim, vehicle…);
- a command (it takes `MetaOf`, so it has the Idempotency-Key header): 404 (an unknown site or token it refers
  to) and 409 (the key reused for a different command, or an operational rule refusing it now);
- every request: 413 (a body past its limit, api/limits.py).

Every refusal is `application/problem+json` with the Problem schema (api/problems.py makes them).

The convention for a new route (tests/api/test_contract.py runs schemathesis, every check on, against a live
server; any mismatch fails):
- declare its requirement (`Require(Permission.X)` / `Authenticated` / `Open`): security, 401 and 403 follow;
- a command takes `MetaOf` (Idempotency-Key, replay 200, 404 and 409 follow) and answers with `deps.answer`;
  an optional body is `body: XIn | None = None` (no `null` alternative is documented; a `null` body is refused);
- every parameter and body field typed with its real constraints: the types of api/schemas.py (`Code`, `Time`,
  `Token`, `Text`, `OptionalText`, `count(min, max)`, `one_of(Enum)`) or `Literal[...]`, input models with
  `model_config = STRICT`; never a bare `str`/`int`/`Any` for a value the domain restricts;
- a refusal of its own beyond these (e.g. 409 on a read): `responses=refusals(409)`; a success that is not
  JSON: `response_class=` (see CSVResponse) or `responses={200: {"content": {...}}}`;
- a rule between fields: in the schema when JSON Schema can say it (`json_schema_extra` oneOf/anyOf, as the
  claim's figure or the agreement's link); else in the operation's description, a test that it is refused 422
  naming the field (tests/api/test_contract_rules.py), and a rule for the generated requests in
  tests/api/contract_hooks.py;
- refused because of the operation's state or the clock (not the request's form): 409 (`RuleRefused`,
  `Conflict`, `OutOfTime`); something unknown it names: 404.
"""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .auth import AUTHENTICATED, DEVICE, OPEN, SESSION_COOKIE, declared_routes
from .problems import MEDIA_TYPE

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details: every refusal has this shape (api/problems.py).",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "/problems/<slug>, e.g. /problems/invalid-input"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "what is wrong, starting with the field's name"},
        "instance": {"type": "string", "description": "the path asked for"},
        "field": {"type": "string", "description": "the field at fault (body, a body field's path, a parameter)"},
        "errors": {"type": "array", "description": "every problem found, each naming its field (an import's: "
                                                   "row, column, value, reason)",
                   "items": {"type": "object", "properties": {"field": {"type": "string"},
                                                              "detail": {"type": "string"}}}},
        "permission": {"type": "string", "description": "403: the permission needed (or csrf, device)"},
        "site": {"type": "string", "description": "403: the site the account is not limited to"},
        "reference": {"type": "string", "description": "500: give it to whoever runs the server"},
    },
}

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "a token from POST /api/login (or `corridor tokens create`)"},
    "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                "description": "the screens' session cookie; unsafe requests also send X-CSRF-Token"},
}

ANSWERS = {
    401: "not signed in: no token, or a wrong, expired or revoked one",
    403: "signed in, but the account's role lacks the permission, or the account is limited to other sites",
    404: "something named in the request is unknown (a trip, token, site, claim…)",
    409: "the Idempotency-Key was used for a different command, or an operational rule refuses it now",
    413: "the body is larger than the limit for this request",
    422: "a value is malformed; `field` names it, `errors` lists every one",
    429: "too many failed attempts; try again after Retry-After seconds",
}
HEADERS = {
    401: {"WWW-Authenticate": {"description": "how to authenticate", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 0}}},
}
KEY_HEADER = "Idempotency-Key"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def is_command(operation: dict) -> bool:
    """A command takes `MetaOf` (api/deps.py), so it has the Idempotency-Key header."""
    return any(p["in"] == "header" and p["name"] == KEY_HEADER for p in operation.get("parameters", []))


def _replayed(created: dict) -> dict:
    """A command answers 201 when recorded now, 200 with the same receipt when it is a resend (api/deps.answer)."""
    return {**created, "description": "a resend of a command recorded before (or nothing new to record): the "
                                      "same answer, marked replayed",
            "headers": {"Idempotent-Replayed": {"description": "true on a resend",
                                                "schema": {"type": "string", "enum": ["true"]}}}}


def refusals(*statuses: int) -> dict:
    """`responses=` for a route's own refusals beyond the common ones (e.g. the login's 401 and 429)."""
    return {status: _problem(status) for status in statuses}


def statuses_of(operation: dict, needs) -> set[int]:
    """The refusals an operation can answer, from what it declares."""
    parameters = operation.get("parameters", [])
    statuses = {413}
    if needs != OPEN:
        statuses |= {401, 403}
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if is_command(operation):
        statuses |= {404, 409}
    return statuses


def _problem(status: int) -> dict:
    answer = {"description": ANSWERS[status], "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if status in HEADERS:
        answer["headers"] = HEADERS[status]
    return answer


def _without_null(schema: dict) -> dict:
    """`X | None` is how Python says "may be left out": on the wire a parameter or a command body is then
    absent, never `null` (a `null` command body is refused, api/deps.py)."""
    options = schema.get("anyOf")
    if not options or {"type": "null"} not in options:
        return schema
    rest = [o for o in options if o != {"type": "null"}]
    extra = {k: v for k, v in schema.items() if k != "anyOf"}
    return {**rest[0], **extra} if len(rest) == 1 else {**extra, "anyOf": rest}


def _no_null_default(schema: object) -> None:
    """A field that may be left out but not sent as `null` (`x: str = None` in an input model) has no default
    in the document: `null` is not one of its values."""
    if isinstance(schema, dict):
        if "default" in schema and schema["default"] is None and "null" not in json.dumps(schema.get("type"))\
                and {"type": "null"} not in schema.get("anyOf", []):
            del schema["default"]
        for value in schema.values():
            _no_null_default(value)
    elif isinstance(schema, list):
        for value in schema:
            _no_null_default(value)


def describe(doc: dict, needs_of) -> dict:
    """The document with every operation's refusals and security added (`needs_of(path, method)`: its
    requirement)."""
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    for unused in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(unused, None)
    _no_null_default(components["schemas"])
    components["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            needs = needs_of(path, method.upper())
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _without_null(parameter.get("schema", {}))
            for body in operation.get("requestBody", {}).get("content", {}).values():
                body["schema"] = _without_null(body.get("schema", {}))
            responses = operation.setdefault("responses", {})
            validation = responses.get("422", {}).get("content", {}).get("application/json", {})
            if validation.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                del responses["422"]  # FastAPI's own shape, never what corridor answers
            if is_command(operation) and "201" in responses:
                responses.setdefault("200", _replayed(responses["201"]))
            for status in sorted(statuses_of(operation, needs)):
                responses.setdefault(str(status), _problem(status))
            operation.setdefault("security", [] if needs == OPEN else [{"bearer": []}, {"session": []}])
    return doc


def install(app: FastAPI) -> None:
    """app.openapi() answers the described document (built once)."""
    def openapi() -> dict:
        if app.openapi_schema is None:
            routes = declared_routes(app)

            def needs_of(path: str, method: str):
                for r in routes:
                    if r.path == path and method in r.methods:
                        return AUTHENTICATED if r.needs == DEVICE else r.needs
                return None

            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = describe(doc, needs_of)
        return app.openapi_schema

    app.openapi = openapi
