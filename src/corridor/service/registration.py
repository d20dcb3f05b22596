"""Registering households and their members at a gathering point."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable

from ..domain import registry as rules
from ..domain.errors import BadInput, Conflict, NotFound
from ..domain.operation import require_kind
from ..domain.registry import PERSON_INPUT_FIELDS, PersonInput, person_defaults
from ..domain.tokens import make_token, normalise_token
from ..domain.commands import RegisterHousehold
from ..domain.permissions import Principal
from ..domain.values import SiteKind
from ..store import queries as q
from . import access
from .recording import Meta, Receipt, execute_many
from .runtime import Runtime



def person_fields(raw: dict | PersonInput, where: str) -> dict:
    """A person's input as a plain dict with every field, refusing unknown fields."""
    if isinstance(raw, PersonInput):
        return asdict(raw)
    if not isinstance(raw, dict):
        raise BadInput(f"{where}: expected an object", field=where)
    unknown = [k for k in raw if k not in PERSON_INPUT_FIELDS]
    if unknown:
        raise BadInput(f"{where}.{unknown[0]}: unknown field (known: {', '.join(PERSON_INPUT_FIELDS)})",
                       field=f"{where}.{unknown[0]}")
    return {**person_defaults(), **raw}


class TokenPool:
    """Fresh tokens, checked against the database a few hundred at a time (and against this batch)."""

    def __init__(self, rt: Runtime, taken: set[str]):
        self.rt, self.taken = rt, taken
        self.ready: dict[str, list[str]] = {"H": [], "P": []}

    def draw(self, uow, kind: str, n: int = 1) -> list[str]:
        ready = self.ready[kind]
        while len(ready) < n:
            fresh = list(dict.fromkeys(make_token(kind, self.rt.rng) for _ in range(max(256, 2 * n))))
            clash = q.tokens_taken(uow.conn, fresh) | self.taken
            ready.extend(t for t in fresh if t not in clash)
        out, self.ready[kind] = ready[:n], ready[n:]
        self.taken.update(out)
        return out


def household_params(h: dict) -> dict:
    """A household as the registration command takes it: every person with every field; a malformed
    person list is kept as `invalid` (refused by decide, with the batch's other problems)."""
    params = dict(gathering_point=h.get("gathering_point"), destination=h.get("destination"),
                  persons=[], token=h.get("token"), person_tokens=h.get("person_tokens"))
    try:
        people = h.get("persons")
        if not isinstance(people, list):
            raise BadInput("persons: expected a list of persons", field="persons")
        params["persons"] = [person_fields(p, f"persons[{j}]") for j, p in enumerate(people)]
    except BadInput as err:
        params["invalid"] = {"field": err.field, "detail": err.detail}
    return params


def register_households(rt: Runtime, items: list[tuple[Meta, dict[str, Any]]],
                        conflicts: list[dict] | None = None,
                        progress: Callable[[int, int], None] | None = None) -> list[Receipt | None]:
    """Register households; each item is (meta, {gathering_point, destination, persons, token?}).

    All or nothing: one bad household refuses the whole batch with every problem listed."""
    taken: set[str] = set()
    pool = TokenPool(rt, taken)
    normalised = []
    for i, (meta, h) in enumerate(items):
        if not isinstance(h, dict):
            raise BadInput(f"items[{i}]: expected a household object", field=f"items[{i}]")
        normalised.append((meta, household_params(h)))

    kinds: dict[str, SiteKind | None] = {}

    def site_kind(uow, code) -> SiteKind | None:
        if not isinstance(code, str):
            return None
        if code not in kinds:
            kinds[code] = q.site_kind(uow.conn, code)
        return kinds[code]

    def decide(uow, at, params):
        if "invalid" in params:
            raise BadInput(params["invalid"]["detail"], field=params["invalid"]["field"])
        gp, dest = params["gathering_point"], params["destination"]
        require_kind(site_kind(uow, gp), (SiteKind.GATHERING_POINT,), str(gp), "gathering_point")
        if dest:
            require_kind(site_kind(uow, dest), (SiteKind.RECEPTION_CENTRE,), str(dest), "destination")
        persons = params["persons"]
        given = params["person_tokens"] or []
        if len(given) > len(persons):
            raise BadInput("person_tokens: more tokens than persons", field="person_tokens")
        token = _given_token(uow, params["token"], "H", "token", taken) or pool.draw(uow, "H")[0]
        chosen = [_given_token(uow, t, "P", f"person_tokens[{j}]", taken) for j, t in enumerate(given)]
        chosen += pool.draw(uow, "P", len(persons) - len(chosen))
        people = [(t, PersonInput(**p)) for t, p in zip(chosen, persons)]
        event = rules.register_household(token, gp, dest, people, at.date())
        _check_links(uow, event, taken)
        return event

    return execute_many(rt, [(m, RegisterHousehold.of(p)) for m, p in normalised],
                        lambda uow, at, c: decide(uow, at, c.params()), independent=True, conflicts=conflicts,
                        progress=progress)


def _check_links(uow, event, taken: set[str]) -> None:
    """Family links point at persons registered before, or in this same batch."""
    wanted = {t for p in event.persons for t in p.links} - taken
    missing = wanted - q.tokens_taken(uow.conn, sorted(wanted)) if wanted else set()
    for i, p in enumerate(event.persons):
        for t in p.links:
            if t in missing:
                raise NotFound(f"persons[{i}].links: no person {t} in this operation", field=f"persons[{i}].links")


def _given_token(uow, raw, kind: str, field: str, taken: set[str]) -> str | None:
    """A token printed beforehand (pre-printed cards, a form): checked and refused if already used."""
    if raw is None:
        return None
    token = normalise_token(raw, field)
    if token[0] != kind:
        raise BadInput(f"{field}: {token} is not a {'household' if kind == 'H' else 'person'} token", field=field)
    if token in taken or q.tokens_taken(uow.conn, [token]):
        raise Conflict(f"{field}: token {token} is already in use", field=field)
    taken.add(token)
    return token


def register_household(rt: Runtime, meta: Meta, household: dict[str, Any]) -> Receipt:
    return register_households(rt, [(meta, household)])[0]


def find_by_name(rt: Runtime, text: str, *, viewer: Principal, limit: int = 20) -> list[dict]:
    """Households with a member whose name holds every part of `text` (matched by sound, in either script,
    through the blind index: no name is opened to search); only the households shown are opened, only those
    at the viewer's sites, with the fields the viewer may see; the search is written to the access log.

    Each answer: token, gathering point, destination, size, the matching persons' tokens and the members. A text
    with no consonant that sounds (vowels only, as the name Aya; digits; ع alone) finds nobody: names are
    indexed by the sound of their consonants only. A text partly in each script is read as a name in each."""
    from ..domain.text import check_text, script_runs
    from ..store.crypto import name_terms

    text = check_text(text, "name", limit=200)
    terms = name_terms(*script_runs(text))
    if not isinstance(limit, int) or not 1 <= limit <= 500:
        raise BadInput("limit: expected 1 to 500 households", field="limit")
    rt.vault.require()
    with rt.reading() as uow:
        hits = q.households_named(uow.conn, [rt.vault.blind("name:" + t) for t in terms], limit)
        out = []
        for household, matched in hits:
            head, members = q.household_detail(uow.conn, household)
            if viewer.sites and not access.sees_household(uow.conn, viewer, head.gathering_point, head.destination,
                                                          [m.trip for m in members]):
                continue
            out.append({"token": head.token, "gathering_point": head.gathering_point, "destination": head.destination,
                        "size": head.size, "matched": matched,
                        "persons": [access.shown(viewer, _person_dict(m)) for m in members]})
    access.record(rt, viewer, access.NAME_SEARCH, [h["token"] for h in out], count=len(out))
    return out


PERSON_FIELDS = ("token", "household", "name_ar", "name_latin", "sex", "birth_year", "birth_date", "relationship",
                 "mobility", "precedence", "state", "trip", "held_site", "held_reason")


def _person_dict(row) -> dict:
    d = {k: row._mapping[k] for k in PERSON_FIELDS}
    d["vulnerabilities"] = [v for v in row.vulnerabilities.split(",") if v]
    return d


def describe(rt: Runtime, token: str, *, viewer: Principal) -> dict:
    """A person's or household's record by token, for the registrar and the boarding desk.

    Shows only the fields the viewer may see, only at the viewer's sites, and writes the read to the access log."""
    token = normalise_token(token)
    with rt.reading() as uow:
        if token[0] == "P":
            row = q.person_detail(uow.conn, token)
            if row is None:
                raise NotFound(f"token: no person {token} in this operation", field="token")
            access.require_household(uow.conn, viewer, token, row.gathering_point, row.destination, [row.trip])
            answer = {"kind": "person", **access.shown(viewer, _person_dict(row)), "gathering_point": row.gathering_point,
                      "destination": row.destination, "merged_into": row.merged_into}
            if row.merged_into:
                answer["note"] = (f"{token} is a duplicate record, merged into {row.merged_into}: "
                                  f"use {row.merged_into}")
            household = row.household
        else:
            head, members = q.household_detail(uow.conn, token)
            if head is None:
                raise NotFound(f"token: no household {token} in this operation", field="token")
            access.require_household(uow.conn, viewer, token, head.gathering_point, head.destination,
                                     [m.trip for m in members])
            answer = {"kind": "household", "token": head.token, "gathering_point": head.gathering_point,
                      "destination": head.destination, "size": head.size,
                      "registered_at": head.registered_at.isoformat(),
                      "persons": [access.shown(viewer, _person_dict(m)) for m in members]}
            household = head.token
    access.record(rt, viewer, access.TOKEN_LOOKUP, household)
    return answer
