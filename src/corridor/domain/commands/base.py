"""The base of every command and the checks several commands share."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
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

    def refuse_nul(self) -> Command:
        """The command itself, once no text anywhere in it holds a NUL character: no recorded text holds one
        (PostgreSQL's text cannot). Asked for every command recorded, wherever it comes from (a file, the CLI,
        the API), when its fingerprint's JSON shows one (service/recording.fingerprint); refused naming the
        field (`figures[0].about`)."""
        for name, value in self.params().items():
            where = _nul_in(value, name)
            if where is not None:
                raise BadInput(f"{where}: a NUL character (U+0000) is not allowed in any text; remove it",
                               field=where)
        return self


def _nul_in(value: object, where: str) -> str | None:
    """Where the first NUL character is in a parameter's value (a text, or one in its lists, maps or records)."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_in(key, where) or _nul_in(item, f"{where}.{key}")
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _nul_in(item, f"{where}[{i}]")
            if found is not None:
                return found
    elif is_dataclass(value) and not isinstance(value, type):
        return _nul_in({f.name: getattr(value, f.name) for f in fields(value)}, where)
    return None


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
