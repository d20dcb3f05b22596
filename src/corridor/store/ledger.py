"""The append-only, hash-chained ledger: the record of everything that happened.

Each row carries the hash of the row before it; `verify` walks the chain and
names the first row that was edited, removed or moved. The head row (last seq
and hash) also catches rows cut from the end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import Connection, bindparam, select, update

from ..domain.events import Event
from .crypto import Vault
from .prepared import Prepared
from .sealing import Sealer, Seals, open_payload
from .tables import ledger, ledger_head

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    """One recorded event with its envelope."""

    seq: int
    command_id: str
    fingerprint: str
    type: str
    payload: str
    at: str
    recorded_at: str
    actor: str
    device: str
    prev_hash: str
    hash: str

    @property
    def event(self) -> Event:
        """The event with its personal fields left sealed (``[sealed]``); `opened` opens them."""
        return open_payload(self.type, self.payload)[0]

    def opened(self, conn: Connection, vault: Vault | None) -> tuple[Event, Seals]:
        """The event with its personal fields opened (when the vault can), and its sealed values."""
        return open_payload(self.type, self.payload, conn, vault)

    @property
    def at_time(self) -> datetime:
        return datetime.fromisoformat(self.at)


def chain_hash(prev_hash: str, seq: int, command_id: str, type_: str, payload: str, at: str,
               recorded_at: str, actor: str, device: str) -> str:
    h = hashlib.sha256()
    for part in (prev_hash, str(seq), command_id, type_, payload, at, recorded_at, actor, device):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


# every command looks itself up, appends and moves the head: run on the driver's cursor (store/prepared.py)
_BY_COMMAND = Prepared(select(ledger).where(ledger.c.command_id == bindparam("command_id")))
_INSERT = Prepared(ledger.insert())
_MOVE_HEAD = Prepared(update(ledger_head).where(ledger_head.c.id == 1).values(seq=bindparam("b_seq"),
                                                                                  hash=bindparam("b_hash")))
_HEAD = Prepared(select(ledger_head.c.seq, ledger_head.c.hash).where(ledger_head.c.id == 1))
_HEAD_LOCKED = Prepared(select(ledger_head.c.seq, ledger_head.c.hash).where(ledger_head.c.id == 1).with_for_update())


def _entry(row) -> Entry:
    mapping = row._asdict() if hasattr(row, "_asdict") else row._mapping  # a prepared statement's row, or Core's
    return Entry(**{k: mapping[k] for k in Entry.__dataclass_fields__})


class Ledger:
    """The ledger as seen from inside one write transaction."""

    def __init__(self, conn: Connection, *, lock_head: bool, vault: Vault | None = None):
        self.conn = conn
        self.sealer = Sealer(conn, vault if vault is not None else Vault(None, "nowhere"))
        self._lock_head = lock_head
        self._head: tuple[int, str] | None = None
        self._dirty = False

    def find(self, command_id: str) -> Entry | None:
        row = _BY_COMMAND.first(self.conn, {"command_id": command_id})
        return _entry(row) if row else None

    def head(self) -> tuple[int, str]:
        if self._head is None:
            row = (_HEAD_LOCKED if self._lock_head else _HEAD).first(self.conn)
            if row is None:
                self.conn.execute(ledger_head.insert().values(id=1, seq=0, hash=GENESIS))
                self._head = (0, GENESIS)
            else:
                self._head = (row.seq, row.hash)
        return self._head

    def find_many(self, command_ids: list[str]) -> dict[str, Entry]:
        if len(command_ids) == 1:  # one command (a scan): the prepared statement
            row = _BY_COMMAND.first(self.conn, {"command_id": command_ids[0]})
            return {row.command_id: _entry(row)} if row else {}
        found: dict[str, Entry] = {}
        for i in range(0, len(command_ids), 500):
            rows = self.conn.execute(select(ledger).where(ledger.c.command_id.in_(command_ids[i:i + 500]))).all()
            found.update({row.command_id: _entry(row) for row in rows})
        return found

    def _chain(self, event: Event, command_id: str, fingerprint: str, at: datetime, recorded_at: datetime,
               actor: str, device: str) -> tuple[dict, Seals]:
        """The next row of the chain (not yet written), its personal fields sealed; moves the head."""
        last_seq, last_hash = self.head()
        type_, payload, seals = self.sealer.seal(event)
        seq = last_seq + 1
        values = dict(
            seq=seq, command_id=command_id, fingerprint=fingerprint, type=type_, payload=payload,
            at=at.isoformat(), recorded_at=recorded_at.isoformat(), actor=actor, device=device,
            prev_hash=last_hash,
        )
        values["hash"] = chain_hash(last_hash, seq, command_id, type_, payload, values["at"],
                                    values["recorded_at"], actor, device)
        self._head = (seq, values["hash"])
        self._dirty = True
        return values, seals

    def append(self, event: Event, *, command_id: str, fingerprint: str, at: datetime,
               recorded_at: datetime, actor: str, device: str) -> tuple[Entry, Seals]:
        values, seals = self._chain(event, command_id, fingerprint, at, recorded_at, actor, device)
        self.sealer.flush()
        _INSERT.run(self.conn, values)
        return Entry(**values), seals

    def append_many(self, items: list[tuple[Event, dict]]) -> list[tuple[Entry, Seals]]:
        """Append events in order with one round trip; each item is (event, envelope keywords)."""
        chained = [self._chain(event, **envelope) for event, envelope in items]
        self.sealer.flush()
        if chained:
            self.conn.execute(ledger.insert(), [values for values, _ in chained])
        return [(Entry(**values), seals) for values, seals in chained]

    def flush(self) -> None:
        """Write the head row; called by the unit of work just before commit."""
        if self._dirty and self._head is not None:
            seq, hash_ = self._head
            _MOVE_HEAD.run(self.conn, {"b_seq": seq, "b_hash": hash_})
            self._dirty = False

    # --- group commit (store/group.py): a job undone by its savepoint takes its moves of the head with it ---

    def mark(self) -> tuple:
        """Where the chain stands in memory now (before a job of a group)."""
        return self._head, self._dirty, list(self.sealer._new_keys)

    def undo(self, mark: tuple) -> None:
        """Back to `mark`, after the job's savepoint was rolled back."""
        self._head, self._dirty, self.sealer._new_keys = mark[0], mark[1], list(mark[2])


def entries(conn: Connection, *, batch: int = 5000) -> Iterator[Entry]:
    """Every entry in order, read in batches so a large ledger does not fill memory."""
    last = 0
    while True:
        rows = conn.execute(select(ledger).where(ledger.c.seq > last).order_by(ledger.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        last = rows[-1].seq


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(conn: Connection) -> Verification:
    """Walk the chain; report the first event that does not hold."""
    expected_seq, prev = 1, GENESIS
    count = 0
    for e in entries(conn):
        if e.seq != expected_seq:
            return Verification(False, count, expected_seq, f"event {expected_seq} is missing (next present is {e.seq})")
        if e.prev_hash != prev:
            return Verification(False, count, e.seq, f"event {e.seq} does not follow event {e.seq - 1} (chain broken: removed or reordered)")
        digest = chain_hash(e.prev_hash, e.seq, e.command_id, e.type, e.payload, e.at, e.recorded_at, e.actor, e.device)
        if digest != e.hash:
            return Verification(False, count, e.seq, f"event {e.seq} ({e.type}) was altered after it was recorded")
        try:
            e.event
        except Exception as err:  # noqa: BLE001 - an unreadable payload is a verification failure
            return Verification(False, count, e.seq, f"event {e.seq} cannot be read: {err}")
        prev, expected_seq, count = e.hash, e.seq + 1, count + 1
    head = conn.execute(select(ledger_head.c.seq, ledger_head.c.hash).where(ledger_head.c.id == 1)).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != count or head_hash != prev:
        return Verification(False, count, count + 1 if head_seq > count else head_seq,
                            f"the ledger ends at event {count} but its head records event {head_seq}: events were cut from the end")
    return Verification(True, count)
