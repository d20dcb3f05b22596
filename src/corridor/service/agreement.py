"""The agreement as rules: set it, amend it, show it; set a person's category; record the linked operation's
figures; the link's state; and the checks boarding and departures go through (domain/agreement.py decides)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime, timedelta

from ..domain import agreement as rules
from ..domain.agreement import Aboard, AgreementTerms, Breach, LinkState, Moved
from ..domain.codec import from_plain, to_plain
from ..domain.commands import AmendAgreement, RecordLinkedFigures, SetAgreement, SetPersonCategory
from ..domain.errors import BadInput, Conflict, Forbidden, NotFound, RuleRefused
from ..domain.events import (
    AgreementAmended, AgreementSet, LinkedFiguresRecorded, Override, PersonCategorySet,
)
from ..domain.permissions import Permission, Principal
from ..domain.timing import check_not_after_recording
from ..domain.tokens import normalise_token
from ..domain.values import SiteKind, parse_time
from ..store import queries as q
from . import access, linked
from .recording import Meta, Receipt, execute
from .runtime import Runtime


_DECODED: dict[str, AgreementTerms] = {}  # terms read back, by their JSON (boarding asks at every scan)


def terms_in_force(conn) -> AgreementTerms | None:
    row = q.agreement_in_force(conn)
    if row is None:
        return None
    found = _DECODED.get(row.terms)
    if found is None:
        if len(_DECODED) > 16:
            _DECODED.clear()
        found = _DECODED[row.terms] = from_plain(AgreementTerms, json.loads(row.terms))
    return found


def _require_operation(conn):
    if q.operation_row(conn) is None:
        raise RuleRefused("operation: create the operation first", field="operation")


# --- what has left (as the quotas and the link count it) ----------------------------------------------------

def _windows(conn) -> list[tuple[datetime, datetime]]:
    row = q.corridor_rules_row(conn)
    if row is None:
        return []
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in json.loads(row.windows)]


def _periods(conn, terms: AgreementTerms, at: datetime) -> dict[str, tuple[datetime | None, datetime | None]]:
    """The day (24 hours from the agreement's start, or the operation's) and the corridor window holding `at`."""
    start = terms.starts_at or q.operation_row(conn).starts_at
    days = max(0, (at - start) // timedelta(days=1))
    day = (start + timedelta(days=days), start + timedelta(days=days + 1))
    window = next(((a, b) for a, b in _windows(conn) if a <= at < b), day)
    return {"total": (None, None), "day": day, "window": window}


def moved(conn, terms: AgreementTerms, at: datetime) -> Moved:
    """Persons who have left, by category (None: everyone), in total, this day and this window."""
    out = Moved()
    wanted = {q_.period for q_ in terms.quotas}
    for period, (since, until) in _periods(conn, terms, at).items():
        if period not in wanted:
            continue
        counts: dict[str | None, int] = {None: q.left_count(conn, since, until)}
        explicit = q.left_with_category(conn, since, until)
        for fields_ in explicit.values():
            counts[fields_["category"]] = counts.get(fields_["category"], 0) + 1
        default = counts[None] - len(explicit)
        counts[terms.default_category] = counts.get(terms.default_category, 0) + default
        setattr(out, period, counts)
    return out


def link_state_of(conn, terms: AgreementTerms | None) -> LinkState | None:
    if terms is None or terms.link is None:
        return None
    latest = q.linked_latest(conn)
    return rules.link_state(terms.link, latest.moved if latest else 0, q.left_count(conn))


def link_state(rt: Runtime) -> dict | None:
    """The linked operation's state, for `corridor status`, GET /api/status and the dashboard: `link_facts`."""
    with rt.reading() as uow:
        return link_facts(uow.conn)


def link_facts(conn) -> dict | None:
    """{name, name_ar, held, words ("held: linked operation 750 of 1,200 needed"), moved_there, moved_here,
    allowance, needed, as_of, incidents (the linked operation's, as reported: `linked`)}; None without a link."""
    state = link_state_of(conn, terms_in_force(conn))
    if state is None:
        return None
    latest = q.linked_latest(conn)
    return {"name": state.name, "name_ar": state.name_ar, "held": state.held, "words": state.words(),
            "moved_there": state.moved_there, "moved_here": state.moved_here, "allowance": state.allowance,
            "needed": state.needed, "as_of": latest.as_of.isoformat() if latest else None,
            "incidents": linked.incidents_of(conn)}


# --- setting and amending -----------------------------------------------------------------------------------

def _checked_terms(conn, raw, at: datetime) -> AgreementTerms:
    """Terms read (bad input names the field) and checked against the operation: destinations are reception
    centres, no quota below what has left already."""
    terms = rules.parse_terms(raw)
    _require_operation(conn)
    centres = {s.code for s in q.all_sites(conn) if getattr(s.kind, 'value', s.kind) == SiteKind.RECEPTION_CENTRE.value}
    for i, c in enumerate(terms.categories):
        for j, d in enumerate(c.destinations):
            if d not in centres:
                raise NotFound(f"categories[{i}].destinations[{j}]: no reception centre {d!r} in this operation",
                               field=f"categories[{i}].destinations")
    left = moved(conn, terms, at)
    for i, quota in enumerate(terms.quotas):
        already = getattr(left, quota.period).get(quota.category, 0)
        if quota.limit < already:
            raise BadInput(f"quotas[{i}].limit: {quota.limit:,} is below the {already:,} who have left already "
                           f"this {quota.period}", field=f"quotas[{i}].limit")
    return terms


def set_agreement(rt: Runtime, meta: Meta, *, terms: dict) -> Receipt:
    """Record the agreement's terms for the first time (afterwards: amend)."""
    def decide(uow, at, c: SetAgreement):
        checked = _checked_terms(uow.conn, c.terms, at)
        if q.agreement_in_force(uow.conn) is not None:
            raise Conflict("agreement: an agreement is recorded already; amend it (its terms are never edited)",
                           field="agreement")
        return AgreementSet(terms=checked)

    return execute(rt, meta, SetAgreement(terms=terms), decide)


def amend_agreement(rt: Runtime, meta: Meta, *, terms: dict, reason: str) -> Receipt:
    """New terms replacing the agreement's whole; the earlier ones stay in the ledger."""
    def decide(uow, at, c: AmendAgreement):
        if not isinstance(c.reason, str) or not c.reason.strip() or len(c.reason) > 500:
            raise BadInput("reason: say why the agreement is amended (1–500 characters)", field="reason")
        checked = _checked_terms(uow.conn, c.terms, at)
        before = terms_in_force(uow.conn)
        if before is None:
            raise RuleRefused("agreement: no agreement is recorded yet; set it first", field="agreement")
        if before == checked:
            raise RuleRefused("terms: the amendment changes nothing", field="terms")
        return AgreementAmended(terms=checked, reason=c.reason.strip())

    return execute(rt, meta, AmendAgreement(terms=terms, reason=reason), decide)


def current_terms(rt: Runtime) -> dict | None:
    with rt.reading() as uow:
        terms = terms_in_force(uow.conn)
    return None if terms is None else to_plain(terms)


def show(rt: Runtime) -> dict:
    """The terms in force, their versions, the link's state and the overrides recorded (no personal data)."""
    with rt.reading() as uow:
        conn = uow.conn
        terms = terms_in_force(conn)
        versions = [{"seq": v.seq, "kind": v.kind, "at": v.at.isoformat(), "reason": v.reason}
                    for v in q.agreement_versions_in(conn)]
        figures = [{"seq": f.seq, "moved": f.moved, "as_of": f.as_of.isoformat(), "source": f.source, "note": f.note}
                   for f in q.linked_history(conn)]
        overrides = [{"seq": o.seq, "kind": o.kind, "trip": o.trip, "rules": json.loads(o.rules), "reason": o.reason,
                      "at": o.at.isoformat()} for o in q.overrides_in(conn)]
        left = moved(conn, terms, _now_in(conn, rt)) if terms is not None else None
    quotas = []
    if terms is not None:
        for quota in terms.quotas:
            quotas.append(to_plain(quota) | {"left": getattr(left, quota.period).get(quota.category, 0)})
    return {"terms": None if terms is None else to_plain(terms), "quotas": quotas, "versions": versions,
            "link": link_state(rt), "linked_figures": figures, "overrides": overrides}


def _now_in(conn, rt: Runtime) -> datetime:
    op = q.operation_row(conn)
    now = rt.clock()
    return max(now, op.starts_at) if op is not None else now


# --- persons' categories and the linked operation's figures --------------------------------------------------

def set_category(rt: Runtime, meta: Meta, *, token: str, category: str, items: list[str] | None = None,
                 note: str = "") -> Receipt:
    """A person's category under the agreement and the items they declared (protection-sensitive: sealed)."""
    return execute(rt, meta, SetPersonCategory(token=token, category=category, items=items or (), note=note),
                   _decide_category)


def set_categories(rt: Runtime, items: list[tuple[Meta, dict]]) -> list[Receipt | None]:
    """Several persons' categories in one transaction ({token, category, items?, note?} each): all or none."""
    from .recording import execute_many

    commands = [(m, SetPersonCategory(token=i.get("token"), category=i.get("category"), items=i.get("items") or (),
                                      note=i.get("note", ""))) for m, i in items]
    return execute_many(rt, commands, _decide_category)


def person_category(rt: Runtime, token: str, *, viewer: Principal) -> dict:
    """A person's category under the agreement and the items they declared, as last set (none set: the agreement's
    default category, ``set`` false). Protection-sensitive: only a role allowed categories reads it; each read is
    written to the access log (who, when, which person — never the category)."""
    token = normalise_token(token)
    if not viewer.may(Permission.CATEGORY):
        raise Forbidden("category: this account's role may not read persons' categories",
                        permission=Permission.CATEGORY.value, field="token")
    with rt.reading() as uow:
        person = q.person_status(uow.conn, token)
        if person is None:
            raise NotFound(f"token: no person {token} in this operation", field="token")
        terms = terms_in_force(uow.conn)
        row = q.category_row(uow.conn, token)
        erased = q.household_row(uow.conn, person.household).erased_at is not None
        found = None if row is None or erased else q.categories_of(uow.conn, [token]).get(token)
    access.record(rt, viewer, access.CATEGORY, token)
    out = {"token": token, "household": person.household, "set": found is not None, "erased": erased,
           "set_at": row.set_at.isoformat() if row is not None else None,
           "category": None, "items": [], "note": "", "in_agreement": False}
    if found is not None:
        out.update(category=found["category"], items=list(found["items"]), note=found["note"])
    elif terms is not None and not erased:
        out["category"] = terms.default_category
    if out["category"] is not None and terms is not None:
        out["in_agreement"] = out["category"] in terms.codes
    return out


def _decide_category(uow, at, c: SetPersonCategory):
    terms = terms_in_force(uow.conn)
    if terms is None:
        raise RuleRefused("agreement: no agreement is recorded; set it first", field="agreement")
    if c.category not in terms.codes:
        raise NotFound(f"category: unknown category {c.category!r}; the agreement has "
                       f"{', '.join(terms.codes)}", field="category")
    declared = rules.declared_items(list(c.items or ()), "items")
    if not isinstance(c.note, str) or len(c.note) > 500:
        raise BadInput("note: at most 500 characters", field="note")
    person = q.person_status(uow.conn, c.token)
    if person is None:
        raise NotFound(f"token: no person {c.token} in this operation", field="token")
    return PersonCategorySet(person=c.token, category=c.category, items=declared, note=c.note.strip())


def record_linked_figures(rt: Runtime, meta: Meta, *, moved: int, as_of=None, source: str = "entered",
                          note: str = "") -> Receipt:
    """The persons moved so far by the linked operation (entered by a coordinator, or imported)."""
    return execute(rt, meta, RecordLinkedFigures(moved=moved, as_of=as_of, source=source, note=note),
                   lambda uow, at, c: _decide_figures(uow, at, c, at_sent=meta.at is not None))


def _decide_figures(uow, at, c: RecordLinkedFigures, *, at_sent: bool):
    if isinstance(c.moved, bool) or not isinstance(c.moved, int) or c.moved < 0:
        raise BadInput(f"moved: expected a whole number >= 0, got {c.moved!r}", field="moved")
    when = parse_time(c.as_of, "as_of") if c.as_of is not None else at
    check_not_after_recording(when, at, at_sent=at_sent, field="as_of",
                              message="the figure cannot be as of a time after it was recorded")
    terms = terms_in_force(uow.conn)
    if terms is None or terms.link is None:
        raise RuleRefused("link: the agreement ties this evacuation to no other operation", field="link")
    if not isinstance(c.source, str) or not c.source.strip() or not isinstance(c.note, str):
        raise BadInput("source: say where the figure comes from", field="source")
    return LinkedFiguresRecorded(moved=c.moved, as_of=when, source=c.source.strip()[:200], note=c.note[:500])


def export_figures(rt: Runtime) -> dict:
    """This operation's own figures for another corridor instance to import as its linked operation's."""
    with rt.reading() as uow:
        op = q.operation_row(uow.conn)
        return {"corridor_export": "linked_figures", "operation": op.name_en if op else "",
                "ledger_seq": q.ledger_seq(uow.conn), "moved": q.left_count(uow.conn),
                "as_of": (q.last_event_at(uow.conn) or rt.clock()).isoformat(),
                "incidents": linked.own_incidents(uow.conn)}


def import_figures(rt: Runtime, meta: Meta, export: dict) -> Receipt:
    """Record the figures another corridor instance exported (`export_figures`) as the linked operation's, with its
    vehicles attacked, burned or lost on the road as the linked operation's incidents (those not imported before):
    all in one transaction, or nothing."""
    from .recording import execute_many

    if not isinstance(export, dict) or export.get("corridor_export") != "linked_figures":
        raise BadInput("export: not a corridor export of linked figures", field="export")
    for key in ("operation", "ledger_seq", "moved", "as_of"):
        if key not in export:
            raise BadInput(f"export.{key}: missing", field=f"export.{key}")
    operation = str(export["operation"])[:120]
    source = f"import: {operation} (ledger event {export['ledger_seq']})"
    items = [(meta, RecordLinkedFigures(moved=export["moved"], as_of=export["as_of"], source=source, note=""))]
    with rt.reading() as uow:
        items += linked.incident_commands(uow.conn, meta, operation, export.get("incidents", []))
    sent = meta.at is not None

    def decide(uow, at, c):
        if isinstance(c, RecordLinkedFigures):
            return _decide_figures(uow, at, c, at_sent=sent)
        return linked.decide_incident(uow, at, c, at_sent=sent)

    return execute_many(rt, items, decide)[0]


# --- the checks boarding and departures go through -------------------------------------------------------------

def _aboard(conn, terms: AgreementTerms, people: list[tuple[str, str]]) -> list[Aboard]:
    cats = q.categories_of(conn, [t for t, _ in people])
    out = []
    for token, household in people:
        found = cats.get(token)
        category = found["category"] if found and found["category"] in terms.codes else terms.default_category
        out.append(Aboard(token, household, category, tuple(found["items"]) if found else ()))
    return out


def _earlier_waiting(conn, terms: AgreementTerms, origin: str) -> dict[int, int]:
    waiting = q.waiting_at(conn, origin)
    cats = q.categories_of(conn, waiting) if waiting else {}
    out: dict[int, int] = {}
    for token in waiting:
        code = cats.get(token, {}).get("category", terms.default_category)
        code = code if code in terms.codes else terms.default_category
        order = terms.category(code).order
        out[order] = out.get(order, 0) + 1
    return out


def _decide(breaches: list[Breach], override: str | None) -> Override | None:
    if not breaches:
        return None
    if override is None:
        first = breaches[0]
        raise RuleRefused(f"{first.rule}: {first.detail}" + (f" (and {len(breaches) - 1} more)" if len(breaches) > 1
                                                              else "") + "; a coordinator may override with a reason",
                          field=first.rule, errors=[{"rule": b.rule, "detail": b.detail} for b in breaches])
    return Override(rules=tuple(sorted({b.rule for b in breaches})), reason=override)


def check_boarding(conn, trip, boarding: list[tuple[str, str]], at: datetime, override: str | None) -> Override | None:
    """Boarding `boarding` [(person, household)] onto `trip`: destinations, items, mixing, order."""
    terms = terms_in_force(conn)
    if terms is None:
        return None
    persons = _aboard(conn, terms, boarding)
    already = _aboard(conn, terms, [tuple(r) for r in q.trip_aboard(conn, trip.id)])
    # the agreed period governs departures: people may board before the start, to leave at it
    breaches = rules.check_persons(terms, trip.destination, persons) + rules.check_mixing(terms, already + persons)
    if any(terms.category(p.category).order > min(c.order for c in terms.categories) for p in persons):
        breaches += rules.check_order(terms, persons, _earlier_waiting(conn, terms, trip.origin))
    return _decide(breaches, override)


def check_departure(conn, trip, at: datetime, override: str | None, items: tuple[str, ...] = ()) -> Override | None:
    """A trip leaving: period, everyone's destination and items (and the vehicle's), mixing, quotas, the link."""
    terms = terms_in_force(conn)
    if terms is None:
        if items:
            rules.declared_items(list(items), "items")
        return None
    vehicle_items = rules.declared_items(list(items), "items")
    persons = _aboard(conn, terms, [tuple(r) for r in q.trip_aboard(conn, trip.id)])
    breaches = rules.check_period(terms, at) + rules.check_persons(terms, trip.destination, persons, vehicle_items) \
        + rules.check_mixing(terms, persons) + rules.check_quotas(terms, persons, moved(conn, terms, at))
    state = link_state_of(conn, terms)
    if state is not None:
        breaches += rules.check_link(state, len(persons))
    return _decide(breaches, override)


def with_override(event, found: Override | None):
    return event if found is None else replace(event, override=found)


# --- planning under the agreement ----------------------------------------------------------------------------

def restricted(conn, problem, at: datetime):
    """The planning problem restricted by the agreement in force (planning/agreement.py) and the warnings that
    say who is held back and why (counts only: categories are protection-sensitive). The agreed end and the
    quotas per day and window go into the problem (the planner keeps them, minute by minute); total quotas and
    the linked operation's allowance hold groups back before planning. `at` is the problem's epoch."""
    from ..planning.agreement import GroupTerms, period_quotas, restrict

    terms = terms_in_force(conn)
    if terms is None or not problem.groups:
        return problem, ()
    cats = q.categories_waiting(conn)
    by_group = {}
    for g in problem.groups:
        members = g.seated + g.stretcher
        codes = tuple(_code_of(terms, cats.get(t)) for t in members)
        kinds = [terms.category(c) for c in set(codes)]
        allowed = None
        for k in kinds:
            if k.destinations:
                allowed = [d for d in (allowed if allowed is not None else k.destinations) if d in k.destinations]
        by_group[g.id] = GroupTerms(categories=codes, destinations=tuple(allowed) if allowed is not None else None,
                                    apart=any(not k.with_civilians for k in kinds),
                                    order=max(k.order for k in kinds))
    left = moved(conn, terms, at) if terms.quotas else Moved()
    totals = replace(terms, quotas=tuple(x for x in terms.quotas if x.period == "total"))
    allowance = rules.quota_allowance(totals, left) if totals.quotas else {}
    boarded = _boarded(conn, terms)
    why: dict = {}
    state = link_state_of(conn, terms)
    if state is not None and (None not in allowance or state.allowance < allowance[None]):
        allowance[None] = state.allowance
        why[None] = "agreement.link"
    for code in allowance:  # persons aboard trips not yet left will count when they leave
        allowance[code] = max(0, allowance[code] - boarded.get(code, 0))
    if rules.check_period(terms, at) and terms.ends_at is not None and at >= terms.ends_at:
        allowance[None] = 0
        why[None] = "agreement.period"
    not_before = 0
    if terms.starts_at is not None and terms.starts_at > at:
        not_before = -int(-(terms.starts_at - at).total_seconds() // 60)  # whole minutes, rounded up
    out = restrict(problem, by_group, allowance, why, not_before)
    day_start = terms.starts_at or q.operation_row(conn).starts_at
    timed = out.problem.replace(
        departures_end=None if terms.ends_at is None else max(0, math.ceil((terms.ends_at - at) / timedelta(minutes=1))),
        quotas=period_quotas(terms, at, day_start, _windows(conn), left, boarded))
    if not out.held:
        return timed, ()
    notes = held_notes(out.held.values())
    if state is not None and state.held:
        notes += (f"{state.name}: {state.words()}",)
    return timed, notes


def held_notes(reasons) -> tuple[str, ...]:
    """One warning per reason households are held back (or left out of the plan) by the agreement: counts only."""
    kinds: dict[str, int] = {}
    for reason in reasons:
        kinds[reason] = kinds.get(reason, 0) + 1
    return tuple(f"{n:,} household(s) held back by the agreement — {reason}" for reason, n in sorted(kinds.items()))


def _boarded(conn, terms: AgreementTerms) -> dict[str | None, int]:
    """Persons aboard trips not yet left, by category and None: everyone (the quotas count them once they leave)."""
    tokens = q.boarded_persons(conn)
    cats = q.categories_of(conn, tokens) if tokens else {}
    out: dict[str | None, int] = {None: len(tokens)}
    for token in tokens:
        code = _code_of(terms, cats.get(token))
        out[code] = out.get(code, 0) + 1
    return out


def _code_of(terms: AgreementTerms, found: dict | None) -> str:
    code = found["category"] if found else terms.default_category
    return code if code in terms.codes else terms.default_category
