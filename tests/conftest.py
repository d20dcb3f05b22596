"""Shared fixtures: a runtime on a fresh database, a small operation, an API client; and the test tiers.

The database is a SQLite file, or with `CORRIDOR_TEST_DB=postgresql` a database of its own on the session's
throw-away PostgreSQL server (tests/postgresql.py); `make test` runs the whole suite both ways.

Every test gets exactly one tier marker, from the fixtures it uses or its folder (see `TIERS`):
- `unit`: no database, no server, nothing written to disk — the pure rules (opening SQLite fails the test);
- `integration`: a real database (`rt`, `op`), or files and programs of its own (`tmp_path`);
- `e2e`: HTTP through the FastAPI test client or a server;
- `browser`: drives chromium (marked by hand).
`pytest -m unit` runs the pure tier alone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a failure there is reproducible, not a coin toss); locally, new ones.
# `HYPOTHESIS_PROFILE=fresh` draws new examples whatever the environment (no replay database, no fixed seed):
# run by hand with many examples, e.g. `HYPOTHESIS_PROFILE=fresh BEP_EXAMPLES=5000 pytest tests/planning/test_bep_solve.py`.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fresh", derandomize=False, database=None, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif os.environ.get("CI"):
    settings.load_profile("ci")

START = datetime(2016, 12, 15, 6, 0, tzinfo=timezone(timedelta(hours=2)))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


SMALL_SPEC = {
    "operation": {"name_en": "Test evacuation", "name_ar": "إجلاء تجريبي", "starts_at": START.isoformat()},
    "sites": [
        {"code": "GP-A", "kind": "gathering_point", "name_en": "Gathering A", "name_ar": "نقطة التجمع أ",
         "lat": 36.17, "lon": 37.12},
        {"code": "GP-B", "kind": "gathering_point", "name_en": "Gathering B", "name_ar": "نقطة التجمع ب",
         "lat": 36.19, "lon": 37.13},
        {"code": "CP-1", "kind": "checkpoint", "name_en": "Checkpoint 1", "name_ar": "حاجز ١", "lat": 36.165, "lon": 37.14},
        {"code": "CP-2", "kind": "checkpoint", "name_en": "Checkpoint 2", "name_ar": "حاجز ٢", "lat": 36.175, "lon": 37.06},
        {"code": "RC-1", "kind": "reception_centre", "name_en": "Reception 1", "name_ar": "مركز استقبال ١",
         "lat": 35.93, "lon": 36.63, "capacity": 500},
        {"code": "RC-2", "kind": "reception_centre", "name_en": "Reception 2", "name_ar": "مركز استقبال ٢",
         "lat": 36.14, "lon": 36.83, "capacity": 500},
    ],
    "legs": [
        {"origin": "GP-A", "destination": "CP-1", "minutes": 10},
        {"origin": "GP-B", "destination": "CP-1", "minutes": 15},
        {"origin": "CP-1", "destination": "CP-2", "minutes": 20},
        {"origin": "CP-2", "destination": "RC-1", "minutes": 60},
        {"origin": "CP-2", "destination": "RC-2", "minutes": 40},
    ],
    "vehicles": [
        {"code": "BUS-1", "plate": "SARC-101", "kind": "bus", "seats": 8, "stretchers": 0, "operator": "SARC",
         "site": "GP-A", "available_from": START.isoformat()},
        {"code": "BUS-2", "plate": "SARC-102", "kind": "bus", "seats": 8, "stretchers": 0, "operator": "SARC",
         "site": "GP-B", "available_from": START.isoformat()},
        {"code": "AMB-1", "plate": "ICRC-1", "kind": "ambulance", "seats": 2, "stretchers": 2, "operator": "ICRC",
         "site": "GP-A", "available_from": START.isoformat()},
    ],
}


def person(name_ar="محمد الحلبي", name_latin="Mohammed al-Halabi", **kw) -> dict:
    return {"name_ar": name_ar, "name_latin": name_latin, "sex": kw.pop("sex", "male"),
            "birth_year": kw.pop("birth_year", 1980), "relationship": kw.pop("relationship", "other_relative"), **kw}


@pytest.fixture
def clock() -> Clock:
    return Clock()


from corridor.domain.permissions import Role  # noqa: E402 - the test accounts are one per role


def password_of(role) -> str:
    """The test accounts' passwords (one account per role, named after it: `coordinator`, `registrar`, …)."""
    return f"corridor test password no. {list(Role).index(Role(role)) + 1}"


class DatabaseTemplates:
    """SQLite files built once per session and copied for each test: migrating with Alembic (and loading the
    small operation) costs far more than copying a closed database file. Each holds one account per role
    (named after the role, not limited to sites) with a long-lived bearer token, in `tokens`."""

    key: bytes | None = None  # the master key, when it is not in the key file beside the database

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, Path] = {}
        self.tokens: dict[str, dict] = {}

    def copy(self, kind: str, to: Path) -> Path:
        if kind not in self.built:
            self.built[kind] = self._build(kind)
        shutil.copyfile(self.built[kind], to)
        key = self.folder / "corridor.key"  # the master key the templates were sealed with goes along
        if key.exists() and not (to.parent / key.name).exists():
            shutil.copyfile(key, to.parent / key.name)
        return to

    def fresh(self, kind: str, folder: Path) -> str:
        """A database of this kind for one test: its path or URL (give it back with `release`)."""
        return str(self.copy(kind, folder / "test.db"))

    def release(self, db: str) -> None:
        """The test is over (a SQLite file goes with its tmp_path)."""

    def empty(self, folder: Path, name: str) -> str:
        """Where a test keeps a database of its own, not yet made: a file in `folder`."""
        return str(folder / name)

    def clone(self, db: str, folder: Path, name: str) -> str:
        """A copy of the closed database `db` (made with `empty`) for one test."""
        return str(shutil.copy(db, folder / name))

    def open(self, kind: str, folder: Path, **kwargs):
        """A runtime on a fresh database of this kind, for a module's tests (kept to the end of the session)."""
        from corridor.bootstrap import bootstrap

        return bootstrap(self.fresh(kind, folder), migrate=False, key=self.key, **kwargs)

    def _build(self, kind: str) -> Path:
        from corridor.bootstrap import bootstrap
        from corridor.service import setup

        path = self.folder / f"{kind}.db"
        runtime = bootstrap(path, clock=Clock(), seed=7)
        if kind == "operation":
            setup.load_setup(runtime, SMALL_SPEC)
        self.tokens[kind] = make_role_accounts(runtime)
        runtime.db.dispose()
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:  # all pages into the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, f"{wal} still holds pages the copy would miss"
        return path


def make_role_accounts(runtime) -> dict:
    """One account per role, each with a bearer token valid for ten years: {role: token}."""
    from corridor.domain.permissions import Role
    from corridor.service import accounts

    tokens = {}
    for role in Role:
        accounts.add_user(runtime, role.value, role=role, password=password_of(role), by="tests")
        tokens[role] = accounts.create_token(runtime, role.value, device="tests", expires=timedelta(days=3650),
                                             by="tests")["token"]
    return tokens


class PostgresTemplates(DatabaseTemplates):
    """The same templates as databases on the session's PostgreSQL server, cloned for each test
    (`CREATE DATABASE … TEMPLATE …`); their master key is held here (a database by URL has no key file)."""

    def __init__(self, folder: Path, server):
        super().__init__(folder)
        import secrets

        self.server = server
        self.key = secrets.token_bytes(32)
        self.names: dict[str, str] = {}

    def fresh(self, kind: str, folder: Path) -> str:
        if kind not in self.names:
            self.names[kind] = self._build(kind)
        return self.server.url(self.server.create(template=self.names[kind]))

    def release(self, db: str) -> None:
        self.server.drop_later(db.rsplit("/", 1)[1])

    def empty(self, folder: Path, name: str) -> str:
        """A new empty database on the server (dropped with it); its key is `self.key` ($CORRIDOR_KEY: `own_db`)."""
        return self.server.url(self.server.create(prefix=Path(name).stem.replace("-", "_")))

    def clone(self, db: str, folder: Path, name: str) -> str:
        return self.server.url(self.server.create(template=db.rsplit("/", 1)[1]))

    def _build(self, kind: str) -> str:
        from corridor.bootstrap import bootstrap
        from corridor.service import setup

        name = self.server.create(prefix=f"template_{kind}")
        runtime = bootstrap(self.server.url(name), clock=Clock(), seed=7, key=self.key)
        if kind == "operation":
            setup.load_setup(runtime, SMALL_SPEC)
        self.tokens[kind] = make_role_accounts(runtime)
        runtime.db.dispose()
        return name


@pytest.fixture(scope="session")
def pg_server():
    """The session's throw-away PostgreSQL server (tests/postgresql.py), started on first use."""
    from tests.postgresql import Server

    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_templates(request, tmp_path_factory) -> DatabaseTemplates:
    from tests.postgresql import selected

    if selected():
        return PostgresTemplates(tmp_path_factory.mktemp("templates"), request.getfixturevalue("pg_server"))
    return DatabaseTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def own_db(tmp_path, database_templates, monkeypatch):
    """`own_db("name.db")`: a database of the test's own for `bootstrap` or the CLI's --db — a file in tmp_path,
    or a new database on the PostgreSQL server with its master key in $CORRIDOR_KEY (a database by URL has no
    key file)."""
    if database_templates.key is not None:
        import base64

        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(database_templates.key).decode())
    return lambda name: database_templates.empty(tmp_path, name)


@pytest.fixture
def rt(request, tmp_path, clock, database_templates):
    """A runtime on its own migrated database (a SQLite file, or a PostgreSQL database with
    CORRIDOR_TEST_DB=postgresql). A test that also asks for `op` gets the database with the small operation
    already set up (the same events `setup.load_setup(rt, SMALL_SPEC)` records)."""
    from corridor.bootstrap import bootstrap

    kind = "operation" if "op" in request.fixturenames else "empty"
    db = database_templates.fresh(kind, tmp_path)
    runtime = bootstrap(db, clock=clock, seed=7, migrate=False, key=database_templates.key)
    yield runtime
    runtime.db.dispose()
    database_templates.release(db)


@pytest.fixture
def op(rt):
    """The runtime with the small operation set up (sites, legs, vehicles) and nobody registered."""
    return rt


def register(rt, gathering_point="GP-A", destination="RC-1", persons=None, command_id=None) -> dict:
    """Register one household; returns the event data (token, persons with tokens)."""
    from corridor.service import registration
    from corridor.service.recording import Meta

    persons = persons or [person(relationship="head"), person("فاطمة الحلبي", "Fatima al-Halabi", sex="female", relationship="spouse")]
    receipt = registration.register_household(
        rt, Meta(command_id=command_id), {"gathering_point": gathering_point, "destination": destination,
                                          "persons": persons})
    return receipt.data


@pytest.fixture
def role_tokens(request, rt, database_templates) -> dict:
    """{role: bearer token} of the test accounts in this test's database."""
    return database_templates.tokens["operation" if "op" in request.fixturenames else "empty"]


def api_client(rt, tokens: dict, role=None):
    """An API client that signs each request in: as `role`, or (None) as the first role whose permissions
    include the one the route declares (so the old tests go through real authentication)."""
    from corridor.api.app import create_app
    from tests.auth_client import AuthClient

    return AuthClient(create_app(rt), tokens, role=role)


@pytest.fixture
def signed_in(role_tokens):
    """Wrap an app of your own (`create_app(op, …)`) in a client that signs its requests in: `signed_in(app)`."""
    from tests.auth_client import AuthClient

    return lambda app, role=None: AuthClient(app, role_tokens, role=role)


@pytest.fixture
def client(op, request, database_templates):
    with api_client(op, database_templates.tokens["operation"]) as c:
        yield c


@pytest.fixture
def client_empty(rt, database_templates):
    """An API client on a database with no operation yet, and its runtime."""
    with api_client(rt, database_templates.tokens["empty"]) as c:
        yield c, rt


# --- tiers -------------------------------------------------------------------------------------

# the first tier whose fixtures a test uses (directly or through other fixtures) is its tier
TIERS = (
    ("browser", {"browser"}),
    ("e2e", {"client", "client_empty", "server", "two_servers"}),
    ("integration", {"rt", "op", "tmp_path", "tmp_path_factory", "database_templates", "pg_server"}),
)
# where the folder says it more clearly: a test of the services or the store without those fixtures still
# opens a database of its own (a property test making one per example); the dashboard and API tests that
# open their own TestClient on `op` are end to end
FOLDER_TIERS = {"service": "integration", "store": "integration"}
E2E_FOLDERS = ("api", "web")
TIER_MARKERS = ("unit", "integration", "e2e", "browser")


def tier_of(item: pytest.Item) -> str:
    if item.get_closest_marker("browser"):
        return "browser"
    used = set(getattr(item, "fixturenames", ()))
    folder = Path(str(item.path)).relative_to(Path(__file__).parent).parts[0]
    tier = next((name for name, fixtures in TIERS if used & fixtures), FOLDER_TIERS.get(folder, "unit"))
    if tier == "integration" and folder in E2E_FOLDERS and used & {"rt", "op"}:
        return "e2e"
    return tier


def pytest_collection_modifyitems(config, items):
    for item in items:
        marked = [m for m in TIER_MARKERS if item.get_closest_marker(m)]
        if not marked:
            item.add_marker(getattr(pytest.mark, tier_of(item)))


@pytest.fixture(autouse=True)
def unit_tests_open_no_database(request, monkeypatch):
    """A test in the unit tier that opens SQLite fails: its tier would be a lie."""
    if request.node.get_closest_marker("unit"):
        def refuse(*_args, **_kwargs):
            raise AssertionError("a unit test opened a database: use the rt or op fixture (integration tier)")

        monkeypatch.setattr(sqlite3, "connect", refuse)
        monkeypatch.setattr(sqlite3.dbapi2, "connect", refuse)  # what SQLAlchemy calls
