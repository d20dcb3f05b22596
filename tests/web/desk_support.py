"""What the desk's browser tests share: one operation and one server per module, signing in as a role, a QR card
as a fake camera's video, axe-core run in the page, screenshots into the run's folder."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import pytest
import uvicorn

from corridor.api.app import create_app
from corridor.formats.qr import token_qr
from corridor.web.routes import find_module
from tests.conftest import password_of

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 10_000
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
AXE = Path("axe-core") / "axe.min.js"


def need_chromium() -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def serve(runtime) -> tuple[str, uvicorn.Server, threading.Thread]:
    from tests.web.test_browser import free_port

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning",
                                        lifespan="off"))
    thread = threading.Thread(target=srv.run, name="desk-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json() == {"ok": True}:
                return base, srv, thread
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            srv.should_exit = True
            pytest.fail("the desk server did not start")
        time.sleep(0.1)


@contextmanager
def served(runtime) -> Iterator[str]:
    """corridor on `runtime` under uvicorn on a free port of 127.0.0.1 (its base URL); at the end the server
    stopped and the runtime's database closed."""
    base, srv, thread = serve(runtime)
    try:
        yield base
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        runtime.db.dispose()


def sign_in(context, base: str, role: str, path: str, lang: str | None = None):
    """A page of `context` on `path`, reached through the login page as the test account of `role`."""
    page = context.new_page()
    page.goto(f"{base}{path}" + (f"?lang={lang}" if lang else ""))
    assert "/login" in page.url, "a desk screen must send an anonymous visitor to the login page"
    page.fill("#username", role)
    page.fill("#password", password_of(role))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.startswith(f"{base}{path}"), page.url
    return page


def no_serious_violations(page) -> None:
    """axe-core (from node_modules) run in the page: no serious or critical violation."""
    axe = find_module(AXE)
    assert axe is not None, "axe-core is not in node_modules (npm ci installs it)"
    page.add_script_tag(path=str(axe))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def screenshots(page, folder: Path, name: str) -> None:
    """The page at phone and desk size, full length, into the run's folder."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        if size == "phone":
            no_horizontal_scroll(page)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)


def qr_video(token: str, path: Path, frames: int = 10, size: int = 480) -> Path:
    """A YUV4MPEG2 video (what Chromium's fake camera plays, looping) of the QR code corridor prints for `token`:
    the matrix of `formats.qr`, black on white, centred."""
    matrix = np.array([[1 if dark else 0 for dark in row] for row in token_qr(token).matrix], dtype=np.uint8)
    border = 4
    modules = matrix.shape[0] + 2 * border
    scale = (size * 3 // 4) // modules
    code = np.kron(np.pad(matrix, border), np.ones((scale, scale), dtype=np.uint8))
    luma = np.full((size, size), 235, dtype=np.uint8)
    top = (size - code.shape[0]) // 2
    luma[top:top + code.shape[0], top:top + code.shape[1]][code == 1] = 16
    chroma = np.full((size // 2, size // 2), 128, dtype=np.uint8).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma.tobytes() + chroma + chroma)
    return path
