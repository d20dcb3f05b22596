"""The OpenRosa server, request by request: the form list and forms, submissions replayed as ODK Collect and
Enketo send them, every bad input of the issue refused with nothing recorded, and how devices authenticate."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from corridor.api.app import create_app
from corridor.api.limits import BodyLimits
from corridor.service import accounts, reports
from corridor.store import queries as q
from tests.conftest import password_of, person
from tests.helpers import plan
from tests.openrosa import submissions as sent

pytestmark = pytest.mark.e2e

OPENROSA = {"X-OpenRosa-Version": "1.0"}
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
HOUSEHOLD = {"gathering_point": "GP-A", "destination": "RC-1", "persons": [
    person(relationship="head", birth_year=1980),
    person("فاطمة الحلبي", "Fatima al-Halabi", sex="female", relationship="spouse", birth_year=1984,
           vulnerabilities="pregnant")]}


def device_token(rt, account: str = "registrar", device: str = "phone-1") -> str:
    return accounts.create_token(rt, account, device=device, expires=timedelta(days=30), by="tests")["token"]


class Device:
    """A field device talking to corridor through the key in its URL."""

    def __init__(self, app, rt, token: str):
        self.client, self.rt, self.token = TestClient(app), rt, token
        self.base = f"/key/{token}/openrosa"

    def forms(self) -> dict[str, dict]:
        answer = self.client.get(f"{self.base}/formList", headers=OPENROSA)
        assert answer.status_code == 200, answer.text
        root = ElementTree.fromstring(answer.content)
        return {x.findtext(f"{LIST_NS}formID"): {c.tag.removeprefix(LIST_NS): c.text for c in x}
                for x in root.findall(f"{LIST_NS}xform")}

    def version(self, form_id: str = "corridor_registration") -> str:
        return self.forms()[form_id]["version"]

    def post(self, body: bytes, headers: dict):
        return self.client.post(f"{self.base}/submission", content=body, headers=headers)

    def submit(self, instance: bytes, **headers):
        body, sent_headers = sent.collect(instance)
        return self.post(body, {**sent_headers, **headers})


def message(answer) -> str:
    root = ElementTree.fromstring(answer.content)
    return root.findtext("{http://openrosa.org/http/response}message")


def ledger_size(rt) -> int:
    return reports.verify(rt).events


@pytest.fixture
def app(op):
    return create_app(op)


@pytest.fixture
def phone(app, op) -> Device:
    return Device(app, op, device_token(op))


# --- the form list and the forms -----------------------------------------------------------------------------

def test_the_form_list_names_each_form_with_its_version_hash_and_download_url(phone):
    forms = phone.forms()
    assert list(forms) == ["corridor_registration"]
    entry = forms["corridor_registration"]
    assert entry["name"] == "Household registration" and "manifestUrl" not in entry
    assert entry["downloadUrl"] == f"http://testserver{phone.base}/forms/corridor_registration.xml"
    xml = phone.client.get(entry["downloadUrl"], headers=OPENROSA)
    assert xml.status_code == 200 and xml.headers["x-openrosa-version"] == "1.0"
    assert entry["hash"] == "md5:" + hashlib.md5(xml.content).hexdigest()
    assert f'version="{entry["version"]}"' in xml.text and "<h:title>Household registration</h:title>" in xml.text
    assert 'nodeset="/data/meta/instanceID"' in xml.text and 'jr:preload="uid"' in xml.text
    manifest = phone.client.get(f"{phone.base}/forms/corridor_registration/manifest", headers=OPENROSA)
    assert manifest.status_code == 200 and "xformsManifest" in manifest.text and "mediaFile" not in manifest.text


def test_the_version_stays_across_restarts_and_changes_with_the_sites(op, phone):
    assert Device(create_app(op), op, phone.token).version() == phone.version()
    accounts.add_user(op, "registrar-a", role="registrar", sites=["GP-A"], password=password_of("registrar"),
                      by="tests")
    limited = Device(create_app(op), op, device_token(op, "registrar-a"))
    form = limited.client.get(f"{limited.base}/forms/corridor_registration.xml", headers=OPENROSA).text
    assert limited.version() != phone.version()
    assert "GP-A" in form and "GP-B" not in form  # a device limited to GP-A registers only there


@pytest.mark.parametrize("account, forms", [("registrar", ["corridor_registration"]),
                                            ("boarding_marshal", ["corridor_boarding"]), ("analyst", [])])
def test_each_device_lists_the_forms_its_role_may_fill(app, op, account, forms):
    assert list(Device(app, op, device_token(op, account)).forms()) == forms


def test_requests_without_the_openrosa_version_header_are_refused_400(phone):
    for method, path in (("GET", "/formList"), ("GET", "/forms/corridor_registration.xml"),
                         ("HEAD", "/submission"), ("POST", "/submission")):
        answer = phone.client.request(method, phone.base + path)
        assert answer.status_code == 400, (method, path)
    assert "X-OpenRosa-Version" in message(phone.client.get(phone.base + "/formList"))


def test_head_on_the_submission_url_answers_204_with_the_accepted_length(phone):
    answer = phone.client.head(f"{phone.base}/submission", headers=OPENROSA)
    assert answer.status_code == 204
    assert answer.headers["x-openrosa-accept-content-length"] == str(10 * 1024 * 1024)


# --- submissions as Collect and Enketo send them -------------------------------------------------------------

def test_a_collect_submission_registers_the_household_and_a_resend_is_absorbed(phone, op):
    instance = sent.registration(phone.version(), "uuid:6b1d0c8e-1", HOUSEHOLD)
    body, headers = sent.collect(instance, attachments={"1481788800000.jpg": b"\xff\xd8\xff\xe0 not really"})
    first = phone.post(body, headers)
    assert first.status_code == 201, first.text
    assert first.headers["x-openrosa-version"] == "1.0"
    assert first.headers["x-openrosa-accept-content-length"] == str(10 * 1024 * 1024)
    assert first.headers["content-type"].startswith("text/xml")
    token = re.search(r"household (H\w{8})", message(first)).group(1)
    events = ledger_size(op)
    again = phone.post(body, headers)
    assert again.status_code == 201 and message(again).startswith("Received before") and token in message(again)
    assert ledger_size(op) == events
    with op.reading() as uow:
        head, members = q.household_detail(uow.conn, token)
        entry = uow.ledger.find_many(["uuid:6b1d0c8e-1"])["uuid:6b1d0c8e-1"]
    assert head.gathering_point == "GP-A" and [m.name_ar for m in members] == ["محمد الحلبي", "فاطمة الحلبي"]
    assert members[1].vulnerabilities == "pregnancy"  # the form's and the import's spelling
    assert entry.actor == "registrar" and entry.device == "phone-1"


def test_charset_parameters_on_the_body_and_the_part_are_read(phone):
    instance = sent.registration(phone.version(), "uuid:charset-1", HOUSEHOLD)
    body, headers = sent.collect(instance)
    headers["Content-Type"] += "; charset=UTF-8"
    answer = phone.post(body, headers)
    assert answer.status_code == 201, answer.text
    latin1 = sent.registration(phone.version(), "uuid:charset-2", {**HOUSEHOLD, "persons": [
        person(name_ar="", name_latin="Zoë Müller", relationship="head")]})
    latin1 = latin1.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"').decode("utf-8").encode("latin-1")
    answer = phone.post(*sent.collect(latin1))
    assert answer.status_code == 201, answer.text
    with phone.rt.reading() as uow:
        token = uow.ledger.find_many(["uuid:charset-2"])["uuid:charset-2"].event.token
        assert q.household_detail(uow.conn, token)[1][0].name_latin == "Zoë Müller"


def test_an_enketo_submission_with_a_quoted_boundary_and_an_attachment_is_answered_in_arabic(phone, op):
    instance = sent.registration(phone.version(), "uuid:enketo-1", HOUSEHOLD)
    body, headers = sent.enketo(instance, "uuid:enketo-1", attachments={"sketch.png": b"\x89PNG\r\n\x1a\n"})
    answer = phone.post(body, headers)
    assert answer.status_code == 201, answer.text
    assert message(answer).startswith("تم الاستلام")


def test_a_boarding_scan_boards_the_scanned_household_onto_the_named_trip(app, op):
    registrar = Device(app, op, device_token(op))
    registrar.submit(sent.registration(registrar.version(), "uuid:reg-1", HOUSEHOLD))
    plan(op)
    with op.reading() as uow:
        token = uow.ledger.find_many(["uuid:reg-1"])["uuid:reg-1"].event.token
    trip = next(t["id"] for t in reports.trips(op) if t["assigned"])
    marshal = Device(app, op, device_token(op, "boarding_marshal", "scanner-1"))
    scan = sent.boarding(marshal.version("corridor_boarding"), "uuid:scan-1", trip.lower(), token)
    answer = marshal.submit(scan)
    assert answer.status_code == 201, answer.text
    assert message(answer) == f"Received: boarded on trip {trip} (2 persons)."
    assert marshal.submit(scan).status_code == 201  # the resend absorbed
    with op.reading() as uow:
        states = {m.state for m in q.household_statuses(uow.conn, token)}
    assert states == {"boarded"}
    refused = marshal.submit(sent.boarding(marshal.version("corridor_boarding"), "uuid:scan-2", "T9999", token))
    assert refused.status_code == 404 and "T9999" in message(refused)


def test_an_edit_is_reported_and_not_applied_unless_the_server_is_told_to(app, op, phone):
    version = phone.version()
    assert phone.submit(sent.registration(version, "uuid:first", HOUSEHOLD)).status_code == 201
    edited = {**HOUSEHOLD, "persons": [HOUSEHOLD["persons"][0], {**HOUSEHOLD["persons"][1], "birth_year": 1985}]}
    edit = sent.registration(version, "uuid:second", edited, deprecated_id="uuid:first")
    events = ledger_size(op)
    reported = phone.submit(edit)
    assert reported.status_code == 409 and "birth_year" in message(reported) and "desk" in message(reported)
    assert ledger_size(op) == events
    app.state.openrosa_apply_edits = True
    applied = phone.submit(edit)
    assert applied.status_code == 201 and "edit of household" in message(applied)
    assert phone.submit(edit).status_code == 201 and ledger_size(op) == events + 1  # its resend absorbed
    with op.reading() as uow:
        token = uow.ledger.find_many(["uuid:first"])["uuid:first"].event.token
        assert [m.birth_year for m in q.household_detail(uow.conn, token)[1]] == [1980, 1985]


# --- bad input: refused, nothing recorded --------------------------------------------------------------------

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<data id="corridor_registration"><gathering_point>&lol3;</gathering_point></data>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b'<data id="corridor_registration"><gathering_point>&x;</gathering_point>'
                   b'<meta><instanceID>uuid:xxe</instanceID></meta></data>')


def _bad_inputs(version: str) -> dict[str, tuple[bytes, dict, int, str]]:
    good = sent.registration(version, "uuid:bad-1", HOUSEHOLD)
    body, headers = sent.collect(good)
    other_form = sent.registration(version, "uuid:bad-2", HOUSEHOLD, form_id="someone_elses_form")
    old_version = sent.registration("2015010101", "uuid:bad-3", HOUSEHOLD)
    no_part = body.replace(b'name="xml_submission_file"', b'name="instance"')
    cases = {
        "no xml_submission_file part": (no_part, headers, 400, "xml_submission_file"),
        "a multipart body that does not parse": (
            body, {**headers, "Content-Type": "multipart/form-data"}, 400, "multipart"),
        "a multipart body cut short": (body[:len(body) // 2], headers, 400, "xml_submission_file"),
        "a body that is not multipart": (good, {**headers, "Content-Type": "application/json"}, 400,
                                         "multipart/form-data"),
        "an unknown form": (*sent.collect(other_form), 404, "someone_elses_form"),
        "an unknown version": (*sent.collect(old_version), 404, "2015010101"),
        "an XML bomb": (*sent.collect(BILLION_LAUGHS), 400, "DTD"),
        "an external entity": (*sent.collect(EXTERNAL_ENTITY), 400, "DTD"),
        "XML that is not well-formed": (*sent.collect(good[:-10]), 400, "well-formed"),
        "an instance without instanceID": (*sent.collect(good.replace(b"<instanceID>uuid:bad-1</instanceID>", b"")),
                                           400, "instanceID"),
        "a household the registry refuses": (*sent.collect(sent.registration(version, "uuid:bad-4", {
            **HOUSEHOLD, "persons": [{**HOUSEHOLD["persons"][0], "birth_year": 1700}]})), 400, "birth_year"),
        "a gathering point that is not one": (*sent.collect(sent.registration(
            version, "uuid:bad-5", {**HOUSEHOLD, "gathering_point": "RC-1"})), 409, "RC-1"),
    }
    return cases


def test_every_bad_input_is_refused_with_an_openrosa_message_and_nothing_recorded(phone, op):
    events = ledger_size(op)
    for name, (body, headers, status, says) in _bad_inputs(phone.version()).items():
        answer = phone.post(body, headers)
        assert answer.status_code == status, (name, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("text/xml"), name
        assert says in message(answer), (name, message(answer))
    assert ledger_size(op) == events


def test_an_instance_id_reused_with_other_content_is_refused_409(phone, op):
    version = phone.version()
    assert phone.submit(sent.registration(version, "uuid:same", HOUSEHOLD)).status_code == 201
    events = ledger_size(op)
    changed = {**HOUSEHOLD, "persons": [HOUSEHOLD["persons"][0]]}
    answer = phone.submit(sent.registration(version, "uuid:same", changed), **{"Accept-Language": "ar"})
    assert answer.status_code == 409 and "بمحتوى مختلف" in message(answer) and "uuid:same" in message(answer)
    assert ledger_size(op) == events


def test_a_submission_over_the_size_limit_is_refused_413(op):
    small = Device(create_app(op, body_limits=BodyLimits(openrosa=2048)), op, device_token(op))
    head = small.client.head(f"{small.base}/submission", headers=OPENROSA)
    assert head.headers["x-openrosa-accept-content-length"] == "2048"
    events = ledger_size(op)
    instance = sent.registration(small.version(), "uuid:big", HOUSEHOLD)
    answer = small.post(*sent.collect(instance, attachments={"photo.jpg": b"\xff" * 4096}))
    assert answer.status_code == 413 and "larger than" in message(answer)
    assert ledger_size(op) == events


def test_a_site_limited_device_cannot_register_elsewhere(app, op):
    accounts.add_user(op, "registrar-b", role="registrar", sites=["GP-B"], password=password_of("registrar"),
                      by="tests")
    device = Device(app, op, device_token(op, "registrar-b"))
    events = ledger_size(op)
    answer = device.submit(sent.registration(device.version(), "uuid:elsewhere", HOUSEHOLD))
    assert answer.status_code == 403 and "GP-A" in message(answer)
    assert ledger_size(op) == events


# --- authentication ------------------------------------------------------------------------------------------

def test_an_unknown_a_malformed_and_a_revoked_key_answer_403_never_401(app, op, phone):
    instance = sent.registration(phone.version(), "uuid:after-revoke", HOUSEHOLD)
    unknown = "ct_" + "A" * 43
    for key in (unknown, "not-a-token"):
        answer = phone.client.get(f"/key/{key}/openrosa/formList", headers=OPENROSA)
        assert answer.status_code == 403 and "www-authenticate" not in answer.headers
    token_id = accounts.list_tokens(op, "registrar")[-1]["id"]
    accounts.revoke(op, token_id=token_id)
    events = ledger_size(op)
    answer = phone.submit(instance)
    assert answer.status_code == 403 and "revoked" in message(answer)
    assert phone.client.get(f"{phone.base}/formList", headers=OPENROSA).status_code == 403
    assert ledger_size(op) == events


def test_a_login_session_token_is_not_a_device_key(app, op):
    session = accounts.login(op, "registrar", password_of("registrar"))["token"]
    answer = TestClient(app).get(f"/key/{session}/openrosa/formList", headers=OPENROSA)
    assert answer.status_code == 403


def test_basic_authentication_only_over_https(app, op):
    token = device_token(op)
    basic = {"Authorization": "Basic " + base64.b64encode(f"registrar:{token}".encode()).decode(), **OPENROSA}
    client = TestClient(app)
    over_http = client.get("/openrosa/formList", headers=basic)
    assert over_http.status_code == 403 and "HTTPS" in message(over_http)
    over_https = client.get("/openrosa/formList", headers={**basic, "X-Forwarded-Proto": "https"})
    assert over_https.status_code == 200 and "corridor_registration" in over_https.text
    assert "https://testserver/openrosa/forms/" in over_https.text
    wrong = {"Authorization": "Basic " + base64.b64encode(f"medic:{token}".encode()).decode()}
    refused = client.get("/openrosa/formList", headers={**OPENROSA, **wrong, "X-Forwarded-Proto": "https"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == 'Basic realm="corridor"'
    anonymous = client.get("/openrosa/formList", headers={**OPENROSA, "X-Forwarded-Proto": "https"})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")


def test_a_device_cannot_submit_a_form_its_role_may_not_fill(app, op, phone):
    marshal = Device(app, op, device_token(op, "boarding_marshal", "scanner-9"))
    events = ledger_size(op)
    answer = marshal.submit(sent.registration(phone.version(), "uuid:not-mine", HOUSEHOLD))
    assert answer.status_code == 403 and "register" in message(answer)
    download = marshal.client.get(f"{marshal.base}/forms/corridor_registration.xml", headers=OPENROSA)
    assert download.status_code == 403
    assert ledger_size(op) == events
