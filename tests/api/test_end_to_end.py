"""A small demo operation driven to its end through the HTTP API alone."""

from corridor.scenarios import east_aleppo
from corridor.service import reports


def post(client, path, body=None, status=201, **kw):
    r = client.post(path, json=body, **kw)
    assert r.status_code == status, f"{path}: {r.status_code} {r.text}"
    return r.json()


def test_a_demo_operation_runs_to_completion_over_http(client_empty):
    c, rt = client_empty
    spec = east_aleppo.setup_spec(buses=4, ambulances=2, later_buses=0)
    post(c, "/api/operation", spec["operation"])
    for s in spec["sites"]:
        post(c, "/api/sites", s)
    for leg in spec["legs"]:
        post(c, "/api/legs", leg)
    for v in spec["vehicles"]:
        post(c, "/api/vehicles", v)
    pop = east_aleppo.population(300, seed=5)
    batch = [{**h, "command_id": f"reg-{i}"} for i, h in enumerate(pop.households)]
    receipts = post(c, "/api/households/batch", {"households": batch})["receipts"]
    assert len(receipts) == len(pop.households)
    assert post(c, "/api/households/batch", {"households": batch}, status=200)["receipts"][0]["replayed"]

    start = east_aleppo.START
    plan = post(c, "/api/plan", {"at": start.isoformat()})["data"]
    assert plan["lower_bound_at"] <= plan["finish_at"]
    setup = c.get("/api/setup").json()
    checkpoints = {s["code"] for s in setup["sites"] if s["kind"] == "checkpoint"}

    held = None
    queue, done_trips = list(plan["trips"]), 0
    while queue:
        trip = queue.pop(0)
        n, tid = done_trips, trip["id"]
        post(c, f"/api/trips/{tid}/board", {"tokens": trip["persons"]}, headers={"Idempotency-Key": f"b-{tid}"})
        if n == 1:  # shelling: the operation halts, departures are refused, then it resumes and plans the rest
            post(c, "/api/halt", {"cause": "shelling", "note": "near the crossing"})
            assert c.post(f"/api/trips/{tid}/depart").status_code == 409
            resumed = post(c, "/api/resume", {"note": "guarantees renewed"})
            assert resumed["replan"]["data"]["cancelled_trips"] == [t["id"] for t in queue]
            queue = list(resumed["replan"]["data"]["trips"])
        post(c, f"/api/trips/{tid}/depart")
        done_trips += 1
        for cp in [s for s in trip["route"] if s in checkpoints]:
            off = []
            if n == 2 and held is None:
                held = trip["persons"][0]
                off = [{"token": held, "outcome": "held", "reason": "questioned, as stated by the checkpoint"}]
            post(c, f"/api/trips/{tid}/checkpoints/{cp}", {"taken_off": off})
        post(c, f"/api/trips/{tid}/arrive")
        aboard = [p for p in trip["persons"] if p != held]
        for i in range(0, len(aboard), 100):
            post(c, f"/api/trips/{tid}/scan-in", {"tokens": aboard[i:i + 100]})
        post(c, f"/api/trips/{tid}/close")

    status = c.get("/api/status").json()
    assert status["persons_registered"] == pop.persons
    assert status["persons"]["arrived"] == pop.persons - 1
    assert status["persons"]["held"] == 1
    assert status["trips"]["closed"] == done_trips and status["trips"]["planned"] == 0
    rec = c.get("/api/reconciliation").json()
    explained = {d["person"]: d for t in rec["trips"] for d in t["differences"]}
    assert list(explained) == [held] and explained[held]["kind"] == "held"
    assert [h["cause"] for h in c.get("/api/timeline").json()] == ["shelling"]
    assert c.get("/api/verify").json()["ok"]

    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before


def test_the_operation_s_time_zone_is_its_own_and_an_unknown_one_is_refused(client_empty):
    c, rt = client_empty
    operation = east_aleppo.setup_spec(buses=1, ambulances=0, later_buses=0)["operation"]
    refused = c.post("/api/operation", json={**operation, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert "time_zone" in str(refused.json()) and c.get("/api/status").json()["operation"] is None
    post(c, "/api/operation", operation)  # the demo's: Asia/Damascus
    clock = c.get("/api/status").json()["clock"]
    assert clock["time_zone"] == east_aleppo.TIME_ZONE and clock["local"].endswith("+02:00")
