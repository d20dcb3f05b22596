"""The desks' browser tests share one Playwright and one chromium per module, and one screenshot folder per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.desk_support import ARGS, CHROMIUM, need_chromium


@pytest.fixture(scope="module")
def desk_playwright():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def desk_browser(desk_playwright):
    chromium = desk_playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """The run's screenshot folder: $CORRIDOR_SCREENSHOTS when set, else one the run names (printed with -s)."""
    given = os.environ.get("CORRIDOR_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("desk-screenshots", numbered=True)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"desk screenshots: {folder}")
    return folder


@pytest.fixture(autouse=True)
def dashboard_always_current(monkeypatch):
    """The dashboard's tests check each figure right after recording it: every picture is waited for (in use, a
    picture slower than `PATIENCE_SECONDS` is not, and the next refresh shows it)."""
    from corridor.web import cache

    monkeypatch.setattr(cache, "PATIENCE_SECONDS", 600.0)


@pytest.fixture(scope="module")
def care_demo(tmp_path_factory, database_templates):
    """The medic's and the protection officer's desks: their demo operation (tests/web/care_support.py), served."""
    from tests.web.care_support import make_demo
    from tests.web.desk_support import served

    need_chromium()
    found = make_demo(tmp_path_factory.mktemp("desk-care"), database_templates)
    with served(found["rt"]) as base:
        yield {**found, "base": base, "tokens": database_templates.tokens["operation"]}
