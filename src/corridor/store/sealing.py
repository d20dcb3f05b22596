"""The ledger's mapper for personal data: which fields of which events are sealed, and how.

The domain's events stay plain dataclasses. On the way into the ledger `seal` turns an event into
its canonical JSON with the personal fields replaced by sealed values (store/crypto.py), each under
the data key of the household it belongs to:

- a person of `HouseholdRegistered` / `HouseholdCorrected`: ``name_ar``, ``name_latin``,
  ``birth_date``, ``vulnerabilities`` and ``medical_notes`` become one ``sealed`` value, ``links``
  a ``sealed_links`` value; a plain ``vulnerable`` flag stays for the planner. Birth *year* stays
  plain: the planner, the children list and the counts need ages, and a year alone names nobody;
- each person taken off at a checkpoint (`CheckpointPassed`): ``reason``, under that person's key;
- each duplicate pair (`DuplicatesChecked`): ``evidence`` (it quotes names), sealed under the key
  of the first person's household and then of the second's, so erasing either makes it unreadable;
- a person's category under the agreement (`PersonCategorySet`): ``category``, ``items`` and ``note``
  become one ``sealed`` value under that person's household key (protection-sensitive);
- a driver's name (`TripDeparted`, `PrivateVehicleJoined`): ``driver``, under the operation's **drivers' key**
  (`DRIVERS`), with the trip as its context. A driver is not a registered person: no household holds them, and
  their name is written by hand at departure, so no identity lets one driver's data be keyed apart. The drivers'
  key is one data key of the operation, wrapped by the master key beside the households' keys (outside the
  ledger): destroying it crypto-shreds every driver's name and nothing else;
- `HouseholdErased` destroys the household's data key in the same transaction.

The hash chain covers the sealed JSON, so `verify` needs no key. On the way out `open_payload`
gives the event back with its personal fields opened when the key is there, ``[erased]`` (names) or
empty when the household's key was destroyed, and ``[sealed]`` when no key was offered; beside it
the sealed values themselves (`Seals`), which the projection copies into the views unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select

from ..domain import events as ev
from ..domain.codec import canonical_json, to_plain
from ..domain.events import decode
from .crypto import ERASED, Vault, household_of, open_with, _parts
from .tables import household_keys, persons

PERSON_SEALED = ("name_ar", "name_latin", "birth_date", "vulnerabilities", "medical_notes")
DRIVER_EVENTS = ("TripDeparted", "PrivateVehicleJoined")
SEALED_EVENTS = ("HouseholdRegistered", "HouseholdCorrected", "CheckpointPassed", "DuplicatesChecked",
                 "PersonCategorySet", *DRIVER_EVENTS)
DRIVERS = "DRIVERS"  # the data key of the operation's drivers' names (in household_keys; no household token fits)
CATEGORY_SEALED = ("category", "items", "note")  # a person's category under the agreement: protection-sensitive
NOT_OPENED = "[sealed]"


@dataclass
class Seals:
    """The sealed values of one event, by what they belong to: a person's token (their fields),
    ``P…|links``, ``P…|held`` (a held reason), ``A|B`` (a pair's evidence); and who is vulnerable."""

    values: dict[str, str] = field(default_factory=dict)
    vulnerable: set[str] = field(default_factory=set)
    opened: bool = True  # the event's personal fields are real (not erased, not left sealed)


class Sealer:
    """Seals events inside one write transaction; new data keys are written with `flush`."""

    def __init__(self, conn: Connection, vault: Vault):
        self.conn, self.vault = conn, vault
        self._new_keys: list[dict] = []
        self._drivers = None  # the drivers' key, once looked up (or made) in this transaction

    def seal(self, event: ev.Event) -> tuple[str, str, Seals]:
        type_ = type(event).__name__
        plain = to_plain(event)
        seals = Seals()
        if type_ == "HouseholdRegistered":
            cipher, row = self.vault.new_household_key(event.token)
            self._new_keys.append(row)
            self._persons(plain, event.token, cipher, seals)
        elif type_ == "HouseholdCorrected":
            cipher = self._ciphers([event.token])[event.token]
            self._persons(plain, event.token, cipher, seals)
        elif type_ == "CheckpointPassed" and event.taken_off:
            homes = self._households([o.person for o in event.taken_off])
            ciphers = self.vault.ciphers(self.conn, homes.values())
            for off in plain["taken_off"]:
                home = homes[off["person"]]
                if ciphers[home] is None:  # an erased household: nothing personal is recorded about it
                    off["reason"] = ERASED
                    continue
                off["reason"] = seals.values[f"{off['person']}|held"] = Vault.seal(
                    ciphers[home], home, f"{off['person']}|held", off["reason"])
        elif type_ == "DuplicatesChecked" and event.pairs:
            homes = self._households([t for p in event.pairs for t in (p.a, p.b)])
            ciphers = self._ciphers(homes.values())
            for pair in plain["pairs"]:
                ha, hb, ctx = homes[pair["a"]], homes[pair["b"]], f"{pair['a']}|{pair['b']}"
                inner = Vault.seal(ciphers[ha], ha, ctx, canonical_json(pair["evidence"]))
                pair["evidence"] = seals.values[ctx] = Vault.seal(ciphers[hb], hb, ctx, inner)
        elif type_ == "PersonCategorySet":
            home = self._households([event.person])[event.person]
            cipher = self._ciphers([home])[home]
            secret = {k: plain.pop(k) for k in CATEGORY_SEALED}
            ctx = f"{event.person}|category"
            plain["sealed"] = seals.values[ctx] = Vault.seal(cipher, home, ctx, canonical_json(secret))
        elif type_ in DRIVER_EVENTS and event.driver:
            ctx = f"{event.trip}|driver"
            plain["driver"] = seals.values[ctx] = Vault.seal(self._drivers_key(), DRIVERS, ctx, event.driver)
        elif type_ == "HouseholdErased":
            self.vault.destroy(self.conn, event.household)
        return type_, canonical_json(plain), seals

    def _drivers_key(self):
        """The operation's drivers' key: made (and written at once) the first time a driver's name is sealed, or
        after it was destroyed. Looked up in the table, never trusted from memory: a made key whose transaction was
        undone must not seal anything."""
        if self._drivers is None:
            stored = self.conn.execute(select(household_keys.c.household)
                                       .where(household_keys.c.household == DRIVERS)).first()
            if stored is not None:
                self._drivers = self.vault.ciphers(self.conn, [DRIVERS])[DRIVERS]
            else:
                self._drivers, row = self.vault.new_household_key(DRIVERS)
                self.conn.execute(insert(household_keys), [row])
        return self._drivers

    def flush(self) -> None:
        """Write the data keys of the households sealed so far (one statement for a batch)."""
        if self._new_keys:
            self.conn.execute(insert(household_keys), self._new_keys)
            self._new_keys = []

    def _persons(self, plain: dict, household: str, cipher, seals: Seals) -> None:
        for p in plain["persons"]:
            token = p["token"]
            secret = {k: p.pop(k) for k in PERSON_SEALED}
            p["sealed"] = seals.values[token] = Vault.seal(cipher, household, token, canonical_json(secret))
            links = p.pop("links")
            if links:
                p["sealed_links"] = seals.values[f"{token}|links"] = Vault.seal(
                    cipher, household, f"{token}|links", canonical_json(links))
            p["vulnerable"] = bool(secret["vulnerabilities"])
            if p["vulnerable"]:
                seals.vulnerable.add(token)

    def _households(self, tokens: list[str]) -> dict[str, str]:
        """The household of each person token (from the views, as they stand in this transaction)."""
        out: dict[str, str] = {}
        wanted = sorted(set(tokens))
        for i in range(0, len(wanted), 500):
            out.update(self.conn.execute(select(persons.c.token, persons.c.household)
                                         .where(persons.c.token.in_(wanted[i:i + 500]))).all())
        return out

    def _ciphers(self, households) -> dict:
        ciphers = self.vault.ciphers(self.conn, households)
        gone = sorted(h for h, c in ciphers.items() if c is None)
        if gone:
            from ..domain.errors import RuleRefused

            raise RuleRefused(f"household: {gone[0]} was erased; nothing personal can be recorded about it",
                              field="household")
        return ciphers


# --- opening -------------------------------------------------------------------------------------

def open_payload(type_: str, payload: str, conn: Connection | None = None,
                 vault: Vault | None = None) -> tuple[ev.Event, Seals]:
    """The event of a ledger row and its sealed values; personal fields opened when `vault` can."""
    if type_ not in SEALED_EVENTS:
        return decode(type_, payload), Seals()
    plain = json.loads(payload)
    seals = Seals()
    can_open = vault is not None and vault.usable and conn is not None
    sealed = [v for v in _sealed_values(type_, plain)]
    ciphers = vault.ciphers(conn, {household_of(v) for v in sealed}) if can_open and sealed else {}
    seals.opened = can_open and all(ciphers.get(household_of(v)) is not None for v in sealed)

    def opened(value: str, context: str, gone, shut):
        if not isinstance(value, str) or not value.startswith("enc:"):
            return None  # recorded before encryption: the plain value is in place
        if not can_open:
            return shut
        household, blob = _parts(value)
        if household not in ciphers:
            ciphers.update(vault.ciphers(conn, [household]))
        cipher = ciphers.get(household)
        return gone if cipher is None else open_with(cipher, household, context, blob)

    if type_ in ("HouseholdRegistered", "HouseholdCorrected"):
        for p in plain["persons"]:
            token = p["token"]
            if "sealed" in p:
                seals.values[token] = p["sealed"]
                if p.get("vulnerable"):
                    seals.vulnerable.add(token)
                text = opened(p.pop("sealed"), token, None, None)
                secret = json.loads(text) if text else _placeholder(NOT_OPENED if not can_open else ERASED)
                p.update(secret)
            if "sealed_links" in p:
                seals.values[f"{token}|links"] = p["sealed_links"]
                text = opened(p.pop("sealed_links"), f"{token}|links", None, None)
                p["links"] = json.loads(text) if text else []
            p.pop("vulnerable", None)
    elif type_ == "CheckpointPassed":
        for off in plain["taken_off"]:
            ctx = f"{off['person']}|held"
            if str(off["reason"]).startswith("enc:"):
                seals.values[ctx] = off["reason"]
                off["reason"] = opened(off["reason"], ctx, ERASED, NOT_OPENED)
    elif type_ == "DuplicatesChecked":
        for pair in plain["pairs"]:
            ctx = f"{pair['a']}|{pair['b']}"
            if isinstance(pair["evidence"], str):
                seals.values[ctx] = pair["evidence"]
                inner = opened(pair["evidence"], ctx, None, None)
                text = opened(inner, ctx, None, None) if inner else None
                pair["evidence"] = json.loads(text) if text else {}
    elif type_ in DRIVER_EVENTS:
        ctx = f"{plain['trip']}|driver"
        if str(plain.get("driver", "")).startswith("enc:"):  # recorded before drivers were sealed: in the clear
            seals.values[ctx] = plain["driver"]
            plain["driver"] = opened(plain["driver"], ctx, ERASED, NOT_OPENED)
    elif type_ == "PersonCategorySet":
        ctx = f"{plain['person']}|category"
        seals.values[ctx] = plain["sealed"]
        text = opened(plain.pop("sealed"), ctx, None, None)
        plain.update(json.loads(text) if text else {"category": NOT_OPENED if not can_open else ERASED,
                                                    "items": [], "note": ""})
    return decode(type_, canonical_json(plain)), seals


def _sealed_values(type_: str, plain: dict):
    if type_ in ("HouseholdRegistered", "HouseholdCorrected"):
        for p in plain["persons"]:
            yield from (p[k] for k in ("sealed", "sealed_links") if k in p)
    elif type_ == "CheckpointPassed":
        yield from (o["reason"] for o in plain["taken_off"] if str(o["reason"]).startswith("enc:"))
    elif type_ == "DuplicatesChecked":
        yield from (p["evidence"] for p in plain["pairs"] if isinstance(p["evidence"], str))
    elif type_ == "PersonCategorySet":
        yield plain["sealed"]
    elif type_ in DRIVER_EVENTS and str(plain.get("driver", "")).startswith("enc:"):
        yield plain["driver"]


def _placeholder(name: str) -> dict:
    return {"name_ar": name, "name_latin": name, "birth_date": None, "vulnerabilities": [], "medical_notes": ""}


def open_person(vault: Vault, conn: Connection, sealed: str | None, token: str, ciphers: dict | None = None) -> dict:
    """A person's sealed fields (the view's ``sealed`` column) opened: names, birth date, vulnerabilities,
    medical notes; the erased placeholders when the household was erased (NULL, or its key destroyed)."""
    if sealed is None:
        return _placeholder(ERASED) | {"medical_notes": None}
    text = vault.open(conn, sealed, token, ciphers)
    return json.loads(text) if text is not None else _placeholder(ERASED) | {"medical_notes": None}
