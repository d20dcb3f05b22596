"""The base of every command and the checks several commands share."""

from __future__ import annotations

from dataclasses import fields
from typing import ClassVar

from ..errors import BadInput
from ..tokens import normalise_token


class Command:
    """Base of every command."""

    name: ClassVar[str]
    # may be recorded while the operation is being prepared (before its start); running it may not
    prepares: ClassVar[bool] = True

    def normalised(self) -> Command:
        return self

    def params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


def _code(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _trip(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"trip: expected a trip id such as T00012, got {value!r}", field="trip")
    return value.strip().upper()


def _tokens(raw: object) -> tuple[str, ...]:
    """One token or a list of tokens, each checked and in canonical form."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not raw:
        raise BadInput("tokens: give one token or a list of tokens", field="tokens")
    if len(raw) == 1:
        return (normalise_token(raw[0], "token"),)
    return tuple(normalise_token(t, f"tokens[{i}]") for i, t in enumerate(raw))


def _override(value: object) -> object:
    """An override's reason: None when not given; a reason must say something."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise BadInput("override: give the reason for overriding the agreement (1–500 characters)",
                       field="override")
    return value.strip()


def _without_empty(params: dict, *names: str) -> dict:
    """Parameters added later are fingerprinted only when given, so earlier commands fingerprint the same."""
    return {k: v for k, v in params.items() if k not in names or v}


def _time_text(value: object) -> object:
    return value if value is None or isinstance(value, str) else str(value)
