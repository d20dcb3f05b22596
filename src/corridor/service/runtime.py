"""What every use case needs: the database, a clock, the planner, and the one
way a command is recorded (`execute`): absorb a resend, refuse a conflicting
reuse of a command id, decide, append, project, commit — or change nothing."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from typing import Callable

from ..domain.errors import BadInput, Conflict, CorridorError
from ..domain.events import Event, canonical_json, to_plain
from ..domain.values import parse_time
from ..planning import Plan, Problem
from ..store.db import Database
from ..store.ledger import Entry
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
    rng: random.Random | None = None  # tokens: None draws from `secrets`

    def reading(self) -> UnitOfWork:
        return UnitOfWork(self.db, write=False)

    def writing(self) -> UnitOfWork:
        return UnitOfWork(self.db, write=True)


@dataclass(frozen=True)
class Meta:
    """Who sends a command, from where, with which id, and (optionally) when it happened."""

    command_id: str | None = None
    actor: str = "unknown"
    device: str = "unknown"
    at: datetime | str | None = None

    def checked(self) -> Meta:
        cid = self.command_id
        if cid is not None and (not isinstance(cid, str) or not 1 <= len(cid) <= 100 or not cid.isprintable()):
            raise BadInput("command_id: expected 1–100 printable characters", field="command_id")
        at = parse_time(self.at, "at") if self.at is not None else None
        return Meta(cid, (self.actor or "unknown")[:100], (self.device or "unknown")[:100], at)


@dataclass(frozen=True)
class Receipt:
    """What a recorded (or absorbed) command answers: its event's number, type, time and content."""

    seq: int
    command_id: str
    type: str
    at: str
    replayed: bool
    payload: str = field(repr=False)

    @cached_property
    def data(self) -> dict:
        return json.loads(self.payload)

    def as_dict(self) -> dict:
        return {"seq": self.seq, "command_id": self.command_id, "type": self.type, "at": self.at,
                "replayed": self.replayed, "data": self.data}

    @classmethod
    def of(cls, entry: Entry, *, replayed: bool) -> Receipt:
        return cls(entry.seq, entry.command_id, entry.type, entry.at, replayed, entry.payload)


def fingerprint(name: str, params: dict, at: datetime | None) -> str:
    body = canonical_json({"command": name, "params": to_plain(params), "at": at.isoformat() if at else None})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


Decide = Callable[[UnitOfWork, datetime], Event]


def execute(rt: Runtime, meta: Meta, name: str, params: dict, decide: Decide) -> Receipt:
    """Record one command as one event, exactly once."""
    return execute_many(rt, [(meta, params)], name, lambda uow, at, _params: decide(uow, at))[0]


def execute_many(rt: Runtime, items: list[tuple[Meta, dict]], name: str,
                 decide: Callable[[UnitOfWork, datetime, dict], Event], *, independent: bool = False,
                 conflicts: list[dict] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Receipt | None]:
    """Record several commands of one kind in one transaction: all of them, or (on any refusal) none.

    Every refusal is collected, so a batch answers with every bad item at once. `independent` says no
    decision depends on an earlier item of the batch (registrations): the events are then appended and
    projected together at the end, which is much faster for large batches. Given a `conflicts` list, a
    command id reused with other content is reported there and skipped (its receipt is None) instead of
    refusing the batch: submissions exported again and again from a field server are imported that way."""
    checked = [(m.checked(), p) for m, p in items]
    receipts: list[Receipt | None] = [None] * len(checked)
    problems: list[dict] = []
    pending: list[tuple[int, Event, dict]] = []
    with rt.writing() as uow:
        priors = uow.ledger.find_many([m.command_id for m, _ in checked if m.command_id])
        seen: dict[str, str] = {}
        for i, (meta, params) in enumerate(checked):
            if progress is not None and i % 1000 == 0:
                progress(i, len(checked))
            fp = fingerprint(name, params, meta.at)
            try:
                if meta.command_id:
                    if meta.command_id in seen:
                        if seen[meta.command_id] != fp:
                            raise Conflict(f"command_id: {meta.command_id!r} is used twice in this batch with "
                                           "different content", field="command_id")
                    prior = priors.get(meta.command_id)
                    if prior is not None:
                        if prior.fingerprint != fp and conflicts is not None:
                            conflicts.append({"item": i, "command_id": meta.command_id, "event": prior.seq,
                                              "detail": "already recorded with different content; not applied"})
                            continue
                        if prior.fingerprint != fp:
                            raise Conflict(
                                f"command_id: {meta.command_id!r} was already used for a different command "
                                f"({prior.type}, event {prior.seq})", field="command_id")
                        receipts[i] = Receipt.of(prior, replayed=True)
                        continue
                    if meta.command_id in seen:  # the same command twice in one batch: record it once
                        continue
                    seen[meta.command_id] = fp
                at = meta.at or rt.clock()
                event = decide(uow, at, params)
                envelope = dict(command_id=meta.command_id or f"srv-{uuid.uuid4()}", fingerprint=fp, at=at,
                                recorded_at=utc_now(), actor=meta.actor, device=meta.device)
                if independent:
                    pending.append((i, event, envelope))
                else:
                    receipts[i] = Receipt.of(uow.record(event, **envelope), replayed=False)
            except CorridorError as err:
                if len(checked) == 1:
                    raise
                problems.append({"item": i, "field": err.field, "detail": err.detail, "status": err.status})
        if problems:
            first = problems[0]
            raise BadInput(f"{len(problems)} of {len(checked)} item(s) refused, nothing recorded; "
                           f"first: item {first['item']}: {first['detail']}", field=f"items[{first['item']}]",
                           errors=problems)
        if pending:
            entries = uow.record_many([(event, envelope) for _, event, envelope in pending])
            for (i, _, _), entry in zip(pending, entries):
                receipts[i] = Receipt.of(entry, replayed=False)
        uow.commit()
    if progress is not None:
        progress(len(checked), len(checked))
    by_id = {r.command_id: r for r in receipts if r is not None}
    return [r if r is not None else by_id.get(m.command_id) for r, (m, _) in zip(receipts, checked)]
