"""The registry: households registered, corrected and erased; duplicates checked and decided."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

from .base import _code, Command
from ..tokens import normalise_token


@dataclass(frozen=True)
class RegisterHousehold(Command):
    """A household at a gathering point; `invalid` carries a problem found while reading it (refused by decide)."""

    name: ClassVar[str] = "register_household"
    gathering_point: Any
    destination: Any
    persons: Any
    token: Any = None
    person_tokens: Any = None
    invalid: dict | None = None

    @classmethod
    def of(cls, params: dict) -> RegisterHousehold:
        return cls(**{f.name: params.get(f.name) for f in fields(cls)})

    def normalised(self) -> RegisterHousehold:
        token = normalise_token(self.token, "token") if self.token is not None else None
        given = self.person_tokens
        if isinstance(given, (list, tuple)):
            given = tuple(normalise_token(t, f"person_tokens[{j}]") for j, t in enumerate(given))
        persons = tuple(self.persons) if isinstance(self.persons, list) else self.persons
        return replace(self, gathering_point=_code(self.gathering_point), destination=_code(self.destination),
                       token=token, person_tokens=given, persons=persons)

    def params(self) -> dict:
        out = super().params()
        if out["invalid"] is None:
            del out["invalid"]
        return out


@dataclass(frozen=True)
class CorrectHousehold(Command):
    """Apply a corrected list's changes to a household imported before from the same source."""

    name: ClassVar[str] = "correct_household"
    token: Any  # the registered household
    household: Any  # its key in the list
    fingerprint: Any  # of the household's rows as the corrected list gives them

    def normalised(self) -> CorrectHousehold:
        return replace(self, token=normalise_token(self.token, "token"))


@dataclass(frozen=True)
class CheckDuplicates(Command):
    """The result of a duplicate check over `persons` records: the candidate pairs found."""

    name: ClassVar[str] = "check_duplicates"
    persons: int
    pairs: tuple[tuple[str, str], ...]

    def normalised(self) -> CheckDuplicates:
        return replace(self, pairs=tuple(tuple(p) for p in self.pairs))


def _person_token(value: object, field_name: str) -> object:
    return normalise_token(value, field_name)


@dataclass(frozen=True)
class MergeDuplicates(Command):
    name: ClassVar[str] = "merge_duplicates"
    kept: Any
    duplicate: Any
    note: Any = ""
    force: bool = False  # merge a pair the matcher never proposed

    def normalised(self) -> MergeDuplicates:
        return replace(self, kept=_person_token(self.kept, "kept"),
                       duplicate=_person_token(self.duplicate, "duplicate"))

    def params(self) -> dict:
        out = super().params()
        if not out["force"]:
            del out["force"]  # ledgers from before `force` existed fingerprint the same
        return out


@dataclass(frozen=True)
class DismissDuplicates(Command):
    name: ClassVar[str] = "dismiss_duplicates"
    a: Any
    b: Any
    note: Any = ""

    def normalised(self) -> DismissDuplicates:
        return replace(self, a=_person_token(self.a, "a"), b=_person_token(self.b, "b"))


@dataclass(frozen=True)
class UndoDuplicateDecision(Command):
    name: ClassVar[str] = "undo_duplicates"
    a: Any
    b: Any
    note: Any = ""

    def normalised(self) -> UndoDuplicateDecision:
        return replace(self, a=_person_token(self.a, "a"), b=_person_token(self.b, "b"))


@dataclass(frozen=True)
class EraseHousehold(Command):
    """Destroy a household's personal data (its data key); the record of what happened stays."""

    name: ClassVar[str] = "erase_household"
    household: Any
    reason: Any
    note: Any = ""

    def normalised(self) -> EraseHousehold:
        reason = self.reason.strip().lower() if isinstance(self.reason, str) else self.reason
        return replace(self, household=normalise_token(self.household, "household"), reason=reason)
