"""Submissions as field clients send them, byte for byte, written from the OpenRosa Form Submission API
(https://docs.getodk.org/openrosa-form-submission/) and what the clients are documented to send:

- ODK Collect (OkHttp): `multipart/form-data; boundary=<uuid>`, the instance in the part `xml_submission_file`
  with the instance's file name and `Content-Type: text/xml; charset=utf-8`, each part with its
  Content-Length; attachments as further parts named by their file name (`image/jpeg`);
- Enketo (a browser's FormData): a `----WebKitFormBoundary…` boundary, the part `xml_submission_file` with
  `Content-Type: text/xml` and no charset, and the headers X-OpenRosa-Instance-Id / X-OpenRosa-Deprecated-Id.

The instance is an XForm instance of corridor's registration or boarding form: the form's id and version on
the root, `meta/instanceID` (and `meta/deprecatedID` for an edit)."""

from __future__ import annotations

from xml.sax.saxutils import escape

CRLF = b"\r\n"
PERSON_FIELDS = ("name_ar", "name_latin", "sex", "birth_year", "birth_date", "relationship", "mobility",
                 "precedence", "vulnerabilities", "person_token")


def _element(name: str, value) -> str:
    return f"<{name}/>" if value in (None, "") else f"<{name}>{escape(str(value))}</{name}>"


def registration(version: str, instance_id: str, household: dict, *, deprecated_id: str | None = None,
                 form_id: str = "corridor_registration") -> bytes:
    persons = "".join(
        "<persons>" + "".join(_element(f, p.get(f)) for f in PERSON_FIELDS) + "</persons>"
        for p in household["persons"])
    meta = _element("instanceID", instance_id) + (_element("deprecatedID", deprecated_id) if deprecated_id else "")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
            f'id="{form_id}" version="{version}">'
            "<start>2016-12-15T08:00:00.000+02:00</start><end>2016-12-15T08:05:00.000+02:00</end>"
            + _element("gathering_point", household.get("gathering_point"))
            + _element("destination", household.get("destination", "any"))
            + _element("token", household.get("token")) + persons
            + f"<meta>{meta}<instanceName>{escape(household.get('gathering_point') or '')}</instanceName></meta>"
            "</data>").encode("utf-8")


def boarding(version: str, instance_id: str, trip: str, token: str, note: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<data xmlns:jr="http://openrosa.org/javarosa" id="corridor_boarding" version="{version}">'
            "<start>2016-12-15T08:00:00.000+02:00</start><end>2016-12-15T08:00:30.000+02:00</end>"
            f"{_element('trip', trip)}{_element('token', token)}{_element('note', note)}"
            f"<meta><instanceID>{escape(instance_id)}</instanceID></meta></data>").encode("utf-8")


def collect(instance: bytes, attachments: dict[str, bytes] | None = None,
            boundary: str = "6b3f8b3e-0c1d-4f6a-9d2e-1a2b3c4d5e6f") -> tuple[bytes, dict]:
    """ODK Collect's body and headers (OkHttp's MultipartBody)."""
    parts = [(b'Content-Disposition: form-data; name="xml_submission_file"; filename="Household_2016-12-15.xml"',
              b"Content-Type: text/xml; charset=utf-8", instance)]
    for name, data in (attachments or {}).items():
        parts.append((f'Content-Disposition: form-data; name="{name}"; filename="{name}"'.encode(),
                      b"Content-Type: image/jpeg", data))
    body = b""
    for disposition, kind, data in parts:
        body += b"--" + boundary.encode() + CRLF + disposition + CRLF + kind + CRLF \
            + b"Content-Length: " + str(len(data)).encode() + CRLF + CRLF + data + CRLF
    body += b"--" + boundary.encode() + b"--" + CRLF
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-OpenRosa-Version": "1.0",
               "User-Agent": "org.odk.collect.android/v2024.3.1 okhttp/4.12.0 Dalvik/2.1.0",
               "Date": "Thu, 15 Dec 2016 06:10:00 GMT+00:00", "Accept-Encoding": "gzip"}
    return body, headers


def enketo(instance: bytes, instance_id: str, deprecated_id: str | None = None,
           attachments: dict[str, bytes] | None = None,
           boundary: str = "----WebKitFormBoundaryq3ZbK8xY2mN7pL4c") -> tuple[bytes, dict]:
    """Enketo's body and headers (a browser's FormData; the boundary quoted in the header, as some send it)."""
    body = (b"--" + boundary.encode() + CRLF
            + b'Content-Disposition: form-data; name="xml_submission_file"; filename="xml_submission_file"' + CRLF
            + b"Content-Type: text/xml" + CRLF + CRLF + instance + CRLF)
    for name, data in (attachments or {}).items():
        body += (b"--" + boundary.encode() + CRLF
                 + f'Content-Disposition: form-data; name="{name}"; filename="{name}"'.encode() + CRLF
                 + b"Content-Type: image/png" + CRLF + CRLF + data + CRLF)
    body += b"--" + boundary.encode() + b"--" + CRLF
    headers = {"Content-Type": f'multipart/form-data; boundary="{boundary}"', "X-OpenRosa-Version": "1.0",
               "X-OpenRosa-Instance-Id": instance_id, "Accept-Language": "ar,en;q=0.8",
               "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"}
    if deprecated_id:
        headers["X-OpenRosa-Deprecated-Id"] = deprecated_id
    return body, headers
