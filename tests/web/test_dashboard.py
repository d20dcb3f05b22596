"""The dashboard at `/` through the FastAPI test client: figures, halts, both languages, privacy, htmx."""

from __future__ import annotations

import logging
import re
from pathlib import Path


from corridor.service import movement, planning, registration, reports
from corridor.service.recording import Meta
from corridor.web import routes
from tests.conftest import person, register
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field

STATIC = Path(routes.__file__).resolve().parent / "static"


def figure(html: str, name: str) -> str:
    found = re.search(rf'id="fig-{re.escape(name)}">([^<]*)<', html)
    assert found, f"no figure {name!r} on the page"
    return found.group(1).strip()


def a_trip(rt, origin: str = "GP-A") -> dict:
    return next(t for t in reports.trips(rt) if t["origin"] == origin and t["assigned"])


def tokens_on(rt, households: list[str], trip: str) -> list[str]:
    """The person tokens, among these households, assigned to a trip (as a boarding team would scan them)."""
    people = (p for h in households for p in registration.describe(rt, h, viewer=CONSOLE)["persons"])
    return [p["token"] for p in people if p["trip"] == trip]


def run_with_losses(rt) -> dict:
    """One household boards; one member is held at CP-1; the trip arrives and closes with nobody scanned in."""
    household = register(rt)
    planning.plan(rt, Meta())
    trip = a_trip(rt)["id"]
    movement.board(rt, Meta(), trip=trip, tokens=household["token"])
    movement.depart(rt, Meta(), trip=trip)
    held = household["persons"][1]["token"]
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "questioning"}])
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(rt, Meta(), trip=trip)
    movement.close(rt, Meta(), trip=trip)
    return household


# --- figures ------------------------------------------------------------------------------

def test_page_shows_the_operation_in_both_scripts(client):
    html = client.get("/").text
    assert "Test evacuation" in html and "إجلاء تجريبي" in html
    assert '<html lang="en" dir="ltr">' in html
    assert figure(html, "registered") == "0"
    assert "No plan yet" in html


def test_page_shows_the_figures(client, op, clock):
    register(op)
    register(op, gathering_point="GP-B", persons=[person(precedence="urgent", mobility="stretcher")])
    html = client.get("/").text
    assert figure(html, "registered") == "3"
    assert figure(html, "households") == "2"
    assert figure(html, "person-waiting") == "3"
    assert figure(html, "urgent-waiting") == "1"

    planning.plan(op, Meta())
    status = reports.status(op)
    html = client.get("/").text
    assert figure(html, "person-waiting") == "0"
    assert figure(html, "person-assigned") == "3"
    assert figure(html, "urgent-assigned") == "1"
    assert figure(html, "trips-planned") == str(status["trips"]["planned"])
    assert figure(html, "differences") == "0" and figure(html, "unaccounted") == "0"
    finish = status["plan"]["finish_at"][:16].replace("T", " ")
    bound = status["plan"]["lower_bound_at"][:16].replace("T", " ")
    assert f"{finish} UTC" in html and f"{bound} UTC" in html
    assert "T00001" in html  # the trips table


def test_sites_show_names_and_who_waits_where(client, op):
    register(op)
    register(op)
    register(op, gathering_point="GP-B")
    html = client.get("/").text
    rows = re.findall(r'<tr class="site-gathering_point">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    assert "Gathering A" in rows[0] and "نقطة التجمع أ" in rows[0] and "<strong>4</strong>" in rows[0]
    assert "Gathering B" in rows[1] and "<strong>2</strong>" in rows[1]
    assert "مركز استقبال ١" in html and "Reception centre" in html


def test_losses_show_as_colour_and_words(client, op):
    run_with_losses(op)
    html = client.get("/").text
    rec = reports.reconcile(op, viewer=CONSOLE)
    assert rec["differences"] > 0 and rec["unaccounted"] > 0
    assert figure(html, "differences") == str(rec["differences"])
    assert figure(html, "unaccounted") == str(rec["unaccounted"])
    assert figure(html, "person-held") == "1"
    assert re.search(r'class="tile[^"]* alert"><span class="figure" id="fig-unaccounted">', html)
    assert "⚠" in html


# --- the trips table ------------------------------------------------------------------------

def test_trips_table_puts_active_trips_first_and_is_capped(client, op, monkeypatch):
    monkeypatch.setattr(routes, "TABLE_ROWS", 5)
    receipts = registration.register_households(
        op, [(Meta(), {"gathering_point": "GP-A", "destination": "RC-1", "persons": [person(), person(relationship="child", birth_year=2010)]})
             for _ in range(30)])
    planning.plan(op, Meta())
    planned = reports.trips(op)
    assert len(planned) > 5
    late = planned[-1]
    movement.board(op, Meta(), trip=late["id"], tokens=tokens_on(op, [r.data["token"] for r in receipts], late["id"]))

    html = client.get("/").text
    rows = re.findall(r'<tr class="row-(\w+)">\s*<td class="nowrap"><bdi>(T\d+)</bdi>', html)
    assert len(rows) == 5
    assert rows[0] == ("boarding", late["id"])
    assert all(state == "planned" for state, _ in rows[1:])
    assert f"More trips not shown: {len(planned) - 5}" in html


def test_dashboard_stays_quick_with_many_trips(client, op):
    registration.register_households(op, [(Meta(), {"gathering_point": "GP-A", "destination": "RC-1",
                                                     "persons": [person()]}) for _ in range(400)])
    planning.plan(op, Meta())
    assert len(reports.trips(op)) > routes.TABLE_ROWS
    html = client.get("/fragments/live").text
    assert len(re.findall(r'<tr class="row-', html)) == routes.TABLE_ROWS
    assert "More trips not shown" in html


# --- halts ------------------------------------------------------------------------------------

def test_halted_banner_appears_and_goes(client, op):
    assert 'id="halted-banner"' not in client.get("/").text
    movement.halt(op, Meta(), cause="shelling", note="")
    html = client.get("/").text
    assert 'id="halted-banner"' in html
    assert "Operation halted" in html and "Shelling" in html
    assert "since" in html and "2016-12-15 04:00 UTC" in html
    assert "still halted" in html

    movement.resume(op, Meta(), note="calm again")
    html = client.get("/").text
    assert 'id="halted-banner"' not in html and "Operation running" in html
    assert "Resumed" in html and "calm again" in html


def test_halted_banner_in_arabic(client, op):
    movement.halt(op, Meta(), cause="route_blocked", note="")
    html = client.get("/?lang=ar").text
    assert "العملية متوقفة" in html and "الطريق مغلق" in html


# --- languages ------------------------------------------------------------------------------

def test_arabic_page_is_right_to_left_with_arabic_labels(client, op):
    register(op)
    html = client.get("/?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    for label in ("في الانتظار", "مخصَّصون لرحلة", "على متن المركبة", "في الطريق", "وصلوا", "لم يُعرف مكانهم",
                  "الأشخاص المسجَّلون", "المواقع", "نقطة تجمّع"):
        assert label in html
    assert "Persons registered" not in html
    assert 'href="/?lang=en"' in html and ">English<" in html
    assert 'hx-get="/fragments/live?lang=ar"' in html
    names = re.findall(r'<span class="site-name" lang="ar">([^<]+)</span>', html)
    assert names[0] == "نقطة التجمع أ"
    title = re.search(r'<h1 class="op-name">\s*<span lang="ar">([^<]+)</span>', html)
    assert title and title.group(1) == "إجلاء تجريبي"


def test_english_is_the_default_and_unknown_languages_fall_back(client):
    for url in ("/", "/?lang=en", "/?lang=xx"):
        html = client.get(url).text
        assert '<html lang="en" dir="ltr">' in html
        assert "Persons registered" in html and 'href="/?lang=ar"' in html


def test_css_uses_logical_properties_and_an_arabic_font():
    css = (STATIC / "dashboard.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)|"
                          r"float:\s*(?:left|right)|\b(?:left|right):", css)
    assert physical == []
    assert "Noto Naskh Arabic" in css and "sans-serif" in css


# --- the live fragment ---------------------------------------------------------------------

def test_fragment_is_a_fragment_and_follows_changes(client, op):
    first = client.get("/fragments/live")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert "<html" not in first.text and figure(first.text, "registered") == "0"
    register(op)
    assert figure(client.get("/fragments/live").text, "registered") == "2"
    planning.plan(op, Meta())
    assert "T00001" in client.get("/fragments/live").text


def test_fragment_keeps_the_language(client):
    html = client.get("/fragments/live?lang=ar").text
    assert "الأشخاص المسجَّلون" in html and "Persons registered" not in html


# --- privacy -----------------------------------------------------------------------------------

def test_no_names_or_tokens_of_persons_on_the_page(client, op):
    household = run_with_losses(op)
    register(op, gathering_point="GP-B", persons=[person("زينب الشامي", "Zainab al-Shami", sex="female")])
    movement.halt(op, Meta(), cause="other", note="")
    secrets = {household["token"], *(p["token"] for p in household["persons"]),
               "الحلبي", "Halabi", "محمد", "Mohammed", "فاطمة", "Fatima", "زينب", "Zainab", "questioning"}
    for url in ("/", "/?lang=ar", "/fragments/live", "/fragments/live?lang=ar"):
        html = client.get(url).text
        leaked = [s for s in secrets if s in html]
        assert leaked == [], f"{url} shows {leaked}"


# --- htmx and the fallback ---------------------------------------------------------------------

def test_htmx_is_served_and_polls(client):
    # scripts/setup installs htmx (npm ci): without it the install is broken, which is a failure, not a skip
    assert routes.find_htmx() is not None, "htmx is not in node_modules: run scripts/setup"
    html = client.get("/").text
    assert '<script src="/vendor/htmx.min.js"' in html
    assert 'hx-trigger="every 3s"' in html and 'hx-get="/fragments/live?lang=en"' in html
    assert '<meta http-equiv="refresh"' not in html.split("<noscript>")[0]
    js = client.get("/vendor/htmx.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and "htmx" in js.text[:2000]


def test_without_htmx_the_page_reloads_itself(op, tmp_path, monkeypatch, caplog, signed_in):
    from corridor.api.app import create_app

    monkeypatch.setenv("CORRIDOR_NODE_MODULES", str(tmp_path / "nothing-here"))
    register(op)
    with caplog.at_level(logging.WARNING, logger=routes.__name__):
        app = create_app(op)
    warnings = [r for r in caplog.records if r.name == routes.__name__]
    assert len(warnings) == 1 and "htmx" in warnings[0].getMessage()
    with signed_in(app) as client:
        html = client.get("/").text
        assert '<meta http-equiv="refresh" content="5">' in html
        assert "htmx.min.js" not in html and "hx-get" not in html
        assert figure(html, "registered") == "2"
        assert client.get("/vendor/htmx.min.js").status_code == 404


def test_node_modules_override(tmp_path, monkeypatch):
    target = tmp_path / "nm" / "htmx.org" / "dist"
    target.mkdir(parents=True)
    (target / "htmx.min.js").write_text("/* htmx */")
    monkeypatch.setenv("CORRIDOR_NODE_MODULES", str(tmp_path / "nm"))
    assert routes.find_htmx() == target / "htmx.min.js"


def test_static_and_health(client):
    assert client.get("/healthz").json() == {"ok": True}
    css = client.get("/static/dashboard.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert client.get("/static/dashboard.js").status_code == 200


def test_every_page_names_an_icon_that_is_served(client):
    """The login page, the dashboard and a desk name their icon (a browser would otherwise ask for a /favicon.ico
    that is not there, and log the miss)."""
    for path in ("/login", "/", "/desk/boarding"):
        html = client.get(path).text
        found = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert found, path
        icon = client.get(found.group(1))
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml"), path


def test_before_the_operation_is_set_up(rt, signed_in):
    from corridor.api.app import create_app

    with signed_in(create_app(rt)) as client:
        for url, words in (("/", "No operation has been set up yet."), ("/?lang=ar", "لم تُنشأ أي عملية بعد.")):
            page = client.get(url)
            assert page.status_code == 200 and words in page.text
            assert figure(page.text, "registered") == "0"


def test_the_picture_is_computed_once_per_ledger_change_for_every_viewer():
    from corridor.web.cache import LedgerCache

    head, calls = ["a"], []
    cache = LedgerCache(lambda: head[0], lambda: calls.append(1) or {"n": len(calls)})
    assert cache.get()["n"] == 1 and cache.get()["n"] == 1 and cache.get().key == "a"
    head[0] = "b"
    assert cache.get()["n"] == 2  # a quick computation is waited for: a small operation always looks current
    assert cache.get().once("x", lambda: calls.append(1) or "made") == "made"
    assert cache.get().once("x", lambda: "again") == "made" and cache.computations == 2


def test_a_slow_picture_is_not_waited_for_the_last_one_is_shown_meanwhile():
    import threading

    from corridor.web.cache import LedgerCache

    head, gate, calls = ["a"], threading.Event(), []

    def compute():
        calls.append(head[0])
        if len(calls) > 1:
            gate.wait(30)
        return {"head": head[0]}

    cache = LedgerCache(lambda: head[0], compute, patience=0.0, rest=0.0)
    assert cache.get()["head"] == "a"  # the first picture is waited for: there is nothing else to show
    head[0] = "b"
    assert cache.get()["head"] == "a" and cache.get()["head"] == "a"  # "b" is on its way, computed once
    assert cache.ready() is not None  # and the next refreshes are answered without reading the ledger
    gate.set()
    for _ in range(300):
        if cache.computations == 2:
            break
        threading.Event().wait(0.05)
    assert cache.get()["head"] == "b" and calls == ["a", "b"]
