"""The guard around every request: a body past its size limit is 413 problem+json; an unexpected
error is 500 problem+json with a reference, logged by type and route only; malformed JSON says where."""

import json
import logging


from corridor.api.app import create_app
from corridor.api.limits import BodyLimits
from corridor.service import reports
from tests.api.test_problems import assert_problem
from tests.conftest import person, register
from tests.helpers import nothing_changes


def test_a_10_mb_household_is_refused_413_before_it_is_read(client, op):
    persons = [person(relationship="head")] * 230_000
    body = json.dumps({"gathering_point": "GP-A", "persons": persons}).encode()
    assert len(body) > 10_000_000
    with nothing_changes(op):
        r = client.post("/api/households", content=body, headers={"content-type": "application/json"})
    problem = assert_problem(r, 413, "body")
    assert "2 MB" in problem["detail"]


def test_a_body_streamed_without_a_length_is_cut_at_the_limit(op, signed_in):
    chunks = (b" " * 1000 for _ in range(50))  # no Content-Length: chunked, counted while it streams
    with signed_in(create_app(op, body_limits=BodyLimits(default=10_000, imports=100_000))) as c:
        with nothing_changes(op):
            r = c.post("/api/households", content=chunks, headers={"content-type": "application/json"})
    assert_problem(r, 413, "body")


def test_imports_and_batches_have_their_own_larger_limit(op, signed_in):
    rows = "name_latin,gathering_point\n" + "Mohammed al-Halabi,GP-A\n" * 200  # ~5 KB
    batch = {"households": [{"gathering_point": "GP-A", "persons": [person(relationship="head")]}] * 40}
    with signed_in(create_app(op, body_limits=BodyLimits(default=1_000, imports=100_000))) as c:
        assert c.post("/api/import?format=csv", content=rows.encode()).status_code != 413
        assert c.post("/api/households/batch", json=batch).status_code == 201
        assert_problem(c.post("/api/households", content=rows.encode()), 413, "body")


def test_an_unexpected_error_is_500_problem_json_and_its_message_is_never_logged(client, op, monkeypatch,
                                                                                 caplog, capsys):
    household = register(op)
    secret_token, secret_name = household["persons"][0]["token"], "Mohammed al-Halabi"

    def broken(rt):
        raise RuntimeError(f"cannot read {secret_token} ({secret_name})")

    monkeypatch.setattr(reports, "status", broken)
    with caplog.at_level(logging.DEBUG):
        r = client.get("/api/status")
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "/problems/unexpected-error" and body["reference"] in body["detail"]
    assert secret_token not in r.text and secret_name not in r.text
    logged = caplog.text + "".join(capsys.readouterr())
    assert "RuntimeError" in logged and "/api/status" in logged and body["reference"] in logged
    assert secret_token not in logged and secret_name not in logged and "Traceback" not in logged


def test_malformed_json_names_the_body_and_says_where(client, op):
    with nothing_changes(op):
        r = client.post("/api/sites", content=b'{"code": "X",\n "kind": }', headers={"content-type": "application/json"})
    problem = assert_problem(r, 422, "body")
    assert "line 2, column 10" in problem["detail"], problem
