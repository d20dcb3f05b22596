"""Values of the domain (events, their parts, commands' parameters) to plain JSON-ready values and back, and the
canonical JSON the ledger hashes: keys sorted, no spaces, text as it is (no escapes for non-ASCII letters).
A dataclass becomes an object of its fields, an enum its value, a time or date its ISO text, a tuple a list;
reading back follows the type hints of the dataclass asked for (a field added later and absent from an older
payload takes its default)."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache

_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))


@cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _to_plain(value):
    # leaves (text, numbers) are taken as they are without a call: events of large households hold many
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN_TYPES else _to_plain(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _PLAIN_TYPES else _to_plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value._value_  # what `.value` returns, without the descriptor's call
    if is_dataclass(value):
        return {name: v if type(v := getattr(value, name)) in _PLAIN_TYPES else _to_plain(v)
                for name in _field_names(kind)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_to_plain(v) for v in value]
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _from_plain(kind, value):
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return _from_plain(inner[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_from_plain(item, v) for v in value)
    if is_dataclass(kind):
        hints = _hints(kind)
        # a field added later is absent from older events: it takes its default
        return kind(**{f.name: _from_plain(hints[f.name], value[f.name]) for f in fields(kind) if f.name in value})
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


# what json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False) makes, with one encoder
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(plain) -> str:
    return _CANONICAL.encode(plain)


def _plain_leaf(value):
    """What `to_plain` makes of a value JSON has no type for (an enum, a dataclass, a date)."""
    if isinstance(value, Enum):
        return value._value_
    if is_dataclass(value):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no plain form")


_CANONICAL_OF = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain_leaf)


def canonical_json_of(value) -> str:
    """``canonical_json(to_plain(value))``, without building the plain copy first: the encoder asks
    `_plain_leaf` for each value it has no type for (commands' parameters are mostly plain already)."""
    return _CANONICAL_OF.encode(value)


def to_plain(value):
    """The plain form of a value of the domain (an event or a part of one)."""
    return _to_plain(value)


def from_plain(kind, value):
    """A value of `kind` (an event or a part of one) from its plain form."""
    return _from_plain(kind, value)
