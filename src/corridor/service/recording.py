"""The one way a command is recorded: normalise it, absorb a resend, refuse a conflicting
reuse of a command id, check its time, decide, append, project, commit — or change nothing.

Commands that arrive together are committed together (store/group.py): each is decided in its turn
inside the group's transaction, sees every command decided before it, and is answered only once the
group's one commit made it durable."""

from __future__ import annotations

import gc
import hashlib
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Callable, TypeVar

from ..domain.commands import Command
from ..domain.errors import BadInput, Conflict, CorridorError, ItemsRefused
from ..domain.codec import canonical_json_of, to_plain
from ..domain.events import Event
from ..domain.timing import check_event_time
from ..domain.values import parse_time
from ..store import queries as q
from ..store.ledger import Entry
from ..store.uow import UnitOfWork
from .runtime import Runtime, utc_now

C = TypeVar("C", bound=Command)
T = TypeVar("T")


@dataclass(frozen=True)
class Meta:
    """Who sends a command, from where, with which id, and (optionally) when it happened."""

    command_id: str | None = None
    actor: str = "unknown"
    device: str = "unknown"
    at: datetime | str | None = None
    verify: Callable[[object], None] | None = field(default=None, compare=False, repr=False)
    # checks the sender again inside the command's transaction (given its connection), before anything is decided (a token remembered
    # by the server: service/accounts.verify_in); raises to record nothing

    def checked(self) -> Meta:
        cid = self.command_id
        if cid is not None and (not isinstance(cid, str) or not 1 <= len(cid) <= 100 or not cid.isprintable()):
            raise BadInput("command_id: expected 1–100 printable characters", field="command_id")
        at = parse_time(self.at, "at") if self.at is not None else None
        return Meta(cid, (self.actor or "unknown")[:100], (self.device or "unknown")[:100], at, self.verify)


@dataclass(frozen=True)
class Receipt:
    """What a recorded (or absorbed) command answers: its event's number, type, time and content."""

    seq: int
    command_id: str
    type: str
    at: str
    replayed: bool
    payload: str = field(repr=False)  # as the ledger holds it: personal fields sealed
    event: Event | Callable[[], Event] | None = field(default=None, repr=False, compare=False)
    # the event as recorded, in the clear (or how to open it from the ledger, when first asked)

    @cached_property
    def data(self) -> dict:
        """The event's content, personal fields in the clear (or ``[sealed]`` / ``[erased]`` when they cannot be)."""
        if self.event is None:
            return json.loads(self.payload)
        return to_plain(self.event() if callable(self.event) else self.event)

    def as_dict(self) -> dict:
        return {"seq": self.seq, "command_id": self.command_id, "type": self.type, "at": self.at,
                "replayed": self.replayed, "data": self.data}

    @classmethod
    def of(cls, entry: Entry, *, replayed: bool, event: Event | None = None) -> Receipt:
        """The receipt of an entry; its data is the event as recorded with its personal fields in the clear
        (`event`, the opened event), not the sealed payload the ledger keeps."""
        return cls(entry.seq, entry.command_id, entry.type, entry.at, replayed, entry.payload, event)


def fingerprint(command: Command, at: datetime | None) -> str:
    """What identifies a command's content: its name, its normalised parameters and its stated time. A command
    with a NUL character in any text is refused here, naming the field (`Command.refuse_nul`): every command
    recorded is fingerprinted first, and its JSON shows a NUL as an escape that costs nothing to look for."""
    body = canonical_json_of({"command": command.name, "params": command.params(),
                              "at": at.isoformat() if at else None})
    if "\\u0000" in body:
        command.refuse_nul()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


Decide = Callable[[UnitOfWork, datetime, C], Event]


Unless = Callable[[UnitOfWork], T | None]


def execute(rt: Runtime, meta: Meta, command: C, decide: Decide, *, unless: Unless | None = None) -> Receipt | T:
    """Record one command as one event, exactly once; `decide` gets the normalised command. `unless(uow)` is asked
    first, in the same transaction (after the sender is verified again): what it answers, when not None, is the
    answer instead, and nothing is recorded (the boarding desk's plain answers: held, aboard, wrong trip)."""
    if unless is None:
        return execute_many(rt, [(meta, command)], decide)[0]
    return rt.db.group.run(_one(rt, meta, command, decide, unless))


async def execute_async(rt: Runtime, meta: Meta, command: C, decide: Decide, *,
                        unless: Unless | None = None) -> Receipt | T:
    """`execute` for a caller on an event loop (a boarding scan on the server): the same recording, awaited
    rather than waited for in a thread of its own."""
    return await rt.db.group.run_async(_one(rt, meta, command, decide, unless))


def _one(rt: Runtime, meta: Meta, command: C, decide: Decide, unless: Unless | None) -> Callable[[UnitOfWork], object]:
    """The group's job that records one command (or answers what `unless` says instead)."""
    checked, items = [meta.checked()], [(meta, command)]

    def record(uow: UnitOfWork):
        if unless is not None:
            if checked[0].verify is not None:
                checked[0].verify(uow.conn)
            answered = unless(uow)
            if answered is not None:
                return answered
            checked[0] = replace(checked[0], verify=None)  # verified just now, in this transaction
        return _record(rt, uow, checked, items, decide, False, None, None)[0]

    return record


LARGE_BATCH = 200  # commands in one batch from which the cycle collector is paused while it is recorded


@contextmanager
def collector_paused(large: bool):
    """Python's cycle collector paused while a large batch is decided and recorded. The batch's commands, events and
    rows stand in memory until the commit, and each collection would walk all of them again (about a tenth of the
    time of a 100,000-person import); they form no reference cycles, so nothing is kept longer than the batch.
    Resumed at the end, if it was running at the start."""
    if not large or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def execute_many(rt: Runtime, items: list[tuple[Meta, Command]], decide: Decide, *, independent: bool = False,
                 conflicts: list[dict] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Receipt | None]:
    """Record several commands in one transaction (the group's): all of them, or (on any refusal) none.

    Items are counted from 1 in refusals (`errors[].item`, "item 1"); `items[i]` fields keep the
    list's own index. Every refusal is collected, so a batch answers with every bad item at once.
    `independent` says no decision depends on an earlier item of the batch (registrations): the
    events are then appended and projected together at the end, which is much faster for large
    batches. Given a `conflicts` list, a command id reused with other content is reported there and
    skipped (its receipt is None) instead of refusing the batch: submissions exported again and
    again from a field server are imported that way."""
    checked = [m.checked() for m, _ in items]

    def record(uow: UnitOfWork) -> list[Receipt | None]:
        return _record(rt, uow, checked, items, decide, independent, conflicts, progress)

    with collector_paused(len(items) >= LARGE_BATCH):
        receipts = rt.db.group.run(record)  # answered once the group it was committed with is durable
    if progress is not None:
        progress(len(items), len(items))
    by_id = {r.command_id: r for r in receipts if r is not None}
    return [r if r is not None else by_id.get(m.command_id) for r, m in zip(receipts, checked)]


def _record(rt: Runtime, uow: UnitOfWork, checked: list[Meta], items: list[tuple[Meta, Command]], decide: Decide,
            independent: bool, conflicts: list[dict] | None,
            progress: Callable[[int, int], None] | None) -> list[Receipt | None]:
    """The commands of one call decided and appended in the group's transaction (execute_many says how); any
    refusal raises, and the group undoes this call's writes."""
    single = len(items) == 1
    receipts: list[Receipt | None] = [None] * len(items)
    problems: list[dict] = []
    refusals: list[CorridorError] = []
    pending: list[tuple[int, Event, dict]] = []
    priors = {cid: (entry, _opener(rt, entry)) for cid, entry in
              uow.ledger.find_many([m.command_id for m in checked if m.command_id]).items()}
    op = q.operation_row(uow.conn)
    seen: dict[str, str] = {}
    for i, (meta, (_, raw)) in enumerate(zip(checked, items)):
        if progress is not None and i % 1000 == 0:
            progress(i, len(items))
        try:
            if meta.verify is not None:
                meta.verify(uow.conn)
            command = raw.normalised()
            fp = fingerprint(command, meta.at)
            if meta.command_id:
                seen_before = _resend(meta.command_id, fp, seen, priors, conflicts, i + 1)
                if seen_before is not None:
                    receipts[i] = seen_before or None
                    continue
            at = meta.at or rt.clock()
            check_event_time(at, now=rt.clock(), margin=rt.future_margin,
                             starts_at=op.starts_at if op is not None else None, prepares=command.prepares)
            event = decide(uow, at, command)
            envelope = dict(command_id=meta.command_id or f"srv-{uuid.uuid4()}", fingerprint=fp, at=at,
                            recorded_at=utc_now(), actor=meta.actor, device=meta.device)
            if independent:
                pending.append((i, event, envelope))
            else:
                receipts[i] = Receipt.of(uow.record(event, **envelope), replayed=False, event=event)
                if op is None:
                    op = q.operation_row(uow.conn)
        except CorridorError as err:
            if single:
                raise
            problems.append({"item": i + 1, "field": err.field, "detail": err.detail, "status": err.status})
            refusals.append(err)
    if problems:
        first = problems[0]
        raise ItemsRefused(f"{len(problems)} of {len(items)} item(s) refused, nothing recorded; "
                       f"first: item {first['item']}: {first['detail']}", field=f"items[{first['item'] - 1}]",
                       errors=problems, refusals=refusals)
    if pending:
        entries = uow.record_many([(event, envelope) for _, event, envelope in pending])
        for (i, event, _), entry in zip(pending, entries):
            receipts[i] = Receipt.of(entry, replayed=False, event=event)
    return receipts


def _opener(rt: Runtime, entry: Entry) -> Callable[[], Event]:
    """Opens a recorded event's personal fields when a resend's receipt is first read (most never are)."""

    def opened() -> Event:
        with rt.reading() as uow:
            return entry.opened(uow.conn, rt.vault)[0]

    return opened


def _resend(command_id: str, fp: str, seen: dict[str, str], priors: dict[str, tuple[Entry, Callable[[], Event]]],
            conflicts: list[dict] | None, item: int) -> Receipt | bool | None:
    """Has this command id been seen? None: no (it is claimed now); a receipt: a resend, absorbed;
    False: nothing to record (a second copy within the batch, or a conflict reported in `conflicts`).
    A reuse with other content is refused, unless `conflicts` collects it."""
    if command_id in seen and seen[command_id] != fp:
        raise Conflict(f"command_id: {command_id!r} is used twice in this batch with different content",
                       field="command_id")
    prior, opened = priors.get(command_id, (None, None))
    if prior is not None and prior.fingerprint != fp:
        if conflicts is None:
            raise Conflict(f"command_id: {command_id!r} was already used for a different command "
                           f"({prior.type}, event {prior.seq})", field="command_id")
        conflicts.append({"item": item, "command_id": command_id, "event": prior.seq,
                          "detail": "already recorded with different content; not applied"})
        return False
    if prior is not None:
        return Receipt.of(prior, replayed=True, event=opened)
    if command_id in seen:  # the same command twice in one batch: recorded once
        return False
    seen[command_id] = fp
    return None
