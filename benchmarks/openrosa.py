"""Benchmark of the OpenRosa server: field devices sending registrations at once to a real server on 127.0.0.1.

`corridor serve` runs in its own process on a fresh database with the East Aleppo set-up. Each of 20 devices
(one registrar account, a device token each, its key in the URL as a configuration QR code gives it) asks the
submission URL with HEAD, then POSTs its share of 1,000 registrations as ODK Collect does (multipart, the
instance in xml_submission_file), and sends every tenth one twice, as a phone does when an answer is lost.
Afterwards the database is read: every instanceID recorded exactly once (lost: sent but not in the ledger;
doubled: households recorded beyond one per instanceID), and the ledger's hash chain verified.

    uv run python benchmarks/openrosa.py            # a table
    uv run python benchmarks/openrosa.py --json     # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402  (benchmarks/common.py)
from spine import Server  # noqa: E402  (`corridor serve` in its own process)

from corridor.scenarios import east_aleppo  # noqa: E402

OPENROSA = {"X-OpenRosa-Version": "1.0"}
PERSON_FIELDS = ("name_ar", "name_latin", "sex", "birth_year", "birth_date", "relationship", "mobility",
                 "precedence", "vulnerabilities")


def prepare(db: Path, devices: int) -> list[str]:
    """The operation set up and one registrar account with a device token per device; the tokens."""
    import secrets

    from corridor.bootstrap import bootstrap
    from corridor.service import accounts, setup

    rt = bootstrap(db)
    try:
        setup.load_setup(rt, east_aleppo.setup_spec())
        accounts.add_user(rt, "bench-registrar", role="registrar", password=secrets.token_urlsafe(24),
                          by="console:bench")
        return [accounts.create_token(rt, "bench-registrar", device=f"phone-{i:02d}", expires=timedelta(days=1),
                                      by="console:bench")["token"] for i in range(devices)]
    finally:
        rt.db.dispose()


def _value(name: str, value) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    return f"<{name}/>" if value in (None, "") else f"<{name}>{escape(str(value))}</{name}>"


def instance(version: str, instance_id: str, household: dict) -> bytes:
    persons = "".join("<persons>" + "".join(_value(f, p.get(f)) for f in PERSON_FIELDS) + "<person_token/></persons>"
                      for p in household["persons"])
    return (f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" id="corridor_registration" '
            f'version="{version}"><start/><end/>{_value("gathering_point", household["gathering_point"])}'
            f'{_value("destination", household.get("destination") or "any")}<token/>{persons}'
            f"<meta><instanceID>{instance_id}</instanceID></meta></data>").encode("utf-8")


def collect_body(xml: bytes) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
            f"filename=\"submission.xml\"\r\nContent-Type: text/xml; charset=utf-8\r\n\r\n").encode() + xml \
        + f"\r\n--{boundary}--\r\n".encode()
    return body, {**OPENROSA, "Content-Type": f"multipart/form-data; boundary={boundary}"}


def send(url: str, tokens: list[str], work: list[list[tuple[str, bytes]]], resend_every: int) -> dict:
    """Every device sends its submissions (and resends every n-th); seconds, latencies, answers."""
    latencies: list[float] = []
    answers = {"created": 0, "absorbed": 0, "refused": []}
    lock = threading.Lock()

    def device(token: str, items: list[tuple[str, bytes]]) -> None:
        mine, created, absorbed, refused = [], 0, 0, []
        with httpx.Client(base_url=f"{url}/key/{token}/openrosa", timeout=120) as client:
            client.head("/submission", headers=OPENROSA).raise_for_status()
            for n, (iid, xml) in enumerate(items, 1):
                for attempt in range(2 if n % resend_every == 0 else 1):
                    body, headers = collect_body(xml)
                    t0 = time.perf_counter()
                    answer = client.post("/submission", content=body, headers=headers)
                    mine.append((time.perf_counter() - t0) * 1000)
                    if answer.status_code != 201:
                        refused.append(f"{iid}: {answer.status_code} {answer.text[:200]}")
                    elif "Received before" in answer.text:
                        absorbed += 1
                    else:
                        created += 1
        with lock:
            latencies.extend(mine)
            answers["created"] += created
            answers["absorbed"] += absorbed
            answers["refused"] += refused

    threads = [threading.Thread(target=device, args=(t, w)) for t, w in zip(tokens, work)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"seconds": time.perf_counter() - started, "latencies": latencies, **answers}


def count(db: Path, instance_ids: list[str]) -> dict:
    """What the database holds afterwards: instanceIDs in the ledger, households, the chain verified."""
    from sqlalchemy import func, select

    from corridor.bootstrap import bootstrap
    from corridor.service import reports
    from corridor.store.tables import households

    rt = bootstrap(db, migrate=False)
    try:
        with rt.reading() as uow:
            found = uow.ledger.find_many(instance_ids)
            rows = uow.conn.execute(select(func.count()).select_from(households)).scalar()
        return {"recorded": len(found), "households": rows, "verified": reports.verify(rt).ok}
    finally:
        rt.db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=1000)
    ap.add_argument("--devices", type=int, default=20)
    ap.add_argument("--resend-every", type=int, default=10, help="each device sends every n-th submission twice")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    header = record_header(args.seed)
    pop = east_aleppo.population(args.submissions * 7, args.seed)
    chosen = pop.households[:args.submissions]
    if len(chosen) < args.submissions:
        raise SystemExit(f"the population has only {len(chosen)} households")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        tokens = prepare(db, args.devices)
        with Server(db) as server:
            forms = httpx.get(f"{server.url}/key/{tokens[0]}/openrosa/formList", headers=OPENROSA).text
            version = re.search(r"<version>([^<]+)</version>", forms).group(1)
            ids = [f"uuid:{uuid.UUID(int=args.seed * 10**6 + i)}" for i in range(len(chosen))]
            submissions = [(iid, instance(version, iid, h)) for iid, h in zip(ids, chosen)]
            work = [submissions[i::args.devices] for i in range(args.devices)]
            run = send(server.url, tokens, work, args.resend_every)
        held = count(db, ids)

    lat = run["latencies"]
    lost = len(ids) - held["recorded"]
    doubled = held["households"] - held["recorded"]
    result = {"submissions": len(ids), "devices": args.devices, "seconds": round(run["seconds"], 2),
              "resent": sum(len(w) // args.resend_every for w in work), "absorbed": run["absorbed"],
              "refused": len(run["refused"]), "lost": lost, "doubled": doubled,
              "persons": sum(len(h["persons"]) for h in chosen),
              "submissions_per_s": round(len(ids) / run["seconds"], 1),
              "p50_ms": round(statistics.median(lat), 1),
              "p99_ms": round(statistics.quantiles(lat, n=100, method="inclusive")[98], 1),
              "ledger_verified": held["verified"], **header}
    rows = [
        (f"{len(ids):,} registrations ({result['persons']:,} persons) from {args.devices} devices at once",
         f"{run['seconds']:.1f} s", f"{result['submissions_per_s']:,} submissions/s"),
        (f"resends (every {args.resend_every}th sent twice): absorbed", str(run["absorbed"]), ""),
        ("refused", str(len(run["refused"])), run["refused"][0][:80] if run["refused"] else ""),
        ("lost / doubled", f"{lost} / {doubled}", ""),
        ("latency p50 / p99", f"{result['p50_ms']} ms", f"{result['p99_ms']} ms"),
        ("ledger verified afterwards", str(held["verified"]), ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(header_line(header, "corridor OpenRosa benchmark (SQLite WAL synchronous=FULL)"))
    for what, a, b in rows:
        print(f"  {what:<{width}}  {a:>10}  {b}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
