"""The dashboard's figures computed once per change of the ledger, for every viewer.

A viewer's refresh reads the ledger's head (one indexed read) and is answered from the last computation. When the
head has moved, one thread computes the new picture; viewers wait for it only while computations are quick (a small
operation always looks current), else they get the previous picture at once and the next refresh gets the new one.
So a refresh costs the same whatever the number of viewers and persons, and a viewer who gives up leaves nothing
queued behind it: no request ever does the computing itself."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Hashable

log = logging.getLogger(__name__)

PATIENCE_SECONDS = 0.1  # a computation quicker than this is waited for; a slower one is not
FIRST_WAIT_SECONDS = 120.0  # the very first picture is waited for (there is nothing else to show)
REST_SECONDS = 1.0  # after a slow computation, at least this long before the next (leaves the CPU to the scanners)
KEY_SECONDS = 0.5  # with slow computations, the ledger's head is read at most this often (others get the picture)


class Snapshot(dict):
    """One computation's values, plus what was made from them (rendered pages, JSON) kept beside them."""

    def __init__(self, key: Hashable, values: dict):
        super().__init__(values)
        self.key = key
        self.made: dict = {}
        self._lock = threading.Lock()

    def once(self, name: Hashable, make: Callable[[], object]):
        """`make()` the first time `name` is asked for in this snapshot; the same value after."""
        with self._lock:
            if name not in self.made:
                self.made[name] = make()
            return self.made[name]


class LedgerCache:
    def __init__(self, key: Callable[[], Hashable], compute: Callable[[], dict], *,
                 patience: float | None = None, rest: float = REST_SECONDS,
                 prepare: Callable[[Snapshot], None] | None = None):
        """`prepare(snapshot)`: made from a new snapshot (pages rendered, JSON written) before any viewer gets it."""
        self._key_of, self._compute, self._prepare = key, compute, prepare
        self._patience, self._rest = PATIENCE_SECONDS if patience is None else patience, rest
        self._cond = threading.Condition()
        self._snapshot: Snapshot | None = None
        self._busy = False
        self._took = 0.0
        self._finished = 0.0
        self._error: BaseException | None = None
        self._checked = 0.0
        self.computations = 0

    def ready(self) -> Snapshot | None:
        """The picture without reading anything, when that is enough: computations are slow (so viewers are not
        kept waiting for them anyway) and the ledger's head was read less than `KEY_SECONDS` ago. Else None: `get`."""
        with self._cond:
            if self._snapshot is not None and self._took > self._patience \
                    and time.monotonic() - self._checked < KEY_SECONDS:
                return self._snapshot
            return None

    def get(self) -> Snapshot:
        key = self._key_of()
        with self._cond:
            self._checked = time.monotonic()
            current = self._snapshot
            if current is not None and current.key == key:
                return current
            if not self._busy:
                self._busy, self._error = True, None
                threading.Thread(target=self._run, args=(key,), daemon=True, name="dashboard-figures").start()
            if current is not None and self._took > self._patience:
                return current  # the new picture is on its way; this one was the latest a moment ago
            wait = FIRST_WAIT_SECONDS if current is None else max(10 * self._patience, 5.0)
            self._cond.wait_for(lambda: (self._snapshot is not None and self._snapshot.key == key)
                                or not self._busy, timeout=wait)
            if self._snapshot is None:
                raise RuntimeError("the dashboard's figures could not be computed") from self._error
            return self._snapshot

    def _run(self, key: Hashable) -> None:
        try:
            if self._took > self._patience:
                time.sleep(max(0.0, self._finished + self._rest - time.monotonic()))
                key = self._key_of()  # the latest head after the rest
            started = time.monotonic()
            values = self._compute()
            snapshot = Snapshot(key, values)
            if self._prepare is not None:
                self._prepare(snapshot)
            with self._cond:
                self._snapshot, self._took = snapshot, time.monotonic() - started
                self._finished = time.monotonic()
                self.computations += 1
        except BaseException as e:  # noqa: BLE001  (kept for the waiting viewers, logged without details)
            log.warning("computing the dashboard's figures failed: %s", type(e).__name__)
            with self._cond:
                self._error = e
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
