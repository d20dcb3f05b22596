"""The API contract, tested by schemathesis against a live corridor server: every check on (`--checks all`), every
phase (examples, coverage, fuzzing, stateful), each operation signed in as a role holding its permission.

The server is a real `corridor serve` on 127.0.0.1 (a free port), on a fresh database of the suite's own kind (a
SQLite file, or a PostgreSQL database in the suite's PostgreSQL pass: `own_db`) with the small operation set up
and one account per role; it is started and stopped here. The run must find no failure at all: a mismatch
is fixed in the server or in the document (api/contract.py, the input models of api/schemas.py), never by turning
a check off or listing it as an exception.

What JSON Schema can state is in the document (the claim's body as a oneOf/anyOf of its shapes, a link's ratio or
steps, enumerations, bounds). The rules between fields it cannot state (a leg's two ends differ, a window closes
after it opens, a household's names and birth dates agree…) are stated in words in each operation's description,
proved refused 422 naming the field by tests/api/test_contract_rules.py, and kept by the schemathesis hooks of
tests/api/contract_hooks.py when it generates valid requests (schemathesis's documented way: `map_case`), as a
client reading the description would. A well-formed request refused because of the operation's state or the clock
(an agreement already recorded, a day already past, a convoy that has left) is answered 409 and documented so:
schemathesis 4.32.5's `positive_data_acceptance` check expects, by default, 2xx, 3xx, 401, 403, 404, 409, 429 or
5xx for a valid request (config/_checks.py, POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES: a valid request may name
something unknown or conflict with the state), so its `expected-statuses` is not configured here.

`CONTRACT_EXAMPLES` (default 10 per operation) and `CONTRACT_SEED` (default 1) change the run, e.g.
`CONTRACT_EXAMPLES=50 CONTRACT_SEED=3 pytest tests/api/test_contract.py` for a longer one by hand."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from corridor.api.app import create_app
from corridor.api.auth import declared_routes
from corridor.bootstrap import bootstrap
from corridor.domain.permissions import Role
from corridor.service import accounts, setup
from tests.auth_client import role_for
from tests.conftest import SMALL_SPEC, password_of

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "10"))
SEED = int(os.environ.get("CONTRACT_SEED", "1"))
LIMIT = max(1200, 60 * EXAMPLES)  # seconds: about 2 minutes at 10 examples on a quiet 2-core machine, more when busy
LEAVING = "leaving"  # the account whose token POST /api/logout revokes (never one the other operations use)

pytestmark = pytest.mark.slow

HOOKS = Path(__file__).with_name("contract_hooks.py")
# seconds the client waits for an answer, where schemathesis's 10 s is too short for the request the document allows:
# a batch of 5000 households (its maxItems, which the coverage phase sends) takes 3-4 s on a quiet machine, more on
# PostgreSQL on a busy one (over 10 s once at load 6), and a slow machine is no breach of the contract
PATIENCE = {"POST /api/households/batch": 60}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accounts_and_tokens(db: str) -> tuple[dict[str, str], object]:
    """The small operation, one account per role (and one to sign out), a bearer token each; and the app's
    routes, to give each operation a role that may call it. `db`: a new SQLite file or PostgreSQL database
    (`own_db`), its master key in the key file made beside the file or in $CORRIDOR_KEY."""
    rt = bootstrap(db, seed=7)
    try:
        setup.load_setup(rt, SMALL_SPEC)
        tokens = {}
        for role in Role:
            accounts.add_user(rt, role.value, role=role, password=password_of(role), by="tests")
            tokens[role.value] = accounts.create_token(rt, role.value, device="contract", by="tests",
                                                       expires=timedelta(days=1))["token"]
        accounts.add_user(rt, LEAVING, role=Role.PARTNER, password="corridor test password, signing out", by="tests")
        tokens[LEAVING] = accounts.create_token(rt, LEAVING, device="contract", by="tests",
                                                expires=timedelta(days=1))["token"]
        return tokens, create_app(rt)
    finally:
        rt.db.dispose()


def config(tokens: dict[str, str], app) -> str:
    """schemathesis.toml: the coordinator's token by default (it loads the document), each operation's own."""
    lines = [f'hooks = "{HOOKS}"', f'headers = {{ Authorization = "Bearer {tokens[Role.COORDINATOR.value]}" }}', ""]
    routes = declared_routes(app)
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            route = next(r for r in routes if r.path == path and method.upper() in r.methods)
            role = role_for(route.needs)
            if role is None:
                continue
            token = tokens[LEAVING] if path == "/api/logout" else tokens[role.value]
            name = f"{method.upper()} {path}"
            lines += ["[[operations]]", f'include-name = "{name}"', f'headers = {{ Authorization = "Bearer {token}" }}']
            lines += [f"request-timeout = {PATIENCE[name]}"] if name in PATIENCE else []
            lines += [""]
    return "\n".join(lines)


@pytest.fixture
def live(tmp_path, own_db):
    """The server on the suite's database: a SQLite file (its master key made beside it), or with
    CORRIDOR_TEST_DB=postgresql a new database on the tests' PostgreSQL server (its key in $CORRIDOR_KEY, set by
    `own_db` and passed on to the server's process with the rest of the environment)."""
    db = own_db("corridor.db")
    tokens, app = accounts_and_tokens(db)
    (tmp_path / "schemathesis.toml").write_text(config(tokens, app))
    port = free_port()
    log = (tmp_path / "server.log").open("wb")  # its traceback, when the run finds a server error
    proc = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=log, cwd=tmp_path, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.mark.timeout(LIMIT)
def test_the_server_keeps_its_openapi_contract(live):
    url, folder = live
    report = folder / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(folder / "schemathesis.toml"), "run",
         f"{url}/openapi.json", "--checks", "all", "--max-examples", str(EXAMPLES), "--seed", str(SEED),
         "--workers", "1", "--continue-on-failure", "--max-failures", "10000", "--suppress-health-check", "all",
         "--report", "json", "--report-json-path", str(report)],
        capture_output=True, text=True, cwd=folder, env={**os.environ, "NO_COLOR": "1"}, timeout=LIMIT)
    summary = json.loads(report.read_text())
    print(run.stdout[-3000:])
    tested, cases = summary["operations"]["tested"], summary["test_cases"]["generated"]
    print(f"schemathesis: {tested} operations, {cases} test cases, seed {SEED}")
    assert summary["operations"]["selected"] == summary["operations"]["tested"] > 40
    shown = "\n".join(line[:500] for line in run.stdout.splitlines())  # a request's long body cut, not the error
    assert not summary["errors"], shown[-20000:]
    found = sorted((operation, failure["code"]) for failure in summary["failures"] for operation in failure["operations"])
    if found:  # each failure with its request to replay, and the server's log (a server error's reference)
        print(run.stdout[run.stdout.find("= FAILURES ="):][:30000], (folder / "server.log").read_text()[-5000:])
    assert not found, found
