"""The registrar's duplicates screen (/desk/duplicates) over HTTP (TestClient): behind login and the duplicates
permission, in English and Arabic (right to left) with the evidence in the page's language, linked from the
registration desk; a merge and a dismissal sent as the page sends them (session cookie, CSRF token, an
Idempotency-Key): a resend absorbed, a pair decided meanwhile answered 409 problem+json. The browser test is in
test_desk_duplicates_browser.py."""

from __future__ import annotations

import pytest

from corridor.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from corridor.service import access, duplicates
from corridor.service.recording import Meta
from tests.auth_client import ANONYMOUS
from tests.conftest import password_of, person, register

PATH = "/desk/duplicates"


def twice(rt, name_ar: str, name_latin: str, year: int, sex: str = "male") -> tuple[str, str]:
    """One person registered twice, at two gathering points, a year apart: their two tokens."""
    tokens = []
    for point, born, latin in (("GP-A", year, name_latin), ("GP-B", year + 1, name_latin.replace("a", "e", 1))):
        h = register(rt, gathering_point=point, persons=[person(name_ar, latin, sex=sex, birth_year=born,
                                                                relationship="head")])
        tokens.append(h["persons"][0]["token"])
    return tokens[0], tokens[1]


@pytest.fixture
def registry(op):
    """Two persons each registered twice, and a duplicate check run."""
    first = twice(op, "محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi", 1980)
    second = twice(op, "فاطمة خالد الشامي", "Fatima Khaled al-Shami", 1992, sex="female")
    duplicates.check(op, Meta())
    return {"first": first, "second": second}


def signed_in_as_the_page_is(client, role="registrar"):
    """A client holding the session cookie the login page sets, and the CSRF token the page sends."""
    anon = client.as_role(ANONYMOUS)
    answer = anon.post("/api/login", json={"username": role, "password": password_of(role)})
    assert answer.status_code == 200
    return anon, answer.json()["csrf"]


def test_the_screen_needs_login_and_the_duplicates_permission(client):
    anonymous = client.as_role(ANONYMOUS).get(PATH, follow_redirects=False)
    assert anonymous.status_code in (303, 307) and anonymous.headers["location"].startswith("/login")
    for role in Role:
        expected = 200 if Permission.DUPLICATES in ROLE_PERMISSIONS[role] else 403
        assert client.as_role(role).get(PATH).status_code == expected, role


@pytest.mark.parametrize("lang, direction, words", [
    ("en", "ltr", ("Run a duplicate check", "birth year 1980 vs 1981: one year apart", "Same person: keep this one")),
    ("ar", "rtl", ("إجراء فحص للتكرار", "سنة الميلاد 1980 مقابل 1981: بفارق سنة واحدة", "شخصان مختلفان")),
])
def test_the_screen_shows_the_check_and_the_pairs_with_their_evidence(client, op, registry, lang, direction, words):
    html = client.as_role(Role.REGISTRAR).get(f"{PATH}?lang={lang}")
    assert html.status_code == 200 and html.headers["x-desk-keep"] == "no"
    text = html.text
    assert f'<html lang="{lang}" dir="{direction}">' in text
    for word in words:
        assert word in text
    for token in (*registry["first"], *registry["second"]):
        assert token in text
    assert 'id="pair-count">2<' in text and "محمد أحمد الحلبي" in text and "Fatima Khaled al-Shami" in text
    evidence = text.split('class="dup-evidence"', 1)[1].split("</ul>", 1)[0]
    if lang == "ar":
        assert "birth year" not in evidence and "log2" not in evidence
    assert "duplicates_list" in {e["kind"] for e in access.entries(op, account="registrar")}
    assert f'href="{PATH}"' in client.as_role(Role.REGISTRAR).get(f"/desk/registration?lang={lang}").text


def test_a_merge_and_a_dismissal_as_the_page_sends_them(client, op, registry):
    page, csrf = signed_in_as_the_page_is(client)
    (a1, b1), (a2, b2) = registry["first"], registry["second"]

    def send(path, body, key):
        return page.post(f"/api/duplicates/{path}", json=body, headers={"X-CSRF-Token": csrf, "Idempotency-Key": key})

    merged = send("merge", {"kept": b1, "duplicate": a1, "note": "same card"}, "desk-merge-1")
    assert merged.status_code == 201
    again = send("merge", {"kept": b1, "duplicate": a1, "note": "same card"}, "desk-merge-1")  # a resent click
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["seq"] == merged.json()["seq"]
    meanwhile = send("dismiss", {"a": a1, "b": b1, "note": ""}, "desk-dismiss-other-registrar")
    assert meanwhile.status_code == 409 and meanwhile.headers["content-type"] == "application/problem+json"
    assert "already" in meanwhile.json()["detail"]

    dismissed = send("dismiss", {"a": a2, "b": b2, "note": ""}, "desk-dismiss-1")
    assert dismissed.status_code == 201
    assert send("dismiss", {"a": a2, "b": b2, "note": ""}, "desk-dismiss-1").status_code == 200
    assert send("merge", {"kept": a2, "duplicate": b2, "note": ""}, "desk-merge-2").status_code == 409
    listing = page.get("/api/duplicates", params={"status": ["merged", "dismissed"]}).json()["pairs"]
    decided = {tuple(sorted((p["a"]["token"], p["b"]["token"]))): (p["status"], p["kept"]) for p in listing}
    assert decided == {tuple(sorted((a1, b1))): ("merged", b1), tuple(sorted((a2, b2))): ("dismissed", None)}
    shown = page.get(PATH).text
    assert 'id="pair-count">0<' in shown and shown.count('class="dup-undo"') == 2

    undone = send("undo", {"a": a1, "b": b1, "note": ""}, "desk-undo-1")  # the merge taken back from the screen
    assert undone.status_code == 201
    assert send("undo", {"a": a1, "b": b1, "note": ""}, "desk-undo-1").status_code == 200  # a resent click
    shown = page.get(PATH).text
    assert 'id="pair-count">1<' in shown and shown.count('class="dup-undo"') == 1


def test_a_long_list_shows_the_highest_scores_first_and_says_how_many_wait(client, registry, monkeypatch):
    from corridor.web.desk import duplicates as screen

    monkeypatch.setattr(screen, "SHOWN", 1)
    text = client.as_role(Role.REGISTRAR).get(f"{PATH}?lang=en").text
    assert text.count('class="card dup-pair') == 1 and 'id="pair-count">2<' in text
    assert "The 1 with the highest score of 2 are shown" in text
    everything = client.as_role(Role.REGISTRAR).get("/api/duplicates").json()["pairs"]
    best = max(everything, key=lambda p: p["score"])
    assert f'data-a="{best["a"]["token"]}"' in text
