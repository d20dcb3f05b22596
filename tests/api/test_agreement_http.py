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


def test_a_persons_category_is_read_by_the_roles_allowed_and_each_read_is_logged(client, op):
    from corridor.service import access

    coordinator, officer = client.as_role(Role.COORDINATOR), client.as_role(Role.PROTECTION_OFFICER)
    home = register(op, persons=[person(relationship="head")])
    token = home["persons"][0]["token"]
    assert coordinator.post("/api/agreement", json={"terms": {}}).status_code == 201
    r = officer.get(f"/api/persons/{token}/category")
    assert r.status_code == 200 and r.json()["category"] == "civilian" and r.json()["set"] is False
    assert officer.post(f"/api/persons/{token}/category",
                        json={"category": "armed_group", "items": ["light_weapon"], "note": "declared"}).status_code == 201
    r = coordinator.get(f"/api/persons/{token}/category")
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["category"], got["items"], got["note"], got["set"]) == ("armed_group", ["light_weapon"], "declared",
                                                                         True)
    for role in (Role.REGISTRAR, Role.BOARDING_MARSHAL, Role.MEDIC, Role.ANALYST, Role.PARTNER, Role.ADMIN):
        r = client.as_role(role).get(f"/api/persons/{token}/category")
        assert r.status_code == 403 and r.json()["permission"] == "category"
    reads = [e for e in access.entries(op) if e["kind"] == access.CATEGORY]
    assert [(e["account"], e["subject"]) for e in reads] == [("coordinator", token), ("protection_officer", token)]
    assert all("armed_group" not in str(e) for e in access.entries(op))  # who read whom, never the category
    # bad input: the field named, nothing read, nothing logged
    bad = coordinator.get("/api/persons/not-a-token/category")
    assert bad.status_code in (400, 422) and bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["field"] == "token"
    unknown = coordinator.get(f"/api/persons/{token[:-2]}ZZ/category")
    assert unknown.status_code in (404, 422) and unknown.json()["field"] == "token"
    assert len([e for e in access.entries(op) if e["kind"] == access.CATEGORY]) == 2
