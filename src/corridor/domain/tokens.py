"""Short tokens for households (H…) and persons (P…), printed on cards and QR codes.

A token is a kind letter, seven random symbols of Crockford's base-32 alphabet
(no I, L, O, U: nothing to misread) and one Luhn mod-32 check symbol, which
catches every single mistyped symbol and most swapped neighbours:
``P7K3M9QX4``. Lower case, and the look-alikes O→0, I/L→1, are accepted on input.
"""

from __future__ import annotations

import random
import secrets

from .errors import BadInput, MistypedToken

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LENGTH = 7
KINDS = {"H": "household", "P": "person"}


def _check_symbol(body: str) -> str:
    """Luhn mod N over the body (N = 32)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def make_token(kind: str, rng: random.Random | None = None) -> str:
    if kind not in KINDS:
        raise ValueError(f"token kind must be one of {sorted(KINDS)}")
    bits = secrets.randbits(5 * BODY_LENGTH) if rng is None else rng.getrandbits(5 * BODY_LENGTH)
    body = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(BODY_LENGTH))
    return kind + body + _check_symbol(body)


def normalise_token(raw: object, field: str = "token") -> str:
    """Canonical form of a typed or scanned token; refuses what cannot be one."""
    if not isinstance(raw, str):
        raise BadInput(f"{field}: expected a token such as P7K3M9QX4, got {raw!r}", field=field)
    text = raw.strip().upper().replace("-", "").replace(" ", "")
    if len(text) != 2 + BODY_LENGTH or text[0] not in KINDS:
        raise BadInput(f"{field}: {raw!r} is not a token (H or P followed by 8 symbols)", field=field)
    rest = text[1:].translate(_LOOKALIKE)
    if any(c not in _INDEX for c in rest):
        raise BadInput(f"{field}: {raw!r} has a symbol outside the token alphabet", field=field)
    body, check = rest[:-1], rest[-1]
    if _check_symbol(body) != check:
        raise MistypedToken(f"{field}: {raw!r} fails its check symbol (mistyped or misread?)", field=field)
    return text[0] + rest


def token_kind(token: str) -> str:
    return KINDS[token[0]]
