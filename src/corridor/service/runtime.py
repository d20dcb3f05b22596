"""What every use case needs: the database, a clock, the planner and the matcher (and its evidence explained).

The one way a command is recorded (`execute`) lives in `recording`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from ..planning import Plan, Problem
from ..store.crypto import Vault
from ..store.db import Database
from ..store.uow import UnitOfWork


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Runtime:
    """The wiring one process uses; made by `bootstrap.bootstrap()`."""

    db: Database
    clock: Callable[[], datetime] = utc_now
    planner: Callable[[Problem], Plan] | None = None
    matcher: Callable[[list[dict]], list] | None = None  # duplicate detection over person records
    explainer: Callable[[dict, str], list[str]] | None = None  # a candidate pair's evidence as lines, in a language
    rng: random.Random | None = None  # tokens: None draws from `secrets`
    future_margin: timedelta = timedelta(hours=24)  # how far ahead of the clock an event's time may lie
    time_zone: str | None = None  # the zone times are shown in, where the server is told one; else the operation's
    # own (service/opclock.zone_of)

    @property
    def vault(self) -> Vault:
        """The database's keys: seals and opens personal data (store/crypto.py); locked without the master key."""
        return self.db.vault

    def reading(self) -> UnitOfWork:
        return UnitOfWork(self.db, write=False)

    def writing(self) -> UnitOfWork:
        return UnitOfWork(self.db, write=True)
