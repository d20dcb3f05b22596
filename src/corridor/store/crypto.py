"""Encryption at rest: the master key, the households' data keys, AES-GCM and the blind name index.

- The **master key** (32 random bytes) lives outside the database: `$CORRIDOR_KEY` (base64), else the
  file `$CORRIDOR_KEY_FILE`, else `corridor.key` beside a database file. Two keys are derived from it
  with HKDF-SHA256: one wraps the data keys, one keys the blind name index. The database keeps only a
  key id (an HMAC of a fixed text), so a wrong key is recognised before anything is read.
- Each household's personal data is sealed under its own random **data key** (AES-256-GCM), stored
  wrapped by the master key in `household_keys` — outside the hash-chained ledger, so it can be
  destroyed: erasing a household deletes that row, and its data in the ledger can never be opened again.
- A sealed value reads ``enc:v1:<household>:<base64(nonce | ciphertext | tag)>``; the household and
  what the value is (a person's token, ``P…|held``, …) are bound to it as associated data, so a value
  moved to another person or household is refused like a tampered one.
- The **blind index** holds HMACs of the matcher's name keys (`matching.keys.name_keys`), so a
  name can be looked up without the names being stored in the clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.engine import make_url

from ..domain.errors import CorridorError
from .tables import household_keys, keyring

PREFIX = "enc:v1:"
ERASED = "[erased]"  # what a personal field of an erased household reads
KEY_FILE = "corridor.key"
_WRAP_INFO, _INDEX_INFO, _ID_TEXT = b"corridor/wrap-data-keys/v1", b"corridor/blind-name-index/v1", b"corridor/key-id/v1"


class KeyUnavailable(CorridorError):
    """Personal data is encrypted and the master key is missing or not the one it was sealed with."""

    status = 503
    title = "Encryption key unavailable"
    slug = "key-unavailable"


class SealBroken(CorridorError):
    """A sealed value does not open under its key: altered, truncated or moved to another record."""

    status = 409
    title = "Stored data failed its integrity check"
    slug = "seal-broken"


# --- the master key ------------------------------------------------------------------------------

def key_file_for(db_url: str, env: dict | None = None) -> Path | None:
    """Where the key file is looked for: $CORRIDOR_KEY_FILE, else corridor.key beside a database file."""
    env = os.environ if env is None else env
    if env.get("CORRIDOR_KEY_FILE"):
        return Path(env["CORRIDOR_KEY_FILE"]).expanduser()
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / KEY_FILE
    return None


def parse_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyUnavailable(f"{where}: the master key is not base64 (expected 32 random bytes in base64)") from None
    if len(key) != 32:
        raise KeyUnavailable(f"{where}: the master key holds {len(key)} bytes; expected 32 (base64 of 32 random bytes)")
    return key


def find_key(db_url: str, env: dict | None = None) -> tuple[bytes | None, str]:
    """(the master key or None, where it was taken or looked for — for messages; never the key)."""
    env = os.environ if env is None else env
    if env.get("CORRIDOR_KEY"):
        return parse_key(env["CORRIDOR_KEY"], "$CORRIDOR_KEY"), "$CORRIDOR_KEY"
    path = key_file_for(db_url, env)
    if path is None:
        return None, "$CORRIDOR_KEY or $CORRIDOR_KEY_FILE (required for a database given by URL)"
    if path.is_file():
        return parse_key(path.read_text(encoding="ascii"), str(path)), str(path)
    return None, f"{path} (or $CORRIDOR_KEY)"


def write_key_file(path: Path) -> bytes:
    """Create a new random master key in `path` (mode 0600); an existing file is never overwritten."""
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # refuses an existing file
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(key).decode("ascii") + "\n")
    return key


def _hkdf(master: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def key_id(master: bytes) -> str:
    """A short public name of a master key (stored in the database; reveals nothing of the key)."""
    return hmac.new(master, _ID_TEXT, hashlib.sha256).hexdigest()[:16]


def stored_key_id(conn: Connection) -> str | None:
    return conn.execute(select(keyring.c.key_id).where(keyring.c.id == 1)).scalar()


def remember_key_id(conn: Connection, kid: str) -> None:
    conn.execute(insert(keyring).values(id=1, key_id=kid))


# --- the vault -----------------------------------------------------------------------------------

class Vault:
    """Seals and opens households' personal data; made once per process by `bootstrap`.

    Without a usable master key it still exists: everything that needs no key works (verify, counts,
    the planner) and anything that must read or write personal data is refused by `require()`,
    saying which key is missing and where it is looked for."""

    CACHE = 50_000  # opened data keys kept in memory

    def __init__(self, master: bytes | None, where: str, problem: str | None = None):
        self.where = where
        self.problem = problem if master is None or problem else None
        self.key_id = key_id(master) if master is not None else None
        self._wrap = self._index_key = None
        if master is not None and problem is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._wrap = AESGCM(_hkdf(master, _WRAP_INFO))
            self._index_key = _hkdf(master, _INDEX_INFO)
        self._keys: dict = {}
        self._blinded: dict[str, str] = {}  # name parts repeat: each is hashed once

    @property
    def usable(self) -> bool:
        return self._wrap is not None

    def require(self) -> None:
        if not self.usable:
            raise KeyUnavailable(self.problem or (
                f"this database holds encrypted personal data and its master key was not found: it is looked for "
                f"in {self.where}. Restore the key file from its backup (or set $CORRIDOR_KEY); without it no "
                "name can be read. Counts, `corridor verify` and the ledger work without it."))

    # data keys
    def new_household_key(self, household: str) -> tuple[object, dict]:
        """A fresh data key for a household: (its cipher, the row that stores it wrapped)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.require()
        raw = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = base64.b64encode(nonce + self._wrap.encrypt(nonce, raw, household.encode())).decode("ascii")
        cipher = AESGCM(raw)
        self._remember(household, cipher)
        return cipher, {"household": household, "wrapped": wrapped}

    def _remember(self, household: str, cipher) -> None:
        if len(self._keys) >= self.CACHE:
            self._keys.clear()
        self._keys[household] = cipher

    def ciphers(self, conn: Connection, households) -> dict[str, object | None]:
        """The data key (as an AES-GCM cipher) of each household; None for a household whose key is destroyed."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        wanted = set(households)
        out = {h: self._keys[h] for h in wanted if h in self._keys}
        missing = sorted(wanted - out.keys())
        if missing:
            self.require()
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            rows = conn.execute(select(household_keys).where(household_keys.c.household.in_(part))).all()
            for row in rows:
                blob = base64.b64decode(row.wrapped)
                try:
                    raw = self._wrap.decrypt(blob[:12], blob[12:], row.household.encode())
                except InvalidTag:
                    raise SealBroken(f"the data key of household {row.household} does not open under this master "
                                     "key (altered, or another key)") from None
                self._remember(row.household, AESGCM(raw))
                out[row.household] = self._keys[row.household]
        for h in missing:
            out.setdefault(h, None)
        return out

    def destroy(self, conn: Connection, household: str) -> bool:
        """Delete a household's data key (crypto-shredding); True if there was one."""
        self._keys.pop(household, None)
        return conn.execute(delete(household_keys).where(household_keys.c.household == household)).rowcount > 0

    def forget(self) -> None:
        """Drop every opened data key from memory (before a rebuild, after an erasure elsewhere)."""
        self._keys.clear()

    # sealing
    @staticmethod
    def seal(cipher, household: str, context: str, plain: str) -> str:
        nonce = os.urandom(12)
        body = cipher.encrypt(nonce, plain.encode("utf-8"), f"{household}|{context}".encode())
        return f"{PREFIX}{household}:{base64.b64encode(nonce + body).decode('ascii')}"

    def open(self, conn: Connection, value: str, context: str, ciphers: dict | None = None) -> str | None:
        """The plain text of a sealed value; None if its household's key was destroyed (erased)."""
        household, blob = _parts(value)
        if ciphers is None or household not in ciphers:
            ciphers = self.ciphers(conn, [household])
        cipher = ciphers[household]
        if cipher is None:
            return None
        return open_with(cipher, household, context, blob)

    # the blind index
    def blind(self, term: str) -> str:
        """A keyed hash of an index term (a name key, a token): equal terms give equal hashes."""
        found = self._blinded.get(term)
        if found is None:
            self.require()
            if len(self._blinded) >= self.CACHE:
                self._blinded.clear()
            found = self._blinded[term] = hmac.new(self._index_key, term.encode("utf-8"),
                                                   hashlib.sha256).hexdigest()[:32]
        return found


def _parts(value: str) -> tuple[str, bytes]:
    if not isinstance(value, str) or not value.startswith(PREFIX):
        raise SealBroken("a stored personal field is not sealed as expected")
    household, _, body = value[len(PREFIX):].partition(":")
    try:
        return household, binascii.a2b_base64(body, strict_mode=True)  # base64.b64decode(validate=True), in C
    except (binascii.Error, ValueError):
        raise SealBroken(f"a sealed field of household {household} is not readable (altered)") from None


def household_of(value: str) -> str:
    """The household a sealed value belongs to (read from its prefix: nothing is decoded)."""
    if not isinstance(value, str) or not value.startswith(PREFIX):
        raise SealBroken("a stored personal field is not sealed as expected")
    return value[len(PREFIX):].partition(":")[0]


def open_with(cipher, household: str, context: str, blob: bytes) -> str:
    from cryptography.exceptions import InvalidTag

    try:
        return cipher.decrypt(blob[:12], blob[12:], f"{household}|{context}".encode()).decode("utf-8")
    except (InvalidTag, ValueError):
        raise SealBroken(f"a sealed field of household {household} does not open (altered or moved)") from None


def name_terms(*names: str) -> set[str]:
    """The index terms of names in either script: the coarse skeleton of each part (as the matcher keys them)."""
    from ..matching.terms import coarse_terms

    return {term for name in names if name for term in coarse_terms(name)}
