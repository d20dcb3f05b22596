"""A corridor server on a free 127.0.0.1 port for the OpenRosa tests (uvicorn in a thread, stopped after)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from corridor.api.app import create_app

OPENROSA = {"X-OpenRosa-Version": "1.0"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A server running an app in a thread until `stop`."""

    def __init__(self, app):
        self.port = free_port()
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off", access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="openrosa-server", daemon=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).json() == {"ok": True}:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or not self.thread.is_alive():
                self.stop()
                raise RuntimeError("the corridor server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def openrosa_server(op):
    served = Served(create_app(op)).start()
    yield served
    served.stop()
