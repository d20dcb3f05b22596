"""The boarding lane (api/lane.py) answers an ordinary scan as the route does: the same status, headers and body
for a boarding, a resend, a conflict and a refusal; anything it does not take as it stands reaches the route
(an account limited to sites, a token not yet verified by this server, a body or header the route refuses)."""

from __future__ import annotations

import pytest

from corridor.api import running
from corridor.domain.permissions import Role
from corridor.service import accounts
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip

MARSHAL = Role.BOARDING_MARSHAL
JSON = {"Content-Type": "application/json"}
VIA_ROUTE = {"Content-Type": "application/json; charset=utf-8"}  # the same to the route; not taken by the lane


@pytest.fixture
def scans(op):
    tokens = [register(op, persons=[person(relationship="head")])["persons"][0]["token"] for _ in range(4)]
    plan(op)
    return [(planned_trip(op, token), token) for token in tokens]


@pytest.fixture
def route_calls(monkeypatch):
    """How many answers the route itself made (the lane makes its own)."""
    made = []
    real = running.answer

    def counted(*args):
        made.append(1)
        return real(*args)

    monkeypatch.setattr(running, "answer", counted)
    return made


def post(client, trip: str, tokens: list[str], key: str, headers: dict):
    return client.post(f"/api/trips/{trip}/board", content=f'{{"tokens": {tokens!r}}}'.replace("'", '"'),
                       headers={**headers, "Idempotency-Key": key})


def same(a, b) -> bool:
    def seen(r):
        return r.status_code, [(k, v) for k, v in r.headers.items() if k not in ("date", "server")], r.content
    return seen(a) == seen(b)


def test_the_lane_answers_a_boarding_and_its_resend_as_the_route_does(client, op, scans, route_calls):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b) = scans[:2]
    assert post(marshal, trip_a, [a], "k:first", VIA_ROUTE).status_code == 201  # verified now, then remembered
    assert len(route_calls) == 1
    by_lane = post(marshal, trip_b, [b], "k:b", JSON)
    assert by_lane.status_code == 201 and len(route_calls) == 1
    assert by_lane.headers["content-type"] == "application/json" and "idempotent-replayed" not in by_lane.headers
    assert by_lane.json()["data"]["persons"] == [b] and by_lane.json()["command_id"] == "k:b"
    with nothing_changes(op):
        resent_by_lane = post(marshal, trip_b, [b], "k:b", JSON)
        resent_by_route = post(marshal, trip_b, [b], "k:b", VIA_ROUTE)
    assert len(route_calls) == 2
    assert resent_by_lane.status_code == 200 and resent_by_lane.headers["idempotent-replayed"] == "true"
    assert same(resent_by_lane, resent_by_route)
    assert resent_by_lane.json()["seq"] == by_lane.json()["seq"]


@pytest.mark.parametrize("case", ["conflict", "unknown trip", "unknown person", "aboard already"])
def test_the_lane_refuses_as_the_route_does(client, op, scans, route_calls, case):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b) = scans[:2]
    assert post(marshal, trip_a, [a], "k:a", VIA_ROUTE).status_code == 201
    trip, tokens, key = {"conflict": (trip_b, [b], "k:a"), "unknown trip": ("T99999", [b], "k:x"),
                         "unknown person": (trip_b, ["P00000000"], "k:y"),
                         "aboard already": (trip_a, [a], "k:z")}[case]
    with nothing_changes(op):
        by_lane = post(marshal, trip, tokens, key, JSON)
        by_route = post(marshal, trip, tokens, key, VIA_ROUTE)
    assert by_lane.status_code in (404, 409, 422) and by_lane.headers["content-type"] == "application/problem+json"
    assert same(by_lane, by_route)
    assert len(route_calls) == 1  # only the first boarding: refusals are problems, not answers


def test_a_token_revoked_is_refused_by_the_lane_as_by_the_route(client, op, scans):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b) = scans[:2]
    assert post(marshal, trip_a, [a], "k:a", JSON).status_code == 201
    accounts.revoke(op, account=MARSHAL.value)
    with nothing_changes(op):
        by_lane = post(marshal, trip_b, [b], "k:b", JSON)
        assert by_lane.status_code == 401 and by_lane.headers["www-authenticate"].startswith("Bearer")
        by_route = post(marshal, trip_b, [b], "k:b", VIA_ROUTE)  # the token forgotten: read before the command
    assert by_route.status_code == 401 and "revoked" in by_lane.json()["detail"] and "revoked" in by_route.json()["detail"]


@pytest.mark.parametrize("body", ['null', '{"tokens": []}', '{"tokens": ["P1"], "extra": 1}', '{"tokens": [1]}',
                                  '{"tokens": ["P00000000"], "at": "soon"}', 'not json', ''])
def test_what_the_route_would_refuse_reaches_the_route(client, op, scans, route_calls, body):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, _) = scans[:2]
    assert post(marshal, trip_a, [a], "k:a", JSON).status_code == 201  # remembered: the lane would take it
    with nothing_changes(op):
        sent = marshal.post(f"/api/trips/{trip_b}/board", content=body, headers={**JSON, "Idempotency-Key": "k:b"})
    assert sent.status_code == 422 and sent.headers["content-type"] == "application/problem+json"
    assert sent.json()["field"]


def test_headers_the_lane_does_not_take_reach_the_route(client, op, scans, route_calls):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b), (trip_c, c) = scans[:3]
    assert post(marshal, trip_a, [a], "k:a", JSON).status_code == 201
    with nothing_changes(op):
        bad_key = post(marshal, trip_b, [b], " k", JSON)  # a space at the start: not a key
        assert bad_key.status_code == 422 and bad_key.json()["field"] == "Idempotency-Key"
    charset = post(marshal, trip_c, [c], "k:c", VIA_ROUTE)  # JSON all the same: the route boards it
    assert charset.status_code == 201 and len(route_calls) == 1


def test_an_account_limited_to_sites_is_judged_by_the_route(client, op, route_calls):
    here, there = (register(op, gathering_point=gp, persons=[person(relationship="head")])["persons"][0]["token"]
                   for gp in ("GP-A", "GP-B"))
    plan(op)
    trip_here, trip_there = planned_trip(op, here), planned_trip(op, there)
    accounts.add_user(op, "marshal-a", role=MARSHAL, sites=["GP-A"], password="a long enough pass phrase 7",
                      by="tests")
    limited = {"Authorization": f"Bearer {accounts.create_token(op, 'marshal-a', by='tests')['token']}", **JSON}
    anon = client.as_role("anonymous")
    for n, (trip, token) in enumerate([(trip_here, here), (trip_here, here)]):  # the second: a resend
        assert anon.post(f"/api/trips/{trip}/board", content=f'{{"tokens": ["{token}"]}}',
                         headers={**limited, "Idempotency-Key": "k:here"}).status_code == (201, 200)[n]
    assert len(route_calls) == 2  # remembered, but limited to sites: the route reads the trip's sites each time
    with nothing_changes(op):
        refused = anon.post(f"/api/trips/{trip_there}/board", content=f'{{"tokens": ["{there}"]}}',
                            headers={**limited, "Idempotency-Key": "k:there"})
    assert refused.status_code == 403 and refused.json()["permission"] == "board"


def test_the_lane_is_behind_the_guard(op, scans, signed_in, monkeypatch):
    from corridor.api import lane
    from corridor.api.app import create_app
    from corridor.api.limits import BodyLimits

    marshal = signed_in(create_app(op, body_limits=BodyLimits(default=200)), role=MARSHAL)
    (trip_a, a), (trip_b, b) = scans[:2]
    assert post(marshal, trip_a, [a], "k:a", JSON).status_code == 201
    with nothing_changes(op):
        large = post(marshal, trip_b, [b] * 30, "k:b", JSON)
        assert large.status_code == 413 and large.json()["field"] == "body"

        def broken(*_args, **_kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(lane.movement, "board_async", broken)
        failed = post(marshal, trip_b, [b], "k:b", JSON)
    assert failed.status_code == 500 and failed.headers["content-type"] == "application/problem+json"
    assert "reference" in failed.json()


@pytest.fixture
def desk_route_calls(monkeypatch):
    """How many answers the desk's scan route itself made (the lane makes its own)."""
    from corridor.api import desk as desk_route

    made = []
    real = desk_route.scan_status

    def counted(found):
        made.append(1)
        return real(found)

    monkeypatch.setattr(desk_route, "scan_status", counted)
    return made


def desk_scan(client, trip: str, token: str, key: str, headers: dict, **more):
    body = {"token": token, **more}
    return client.post(f"/api/desk/trips/{trip}/scan", content=str(body).replace("'", '"').replace("True", "true"),
                       headers={**headers, "Idempotency-Key": key})


def test_the_lane_answers_a_desk_scan_and_its_resend_as_the_desk_route_does(client, op, scans, desk_route_calls):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b) = scans[:2]
    assert desk_scan(marshal, trip_a, a, "d:first", VIA_ROUTE).status_code == 201  # verified now, then remembered
    by_lane = desk_scan(marshal, trip_b, b, "d:b", JSON)
    assert len(desk_route_calls) == 1
    assert by_lane.status_code == 201 and by_lane.headers["cache-control"] == "no-store"
    assert by_lane.json()["outcome"] == "accepted" and by_lane.json()["persons"] == [b]
    assert "detail" not in by_lane.json()  # the empty fields left out, as the route leaves them out
    with nothing_changes(op):
        resent_by_lane = desk_scan(marshal, trip_b, b, "d:b", JSON)
        resent_by_route = desk_scan(marshal, trip_b, b, "d:b", VIA_ROUTE)
    assert len(desk_route_calls) == 2
    assert resent_by_lane.status_code == 200 and resent_by_lane.json()["replayed"] is True
    assert same(resent_by_lane, resent_by_route)


@pytest.mark.parametrize("case", ["aboard already", "not registered", "unknown trip", "conflict", "boarded elsewhere"])
def test_the_lane_tells_a_desk_what_the_desk_route_tells_it(client, op, scans, desk_route_calls, case):
    marshal = client.as_role(MARSHAL)
    (trip_a, a), (trip_b, b), (trip_c, c) = scans[:3]
    assert desk_scan(marshal, trip_a, a, "d:a", VIA_ROUTE).status_code == 201
    assert desk_scan(marshal, trip_c, c, "d:c", JSON, force=True).status_code == 201
    trip, token, key = {"aboard already": (trip_a, a, "d:x"),
                        "not registered": (trip_b, "P00000000", "d:z"), "unknown trip": ("T99999", b, "d:w"),
                        "conflict": (trip_b, b, "d:a"), "boarded elsewhere": (trip_b, c, "d:v")}[case]
    with nothing_changes(op):
        by_lane = desk_scan(marshal, trip, token, key, JSON)
        by_route = desk_scan(marshal, trip, token, key, VIA_ROUTE)
    assert same(by_lane, by_route)
    assert by_lane.status_code in (200, 409)
    assert len(desk_route_calls) == 1 + (by_lane.status_code == 200)  # the route's own answers; a conflict is a problem


def test_the_lane_names_the_right_trip_as_the_desk_route_does(client, op, desk_route_calls):
    here, there = (register(op, gathering_point=gp, persons=[person(relationship="head")])["persons"][0]["token"]
                   for gp in ("GP-A", "GP-B"))
    plan(op)
    trip_here, trip_there = planned_trip(op, here), planned_trip(op, there)
    marshal = client.as_role(MARSHAL)
    assert desk_scan(marshal, trip_here, here, "d:here", VIA_ROUTE).status_code == 201
    with nothing_changes(op):
        by_lane = desk_scan(marshal, trip_here, there, "d:there", JSON)
        by_route = desk_scan(marshal, trip_here, there, "d:there", VIA_ROUTE)
    assert by_lane.json()["outcome"] == "wrong_trip" and by_lane.json()["right_trip"] == trip_there
    assert same(by_lane, by_route) and len(desk_route_calls) == 2
