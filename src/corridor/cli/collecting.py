"""The server's cycle collector: its full collections moved out of a surge, into the quiet moments after it.

Python's cycle collector stops every thread while it walks what it tracks. Its young collections walk little; a
full one walks everything not frozen — on a server that has registered and planned 100,000 persons, the matcher's
caches and what the registrations left alive: 150–250 ms with nothing to collect, every few seconds under 50
boarding desks (each full collection is due once enough objects outlived two young ones, which requests in flight
do). Every desk waits through each of them.

In a server process (`tuned_for_serving`) the collector makes no full collection of its own; a thread of this module
makes one once the write queue has been empty, with no command recorded, for `QUIET_S` (the desks have stopped),
and freezes what survives (`gc.freeze`: set aside from later collections, as the objects made at start-up are), so
the next walks only what was made since. Every `UNFREEZE_EVERY_S` a quiet collection first unfreezes everything,
so cycles left by what was frozen are collected too (a longer pause, at a quiet moment). Under a load that never
pauses, a full collection is made at least every `AT_LEAST_EVERY_S`, over what was made since the last freeze.
Young collections run as before."""

from __future__ import annotations

import gc
import threading
import time
from typing import Callable

QUIET_S = 1.0  # the write queue empty and no command recorded for this long: the server is quiet
AT_LEAST_EVERY_S = 60.0  # a full collection at least this often, quiet or not
UNFREEZE_EVERY_S = 600.0  # a quiet collection looks at everything frozen again at most this often
TURN_S = 0.25  # how often the thread looks
_NEVER = 1 << 30  # the collector's own threshold for a full collection: not reached


class QuietCollector:
    """Full collections when the server is quiet. `recorded()` counts the commands recorded so far and `waiting()`
    the jobs in the write queue, being decided or waiting (the group commit's); `clock` is monotonic seconds."""

    def __init__(self, recorded: Callable[[], int], waiting: Callable[[], int],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.recorded, self.waiting = recorded, waiting
        self.clock = clock
        self.full_collections = 0
        self._seen = recorded()
        self._since = self._last_full = self._unfrozen = clock()  # last activity; last full collection; unfreeze
        self._dirty = False  # commands recorded since the last full collection
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """The collector's own full collections off, this one's thread on."""
        self._collector_off()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="corridor quiet collector", daemon=True)
            self._thread.start()

    @staticmethod
    def _collector_off() -> None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, _NEVER)

    def _run(self) -> None:
        while True:
            time.sleep(TURN_S)
            self.turn()

    def turn(self) -> str | None:
        """Look once: make the full collection that is due, if one is. What it did ("quiet", "due") or None."""
        now, count = self.clock(), self.recorded()
        if count != self._seen or self.waiting():  # a long batch being decided is no quiet moment
            self._seen, self._since, self._dirty = count, now, True
        if self._dirty and now - self._since >= QUIET_S:
            if now - self._unfrozen >= UNFREEZE_EVERY_S:
                gc.unfreeze()  # what earlier quiet moments froze is looked at again, with everything else
                self._unfrozen = now
            self._collect(now)
            return "quiet"
        if now - self._last_full >= AT_LEAST_EVERY_S:
            self._collect(now)
            return "due"
        return None

    def _collect(self, now: float) -> None:
        gc.collect()
        gc.freeze()
        self._dirty, self._last_full = False, now
        self.full_collections += 1
