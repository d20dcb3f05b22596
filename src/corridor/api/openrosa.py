"""The OpenRosa server ODK Collect, KoboCollect and Enketo talk to: the form list, the forms, their manifests
and the submission URL, at /openrosa/… and at /key/{key}/openrosa/… (the key is a device token, so a QR code
of the server's address configures a phone).

Every route declares `DEVICE` (api/auth.py `device_principal`): a device token in the path, Basic over HTTPS,
or a bearer token; which forms a device lists, downloads and submits is read from the one permission table
(register: the registration form, board: the boarding scan). Every answer is OpenRosa: XML, with
`X-OpenRosa-Version: 1.0`; a refusal is an OpenRosaResponse whose message the app shows to its user, in Arabic
when the device asks for it (Accept-Language; both forms have Arabic). Requests without
`X-OpenRosa-Version: 1.0` are refused 400."""

from __future__ import annotations

import os

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..domain.errors import BadInput, CorridorError, Unauthenticated
from ..formats import openrosa as documents
from ..service import openrosa as service
from .auth import DEVICE, Requirement, device_principal, scheme_of

XML = "text/xml; charset=utf-8"
SUBMISSION_PART = "xml_submission_file"
PREFIXES = ("", "/key/{key}")
APPLY_EDITS_VARIABLE = "CORRIDOR_OPENROSA_APPLY_EDITS"

SUCCESS = {
    "registered": ("Received: household {household} registered ({persons} persons).",
                   "تم الاستلام: سُجّلت الأسرة {household} (عدد الأفراد: {persons})."),
    "registered-again": ("Received before: household {household} is registered ({persons} persons); nothing "
                         "changed.", "استُلم من قبل: الأسرة {household} مسجّلة (عدد الأفراد: {persons})؛ لم يتغيّر شيء."),
    "boarded": ("Received: boarded on trip {trip} ({persons} persons).",
                "تم الاستلام: الصعود إلى الرحلة {trip} (عدد الأفراد: {persons})."),
    "boarded-again": ("Received before: the boarding on trip {trip} is recorded; nothing changed.",
                      "استُلم من قبل: الصعود إلى الرحلة {trip} مسجّل؛ لم يتغيّر شيء."),
    "corrected": ("Received: the edit of household {household} is applied.",
                  "تم الاستلام: طُبّق تعديل الأسرة {household}."),
    "corrected-again": ("Received before: the edit of household {household} is applied.",
                        "استُلم من قبل: طُبّق تعديل الأسرة {household}."),
    "unchanged": ("Received: the edit changes nothing in household {household}.",
                  "تم الاستلام: التعديل لا يغيّر شيئاً في الأسرة {household}."),
}
REFUSED = {
    "invalid": ("Not accepted: ", "لم يُقبل الإرسال: "),
    "conflict": ("Not accepted: ", "لم يُقبل: أُرسل هذا النموذج من قبل بمحتوى مختلف. "),
    "rule": ("Not accepted: ", "لم يُقبل: ترفضه قواعد العملية الآن. "),
    "edit": ("Edit not applied: ", "لم يُطبّق التعديل: صحّح بيانات الأسرة في مكتب التسجيل. "),
    "not-found": ("Not accepted: ", "لم يُقبل: النموذج أو نسخته غير معروفة على هذا الخادم؛ حمّل النموذج الفارغ من جديد. "),
    "forbidden": ("Not accepted: ", "لم يُقبل: هذا الجهاز غير مخوّل بذلك. "),
    "too-large": ("Not accepted: ", "لم يُقبل: الإرسال أكبر من الحد المسموح. "),
}
STATUS = {422: 400}  # a refused value is a bad request to an OpenRosa client, as ODK Central answers it


class OpenRosaRefusal(Exception):
    """A refusal met while authenticating an OpenRosa request: answered as an OpenRosaResponse."""

    def __init__(self, error: CorridorError):
        super().__init__(error.detail)
        self.error = error


class DeviceRequirement(Requirement):
    def __call__(self, request: Request):
        try:
            return device_principal(request)
        except CorridorError as err:
            raise OpenRosaRefusal(err) from None


Device = Depends(DeviceRequirement(DEVICE))
# not in the OpenAPI document: these routes speak OpenRosa 1.0 (XML documents whose content no JSON schema can
# state), their contract is that specification, tested with ODK's own engine (tests/openrosa)
router = APIRouter(tags=["OpenRosa (ODK Collect, KoboCollect, Enketo)"], dependencies=[Device],
                   include_in_schema=False)


def language(request: Request) -> str:
    """ar when the device asks for Arabic first (Accept-Language, or ?lang=ar), else en."""
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "ar" if asked.strip().lower()[:2] == "ar" else "en"


def headers(**extra: str) -> dict:
    return {"X-OpenRosa-Version": "1.0", **extra}  # the Date header the spec asks for is uvicorn's


def xml(body: bytes, status: int = 200, **extra: str) -> Response:
    return Response(body, status_code=status, media_type=XML, headers=headers(**extra))


def refused(request: Request, err: CorridorError, kind: str | None = None) -> Response:
    kind = kind or service.refusal_kind(err)
    prefix = REFUSED.get(kind, REFUSED["invalid"])[language(request) == "ar"]
    extra = {}
    if isinstance(err, Unauthenticated):
        extra["WWW-Authenticate"] = 'Basic realm="corridor"' if scheme_of(request) == "https" else 'Bearer realm="corridor"'
    body = documents.response_xml(prefix + err.detail, nature="error")
    return xml(body, STATUS.get(err.status, err.status), **extra)


def accepted_length(request: Request) -> int:
    """How large a submission may be: the guard's limit for it (api/limits.py), told to the device."""
    return request.app.state.body_limits.openrosa


def _check_version(request: Request) -> None:
    if request.headers.get("x-openrosa-version", "").strip() != "1.0":
        raise BadInput("X-OpenRosa-Version: send the header X-OpenRosa-Version: 1.0", field="X-OpenRosa-Version")


def _base(request: Request) -> str:
    """This server's address as the device reached it, with the key when it came with one."""
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or request.url.netloc
    key = request.path_params.get("key")
    return f"{scheme_of(request)}://{host}" + (f"/key/{key}" if key else "") + "/openrosa"


def form_list(request: Request):
    try:
        _check_version(request)
        rt, principal = request.app.state.runtime, device_principal(request)
        base = _base(request)
        listed = [documents.ListedForm(f.form_id, f.title, f.version, f.hash, f"{base}/forms/{f.form_id}.xml")
                  for f in service.forms_for(rt, principal)]
        return xml(documents.form_list_xml(listed))
    except CorridorError as err:
        return refused(request, err)


def form_xml(form_id: str, request: Request):
    try:
        _check_version(request)
        found = service.form(request.app.state.runtime, device_principal(request), form_id)
        return xml(found.xml)
    except CorridorError as err:
        return refused(request, err)


def manifest(form_id: str, request: Request):
    try:
        _check_version(request)
        service.form(request.app.state.runtime, device_principal(request), form_id)
        return xml(documents.manifest_xml())
    except CorridorError as err:
        return refused(request, err)


def _head(request: Request):
    """Collect asks with HEAD first: 204, with how large a submission may be."""
    try:
        _check_version(request)
    except CorridorError as err:
        return refused(request, err)
    return Response(status_code=204, headers=headers(**{"X-OpenRosa-Accept-Content-Length":
                                                        str(accepted_length(request))}))


async def _instance(request: Request) -> bytes:
    """The submitted instance: the multipart part xml_submission_file (other parts, attachments, are read past),
    or a body sent as XML."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/xml", "application/xml"):
        return await request.body()
    if kind != "multipart/form-data":
        raise BadInput(f"{SUBMISSION_PART}: expected multipart/form-data with the instance in {SUBMISSION_PART}",
                       field=SUBMISSION_PART)
    try:
        form = await request.form(max_files=200, max_fields=200, max_part_size=accepted_length(request))
    except HTTPException as err:
        if err.status_code == 413:
            raise
        raise BadInput(f"body: the multipart body does not parse ({err.detail})", field="body") from None
    try:
        part = form.get(SUBMISSION_PART)
        if part is None:
            raise BadInput(f"{SUBMISSION_PART}: the multipart body has no part {SUBMISSION_PART}",
                           field=SUBMISSION_PART)
        return part.encode("utf-8") if isinstance(part, str) else await part.read()
    finally:
        await form.close()


async def submission(request: Request):
    if request.method == "HEAD":
        return _head(request)
    try:
        _check_version(request)
        principal = device_principal(request)
        data = await _instance(request)
        outcome = await run_in_threadpool(service.receive, request.app.state.runtime, principal, data,
                                          apply_edits=apply_edits(request.app))
    except CorridorError as err:
        return refused(request, err)
    key = outcome.kind + ("-again" if outcome.replayed and outcome.kind != "unchanged" else "")
    message = SUCCESS[key][language(request) == "ar"].format(household=outcome.household, trip=outcome.trip,
                                                            persons=outcome.persons)
    return xml(documents.response_xml(message), 201,
               **{"X-OpenRosa-Accept-Content-Length": str(accepted_length(request))})


def apply_edits(app: FastAPI) -> bool:
    """The explicit choice to apply edits sent from devices: app.state.openrosa_apply_edits, else
    $CORRIDOR_OPENROSA_APPLY_EDITS=1."""
    chosen = getattr(app.state, "openrosa_apply_edits", None)
    return chosen if chosen is not None else os.environ.get(APPLY_EDITS_VARIABLE, "").strip() == "1"


for prefix in PREFIXES:
    router.add_api_route(f"{prefix}/openrosa/formList", form_list, methods=["GET"])
    router.add_api_route(f"{prefix}/openrosa/forms/{{form_id}}.xml", form_xml, methods=["GET"])
    router.add_api_route(f"{prefix}/openrosa/forms/{{form_id}}/manifest", manifest, methods=["GET"])
    router.add_api_route(f"{prefix}/openrosa/submission", submission, methods=["HEAD", "POST"])


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(OpenRosaRefusal)
    async def _refused(request: Request, err: OpenRosaRefusal):
        return refused(request, err.error)
