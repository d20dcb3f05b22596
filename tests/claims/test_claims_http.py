"""Claims over HTTP: bad input answers 422 naming the field and records nothing; the picture, the sitrep in both
languages as HTML and PDF (no name, no token), and every HXL export parsed by libhxl."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import hxl
import pytest
from pypdf import PdfReader

from corridor.domain.permissions import Role
from corridor.scenarios.aleppo_claims import claims as aleppo_claims
from tests.conftest import register
from tests.helpers import nothing_changes

GOOD = {"source": "ICRC", "source_kind": "humanitarian", "outlet": "Reuters", "reported_at": "2016-12-16T18:00:00+02:00",
        "statement": "About 10,000 people have left.", "reliability": "B", "credibility": 2,
        "figures": [{"metric": "persons_evacuated", "value": 10000}]}


@pytest.mark.parametrize("change, field, status", [
    ({"reliability": "G"}, "reliability", 422), ({"credibility": 7}, "credibility", 422),
    ({"figures": [{"metric": "people", "value": 1}]}, "figures[0].metric", 422),
    ({"reported_at": "16 December"}, "reported_at", 422), ({"source": " "}, "source", 422),
    ({"figures": [], "operation_state": None}, "operation_state", 422),  # not null: left out, or a state
    ({"figures": []}, "figures", 422),  # a figure or an operation_state (the schema's anyOf)
    ({"figures": [{"metric": "buses", "value": 3, "low": 2}]}, "figures[0].value", 422),  # value or a range
    # the rules between fields the document states in words (tests/api/contract_hooks.py keeps to them)
    ({"figures": [{"metric": "buses", "low": 25, "high": 20}]}, "figures[0].low", 422),
    ({"figures": [{"metric": "buses", "value": 3, "as_of": "2016-12-17T00:00:00+02:00"}]}, "figures[0].as_of", 422),
    # well formed, refused by the clock now (an OutOfTime, as a command's `at` ahead of it)
    ({"reported_at": "2090-01-01T00:00:00+00:00"}, "reported_at", 409),
])
def test_bad_input_names_the_field_and_records_nothing(client, op, change, field, status):
    with nothing_changes(op):
        r = client.post("/api/claims", json={**GOOD, **change})
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    assert r.json()["field"] == field
    with nothing_changes(op):
        r = client.post("/api/claims/C0001/correct", json={"claim": {**GOOD, **change}})
    assert r.status_code in (status, 404)  # no claim C0001: the body is read first when malformed
    if status == 422:
        assert r.status_code == 422 and r.json()["field"] == f"claim.{field}"


@pytest.fixture
def loaded(client, op, clock):
    client.household = register(op)
    clock.now = datetime(2016, 12, 23, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    for i, claim in enumerate(aleppo_claims()):
        assert client.post("/api/claims", json=claim, headers={"Idempotency-Key": f"c{i}"}).status_code == 201
    assert client.post("/api/claims", json=aleppo_claims()[0], headers={"Idempotency-Key": "c0"}).status_code == 200
    return client


def test_claims_are_listed_filtered_and_pictured(loaded):
    assert len(loaded.get("/api/claims").json()) == len(aleppo_claims())
    icrc = loaded.get("/api/claims", params={"source": "icrc", "metric": "persons_evacuated"}).json()
    assert {c["source"] for c in icrc} == {"ICRC"} and len(icrc) == 6
    p = loaded.get("/api/picture", params={"as_of": "2016-12-16T22:00:00+02:00",
                                           "known_at": "2016-12-16T22:00:00+02:00"}).json()
    m = p["metrics"][0]
    assert (m["metric"], m["low"], m["high"], m["estimate"], m["contradiction"]) == \
        ("persons_evacuated", 6000, 10000, 8500, True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_sitrep_in_both_languages_as_html_and_pdf_names_nobody(loaded, op, lang):
    partner = loaded.as_role(Role.PARTNER)
    html = partner.get("/api/sitrep", params={"date": "2016-12-16", "lang": lang})
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    assert ('dir="rtl"' in html.text) == (lang == "ar")
    assert ("تقرير الوضع" in html.text) == (lang == "ar") and "Government B" in html.text
    pdf = partner.get("/api/sitrep", params={"date": "2016-12-16", "lang": lang, "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Government B" in text and "10,000" in text.replace("١٠٬٠٠٠", "10,000")
    household = loaded.household
    for secret in ["Mohammed", "al-Halabi", "محمد", household["token"], *(p["token"] for p in household["persons"])]:
        assert secret not in html.text and secret not in text


def test_the_partner_may_read_the_sitrep_but_not_record_claims(loaded):
    partner = loaded.as_role(Role.PARTNER)
    assert partner.post("/api/claims", json=GOOD).status_code == 403
    assert partner.get("/api/picture").status_code == 403


@pytest.mark.parametrize("path", ["picture.csv", "claims.csv", "operation.csv", "persons.csv"])
def test_every_export_parses_with_libhxl(loaded, path, tmp_path):
    r = loaded.get(f"/api/exports/{path}", params={"as_of": "2016-12-16T22:00:00+02:00"} if path == "picture.csv" else None)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # a spreadsheet opens Arabic as Arabic only with the mark
    rows = list(__import__("csv").reader(io.StringIO(r.content.decode("utf-8-sig"))))
    data = hxl.data(rows)
    as_downloaded = hxl.data(list(__import__("csv").reader(io.StringIO(r.text))))  # the mark left in: tags still read
    assert [c.display_tag for c in as_downloaded.columns] == rows[1]
    assert [c.display_tag for c in data.columns] == rows[1] and all(t.startswith("#") for t in rows[1])
    parsed = list(data)
    assert len(parsed) == len(rows) - 2 and parsed
    if path == "claims.csv":
        assert {row.get("#meta+source") for row in parsed} >= {"ICRC", "Government B"}
    if path == "persons.csv":
        assert "#respondee+name+i_en" not in rows[1] and "#respondee+token" not in rows[1]
        assert not any("al-Halabi" in cell for row in rows for cell in row)
        assert sorted(row.get("#status") for row in parsed) == ["waiting", "waiting"]


def test_persons_with_names_only_for_a_role_that_sees_them_and_logged(loaded, op):
    from corridor.service import access, exports
    from tests.helpers import CONSOLE

    r = loaded.as_role(Role.ANALYST).get("/api/exports/persons.csv", params={"with_names": "true"})
    assert r.status_code == 403 and r.json()["field"] == "with_names"
    text = "".join(exports.persons_csv(op, CONSOLE, with_names=True))
    assert "Mohammed al-Halabi" in text and "#respondee+name+i_en" in text
    assert access.entries(op)[0]["kind"] == access.PERSONS_EXPORT
