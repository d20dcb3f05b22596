"""Registering over HTTP takes every person field of the domain, family links included (defect 7)."""


def test_a_household_with_family_links_registers_over_http(client):
    first = client.post("/api/households", json={
        "gathering_point": "GP-A", "persons": [{"name_latin": "Ali Hassan", "relationship": "head"}]})
    assert first.status_code == 201, first.text
    brother = first.json()["data"]["persons"][0]["token"]
    r = client.post("/api/households", json={
        "gathering_point": "GP-B", "destination": "RC-1",
        "persons": [{"name_latin": "Omar Hassan", "links": [brother.lower()]}, {"name_latin": "Mona Hassan"}]})
    assert r.status_code == 201, r.text
    persons = r.json()["data"]["persons"]
    assert persons[0]["links"] == [brother] and persons[1]["links"] == []
    assert [p["relationship"] for p in persons] == ["unknown", "unknown"]


def test_an_unknown_person_field_is_still_refused(client):
    r = client.post("/api/households", json={"gathering_point": "GP-A", "persons": [{"name_latin": "Ali", "nick": "A"}]})
    assert r.status_code == 422
