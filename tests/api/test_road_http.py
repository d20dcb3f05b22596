"""The road over HTTP, end to end: a private vehicle joins a convoy, a convoy is turned back and planned again, a
vehicle is attacked with people aboard; bad input answered problem+json naming the field; the ledger verifies and
rebuilt views are identical."""

from corridor.service import reports
from tests.conftest import person, register


def post(client, path, body=None, status=201):
    r = client.post(path, json=body)
    assert r.status_code == status, f"{path}: {r.status_code} {r.text}"
    return r.json()


def test_the_road_over_http(client):
    rt = client.app.state.runtime
    a = register(rt)
    b = register(rt, gathering_point="GP-B", persons=[person()])
    plan = post(client, "/api/plan")["data"]
    trips = {t["origin"]: t for t in plan["trips"]}
    ta, tb = trips["GP-A"], trips["GP-B"]
    walker = register(rt, persons=[person(), person()])
    pv = post(client, f"/api/convoys/{ta['convoy']}/private-vehicles",
              {"plate": "AL-9", "kind": "van", "seats": 9, "driver": "registered occupant",
               "occupants": [p["token"] for p in walker["persons"]], "unregistered": 4})["data"]["trip"]
    too_many = client.post(f"/api/convoys/{ta['convoy']}/private-vehicles",
                           json={"plate": "AL-10", "kind": "car", "seats": 2, "driver": "x", "unregistered": 3})
    assert too_many.status_code == 422 and too_many.json()["field"] == "occupants"
    assert too_many.headers["content-type"] == "application/problem+json"

    for trip, who in ((ta["id"], a["token"]), (tb["id"], b["token"])):
        post(client, f"/api/trips/{trip}/board", {"tokens": [who]})
        post(client, f"/api/trips/{trip}/depart")
    post(client, f"/api/trips/{pv}/depart")
    back = post(client, f"/api/convoys/{ta['convoy']}/turn-back",
                {"checkpoint": "CP-1", "reason": "sent back, as stated"})["data"]
    assert {t["trip"] for t in back["trips"]} == {ta["id"], pv}
    assert len(back["returned"]) == len(a["persons"]) + len(walker["persons"])
    again = client.post(f"/api/convoys/{ta['convoy']}/turn-back", json={"checkpoint": "CP-1", "reason": "again"})
    assert again.status_code == 409 and again.json()["field"] == "convoy"

    lost = post(client, f"/api/trips/{tb['id']}/lost", {"incident": "burned", "note": "set on fire, as reported",
                                                         "others": "injured"})["data"]
    assert [f["outcome"] for f in lost["persons"]] == ["injured"]
    bad = client.post(f"/api/trips/{tb['id']}/lost", json={"incident": "burned"})
    assert bad.status_code == 409 and bad.json()["field"] == "trip"

    status = client.get("/api/status").json()
    assert status["persons"]["injured"] == 1 and status["persons"]["waiting"] == 4
    assert status["trips"]["turned_back"] == 2 and status["trips"]["lost"] == 1
    rec = client.get("/api/reconciliation").json()
    kinds = {t["trip"]: [d["kind"] for d in t["differences"]] for t in rec["trips"]}
    assert kinds[ta["id"]] == [] and kinds[pv] == [] and kinds[tb["id"]] == ["injured"]
    replanned = post(client, "/api/plan")["data"]
    assert sorted(p for t in replanned["trips"] for p in t["persons"]) == sorted(back["returned"])
    assert client.get("/api/verify").json()["ok"]
    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before
