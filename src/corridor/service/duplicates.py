"""Duplicates: the same person registered twice, found before planning and resolved by a registrar.

A check runs the matcher over the registry and records what it found (`DuplicatesChecked`); a
registrar merges a pair (`DuplicatesMerged`: the duplicate record folds into the kept one and stops
counting as a person of its own) or dismisses it (`DuplicatePairDismissed`); either can be undone.
"""

from __future__ import annotations

import json
from typing import Callable

from ..domain import lifecycle
from ..domain.commands import CheckDuplicates, DismissDuplicates, MergeDuplicates, UndoDuplicateDecision
from ..domain.errors import NotFound, RuleRefused
from ..domain.events import DuplicateDecisionUndone, DuplicatePair, DuplicatePairDismissed, DuplicatesChecked, \
    DuplicatesMerged
from ..domain.permissions import Principal
from ..domain.text import check_text
from ..domain.tokens import normalise_token
from ..store import queries as q
from . import access
from .recording import Meta, Receipt, execute
from .runtime import Runtime

MERGEABLE = tuple(lifecycle.values(lifecycle.MERGEABLE))


def check(rt: Runtime, meta: Meta, matcher: Callable[[list[dict]], list] | None = None) -> Receipt:
    """Run the matcher over every person record and record the candidate pairs it finds."""
    with rt.reading() as uow:
        rows = q.persons_for_matching(uow.conn)
    records = [dict(token=r.token, name_ar=r.name_ar, name_latin=r.name_latin, sex=r.sex, birth_year=r.birth_year,
                    gathering_point=r.gathering_point, household=r.household) for r in rows]
    found = (matcher or rt.matcher)(records)
    pairs = tuple(DuplicatePair(a=c.token_a, b=c.token_b, score=round(float(c.score), 4), high=bool(c.high),
                                evidence=json.loads(json.dumps(c.evidence, default=str))) for c in found)
    # the result is a fact about the registry as it stood: recorded without an idempotency fingerprint of its own
    return execute(rt, meta, CheckDuplicates(persons=len(records), pairs=tuple((p.a, p.b) for p in pairs)),
                   lambda uow, at, c: DuplicatesChecked(persons_checked=len(records), pairs=pairs))


def _person(uow, raw: str, field: str):
    token = normalise_token(raw, field)
    row = q.person_detail(uow.conn, token)
    if row is None:
        raise NotFound(f"{field}: no person {token} in this operation", field=field)
    return row


# what a registrar compares before folding two records into one: (label, column)
_COMPARED = (("Arabic name", "name_ar"), ("Latin name", "name_latin"), ("birth year", "birth_year"),
             ("sex", "sex"), ("household", "household"), ("gathering point", "gathering_point"))


def differences(a, b) -> list[str]:
    """What differs between two person records, e.g. "birth year 1980 / 1995" (empty values as "—")."""
    out = []
    for label, column in _COMPARED:
        x, y = getattr(a, column), getattr(b, column)
        if (x or None) != (y or None):
            out.append(f"{label} {x if x not in (None, '') else '—'} / {y if y not in (None, '') else '—'}")
    return out


def _never_a_candidate(k, d) -> RuleRefused:
    differ = differences(k, d)
    said = f"they differ: {'; '.join(differ)}" if differ else "they agree on name, birth year, sex, household and " \
                                                             "gathering point"
    return RuleRefused(f"duplicate: {k.token} and {d.token} were never found as a likely duplicate pair, and "
                       f"{said}. Merge them only if they are one person: confirm with force (--force)",
                       field="duplicate")


def merge(rt: Runtime, meta: Meta, *, kept: str, duplicate: str, note: str = "", force: bool = False) -> Receipt:
    """Fold `duplicate` into `kept`: one person, registered twice.

    A pair the matcher never proposed is refused, saying what differs, unless `force` confirms it."""

    def decide(uow, at, c: MergeDuplicates):
        k, d = _person(uow, c.kept, "kept"), _person(uow, c.duplicate, "duplicate")
        if k.token == d.token:
            raise RuleRefused("duplicate: a person cannot be merged into themselves", field="duplicate")
        for row, field in ((k, "kept"), (d, "duplicate")):
            if row.merged_into:
                raise RuleRefused(f"{field}: {row.token} is already merged into {row.merged_into}", field=field)
        if d.state not in MERGEABLE:
            raise RuleRefused(f"duplicate: {d.token} is {d.state.replace('_', ' ')}; only a record not yet aboard "
                              "can be merged (keep the one that travelled)", field="duplicate")
        pair = q.duplicate_pair(uow.conn, k.token, d.token)
        if pair is not None and pair.status != "open":
            raise RuleRefused(f"duplicate: this pair was already {pair.status}; undo that first", field="duplicate")
        if pair is None and not c.force:
            raise _never_a_candidate(k, d)
        return DuplicatesMerged(kept=k.token, duplicate=d.token, note=check_text(c.note, "note", required=False))

    return execute(rt, meta, MergeDuplicates(kept=kept, duplicate=duplicate, note=note, force=force), decide)


def dismiss(rt: Runtime, meta: Meta, *, a: str, b: str, note: str = "") -> Receipt:
    """Two different people after all."""

    def decide(uow, at, c):
        pa, pb = _person(uow, c.a, "a"), _person(uow, c.b, "b")
        pair = q.duplicate_pair(uow.conn, pa.token, pb.token)
        if pair is not None and pair.status != "open":
            raise RuleRefused(f"b: this pair was already {pair.status}; undo that first", field="b")
        lo, hi = sorted((pa.token, pb.token))
        return DuplicatePairDismissed(a=lo, b=hi, note=check_text(note, "note", required=False))

    return execute(rt, meta, DismissDuplicates(a=a, b=b, note=note), decide)


def undo(rt: Runtime, meta: Meta, *, a: str, b: str, note: str = "") -> Receipt:
    """Take back a merge or a dismissal: the pair is open again, a merged record a person of its own again."""

    def decide(uow, at, c):
        pa, pb = _person(uow, c.a, "a"), _person(uow, c.b, "b")
        pair = q.duplicate_pair(uow.conn, pa.token, pb.token)
        if pair is None or pair.status == "open":
            raise RuleRefused("b: nothing was decided about this pair", field="b")
        lo, hi = sorted((pa.token, pb.token))
        return DuplicateDecisionUndone(a=lo, b=hi, note=check_text(note, "note", required=False))

    return execute(rt, meta, UndoDuplicateDecision(a=a, b=b, note=note), decide)


def _side(row) -> dict:
    return {"token": row.token, "name_ar": row.name_ar, "name_latin": row.name_latin, "sex": row.sex,
            "birth_year": row.birth_year, "gathering_point": row.gathering_point, "household": row.household,
            "state": row.state}


def candidates(rt: Runtime, *, viewer: Principal, statuses: tuple[str, ...] = ("open",), limit: int | None = None,
               latest_first: bool = False) -> dict:
    """The candidate pairs with both records, the score and the evidence (the highest score first, or the latest
    decided first; `limit` at most, and `total` how many there are); and how fresh the last check is.

    A viewer limited to sites sees the pairs with a record registered there; the read is logged (the pairs read,
    not the total)."""
    with rt.reading() as uow:
        c = uow.conn
        last = q.last_duplicate_check(c)
        pairs = []
        for p in q.duplicate_pairs_in(c, list(statuses), sites=viewer.sites, latest_first=latest_first, limit=limit):
            a, b = q.person_detail(c, p.a), q.person_detail(c, p.b)
            pairs.append({"a": access.shown(viewer, _side(a)), "b": access.shown(viewer, _side(b)), "score": p.score,
                          "high": p.high, "status": p.status, "kept": p.kept,
                          "decided_at": p.decided_at.isoformat() if p.decided_at else None,
                          "evidence": json.loads(p.evidence)})
        total = len(pairs) if limit is None else q.count_duplicate_pairs(c, list(statuses), sites=viewer.sites)
        access.record(rt, viewer, access.DUPLICATES, "", count=len(pairs))
        return {
            "checked_at": last.at.isoformat() if last else None,
            "persons_checked": last.persons_checked if last else 0,
            "registered_since_check": q.persons_registered_since(c, last.seq if last else 0),
            "pairs": pairs,
            "total": total,
        }


def evidence_lines(rt: Runtime, evidence: dict, lang: str) -> list[str]:
    """A candidate pair's evidence as short readable lines in English or Arabic (the runtime's explainer)."""
    if rt.explainer is None:
        raise RuntimeError("this runtime has no evidence explainer (bootstrap() wires matching.explain)")
    return rt.explainer(evidence, lang)


def planning_warnings(conn) -> list[str]:
    """What a coordinator should know before planning: unresolved likely duplicates, an out-of-date check."""
    warnings = []
    last = q.last_duplicate_check(conn)
    open_high = q.open_high_pairs(conn)
    if open_high:
        warnings.append(f"{open_high} likely duplicate pair(s) are unresolved: a person registered twice takes "
                        "two places (corridor duplicates)")
    since = q.persons_registered_since(conn, last.seq if last else 0)
    if since:
        warnings.append(f"{since:,} person(s) registered since the last duplicate check"
                        if last else f"no duplicate check has been run on the {since:,} registered person(s)")
    return warnings
