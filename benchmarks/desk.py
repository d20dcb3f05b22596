"""Benchmark of the boarding desk: a boarding scan through the screen, from the moment the token is known in the page
(decoded from the camera, or typed) to the answer shown, in Debian's chromium against `corridor serve` on 127.0.0.1
with the demo population (100,000 persons by default) registered and planned; then many desks scanning at once
through the desk's own endpoint, and whether boarding stayed correct (each person boarded once, every resend
absorbed, the ledger's chain intact).

The page's time includes what a scan costs on the phone: the outbox's IndexedDB write before sending, the request,
the IndexedDB delete, the count and the answer drawn (boarding.js keeps each in window.deskTimings).

    uv run python benchmarks/desk.py                 # a table
    uv run python benchmarks/desk.py --json          # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402
from corridor.scenarios import east_aleppo  # noqa: E402
from spine import Server, accounts, p, post, register, set_up  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
MARSHAL = "bench-desk-marshal"


def marshal_account(db: Path) -> str:
    """A boarding marshal with a password, to sign in through the login page like a person; its password."""
    from corridor.bootstrap import bootstrap
    from corridor.service import accounts as service

    password = secrets.token_urlsafe(24)
    rt = bootstrap(db)
    try:
        service.add_user(rt, MARSHAL, role="boarding_marshal", password=password, by="console:bench")
    finally:
        rt.db.dispose()
    return password


def screen_scans(url: str, password: str, trip: str, tokens: list[str]) -> list[dict]:
    """Each token typed into the boarding screen of `trip`, one after the other; the page's timings."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{url}/desk/boarding?lang=ar&trip={trip}")
        page.fill("#username", MARSHAL)
        page.fill("#password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.wait_for_selector(f"#scan[data-trip='{trip}']")
        for n, token in enumerate(tokens, 1):
            page.fill("#token", token)
            page.press("#token", "Enter")
            page.wait_for_function("(n) => window.deskTimings.length >= n", arg=n, timeout=30_000)
        timings = page.evaluate("() => window.deskTimings")
        browser.close()
    return timings


def many_desks(url: str, auth: dict, work: list[tuple[str, str]], desks: int, tag: str) -> tuple[float, Counter]:
    """`desks` threads, each scanning its share through POST /api/desk/trips/{trip}/scan; (seconds, outcomes)."""
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def desk(items):
        mine: Counter = Counter()
        with httpx.Client(base_url=url, timeout=60, headers=auth) as c:
            for trip, token in items:
                r = c.post(f"/api/desk/trips/{trip}/scan", json={"token": token},
                           headers={"Idempotency-Key": f"{tag}:{token}"})
                answer = r.json()
                mine[answer.get("outcome", f"http {r.status_code}") + (" (resent)" if answer.get("replayed") else "")] += 1
        with lock:
            outcomes.update(mine)

    threads = [threading.Thread(target=desk, args=(work[i::desks],)) for i in range(desks)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, outcomes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--screen-scans", type=int, default=100, help="scans through the screen, one after another")
    ap.add_argument("--desks", type=int, default=50, help="desks scanning at once through the desk endpoint")
    ap.add_argument("--scans", type=int, default=2_000, help="scans shared by those desks")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    header = record_header(args.seed)
    pop = east_aleppo.population(args.people, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        auth = accounts(db)
        password = marshal_account(db)
        with Server(db) as server:
            with httpx.Client(base_url=server.url, timeout=600, headers=auth["coordinator"]) as coordinator, \
                    httpx.Client(base_url=server.url, timeout=600, headers=auth["registrar"]) as registrar:
                set_up(coordinator)
                register(registrar, pop.households, 1000)
                plan = post(coordinator, "/api/plan", {"at": east_aleppo.START.isoformat()})["data"]
            trips = [t for t in plan["trips"] if t["persons"]]
            first = max(trips, key=lambda t: len(t["persons"]))  # the screen boards onto the fullest trip
            trips = [t for t in trips if t is not first]
            timings = screen_scans(server.url, password, first["id"], first["persons"][:args.screen_scans])
            screen_ms = [t["ms"] for t in timings]
            accepted_on_screen = sum(1 for t in timings if t["outcome"] == "accepted")

            work = [(t["id"], person) for t in trips for person in t["persons"]][:args.scans]
            load_s, outcomes = many_desks(server.url, auth["boarding_marshal"], work, args.desks, "load")
            _, resent = many_desks(server.url, auth["boarding_marshal"], work, args.desks, "load")
            with httpx.Client(base_url=server.url, timeout=600, headers=auth["coordinator"]) as c:
                ok = c.get("/api/verify").json()["ok"]
                boarded = sum(t["boarded"] for t in c.get("/api/trips").json())
    correct = (outcomes == {"accepted": len(work)} and resent == {"accepted (resent)": len(work)}
               and boarded == len(work) + accepted_on_screen and ok)
    result = {
        "persons": pop.persons, "screen_scans": len(screen_ms), "screen_accepted": accepted_on_screen,
        "screen_p50_ms": round(statistics.median(screen_ms), 1), "screen_p95_ms": round(p(screen_ms, 0.95), 1),
        "screen_max_ms": round(max(screen_ms), 1), "desks": args.desks, "desk_scans": len(work),
        "desk_scans_per_s": round(len(work) / load_s, 1), "outcomes": dict(outcomes), "resent": dict(resent),
        "boarded_total": boarded, "ledger_verified": ok, "boarding_correct": correct, **header,
    }
    rows = [
        (f"scan through the screen, decode to answer ({len(screen_ms)} scans, {pop.persons:,} persons loaded)",
         f"p50 {result['screen_p50_ms']} ms", f"p95 {result['screen_p95_ms']} ms, max {result['screen_max_ms']} ms"),
        (f"{len(work):,} scans by {args.desks} desks at once", f"{load_s:.1f} s", f"{result['desk_scans_per_s']} scans/s"),
        ("outcomes; the same scans resent", json.dumps(dict(outcomes)), json.dumps(dict(resent))),
        ("boarded in total; ledger verified", str(boarded), str(ok)),
        ("boarding correct (each once, resends absorbed)", str(correct), ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(header_line(header, "corridor boarding desk benchmark"))
    for what, a, b in rows:
        print(f"  {what:<{width}}  {a:>14}  {b}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
