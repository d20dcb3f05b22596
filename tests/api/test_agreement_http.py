"""GET/POST /api/agreement, a person's category (a protection-sensitive field, role-restricted), the linked
figures, and a coordinator's override; bad terms answered with problem+json naming the field."""

from corridor.domain.permissions import Role
from tests.conftest import person, register
from tests.helpers import plan, planned_trip


def test_agreement_over_http(client, op):
    coordinator = client.as_role(Role.COORDINATOR)
    home = register(op, persons=[person(relationship="head")])
    token = home["persons"][0]["token"]
    plan(op)  # planned before the agreement was recorded
    trip = planned_trip(op, token)
    r = coordinator.post("/api/agreement", json={"terms": {"link": {"name": "Linked towns", "ratio": 0}}})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["field"] == "link.ratio"
    r = coordinator.post("/api/agreement", json={"terms": {"link": {"name": "Linked towns", "ratio": 1}}})
    assert r.status_code == 201, r.text
    r = coordinator.post("/api/agreement", json={"terms": {"quotas": [{"period": "day", "limit": 10}]}})
    assert r.status_code == 409 and r.json()["field"] == "reason"  # valid before an agreement is recorded
    assert coordinator.get("/api/agreement").json()["link"]["held"]
    assert coordinator.get("/api/status").json()["agreement_link"]["words"] == "held: linked operation 0 of 1 needed"

    r = client.as_role(Role.PROTECTION_OFFICER).post(f"/api/persons/{token}/category",
                                                     json={"category": "armed_group", "items": ["light_weapon"]})
    assert r.status_code == 201, r.text
    r = client.as_role(Role.REGISTRAR).post(f"/api/persons/{token}/category", json={"category": "civilian"})
    assert r.status_code == 403 and r.json()["permission"] == "category"
    r = coordinator.post(f"/api/persons/{token}/category", json={"category": "nobody"})
    assert r.status_code == 404 and r.json()["field"] == "category"

    assert client.as_role(Role.BOARDING_MARSHAL).post(f"/api/trips/{trip}/board",
                                                      json={"tokens": [token]}).status_code == 201
    r = client.as_role(Role.BOARDING_MARSHAL).post(f"/api/trips/{trip}/depart", json={})
    assert r.status_code == 409 and r.json()["field"] == "agreement.link"
    r = coordinator.post(f"/api/trips/{trip}/depart-override", json={"override": "both parties agreed at 14:05"})
    assert r.status_code == 201 and r.json()["data"]["override"]["rules"] == ["agreement.link"]
    r = coordinator.post("/api/agreement/linked", json={"moved": 5})
    assert r.status_code == 201
    assert coordinator.get("/api/agreement").json()["link"]["words"].startswith("open: 4 more may leave")
