"""The negotiated agreement as rules: who may leave, to where, with what, when, and how many.

An agreement is recorded whole (`AgreementSet`) and changed only by an amendment that replaces it whole
(`AgreementAmended`); earlier versions stay in the ledger. Its terms:

- **categories** of person (at least civilian, wounded or sick, member of an armed group; a coordinator may
  define more): per category the reception centres it may go to (none listed: any), the items its members may
  carry (``items_allowed``: only these, when listed) or may not (``items_excluded``), whether its members may
  share a vehicle with persons of a civilian category (``with_civilians``), and an ``order`` (lower leaves
  first). A person without a category set belongs to the ``default_category``;
- the **order** holds per gathering point: at a gathering point, a person of a later order boards and leaves only
  once nobody of an earlier order is left waiting there (everyone of an earlier order has left, or leaves in the
  same convoy); while a household of an earlier order there is held back (by a quota, the link or the end), the
  later orders there wait too. Gathering points do not wait for each other: a point with no civilians waiting
  sends its later categories as soon as the quotas and the link allow. Where the link's allowance or a quota is
  shared, the planner gives it out by its own priority (deadlines, precedence, vulnerability, waiting time) among
  the households each point may send next (planning/agreement.py, planning/problem.py);
- **quotas**: at most ``limit`` persons leaving per ``day`` (24 hours from the agreement's start), per corridor
  ``window``, or in ``total``, of one category or overall; a plan keeps each day's and window's quota for the
  trips departing in it (later trips use later days' quotas);
- the agreed **start and end**: nobody boards or leaves outside them; no trip is planned to depart after the end
  (those it leaves are named as held back, ``agreement.period``);
- the **linked operation**: departures here only while the persons moved there are at least ``ratio`` × the
  persons moved here, or along a fixed schedule of ``steps`` (once ``there`` persons have moved there, up to
  ``here`` persons may have moved here).

The rules decide; the services read the state and record. Every refusal names the rule broken
(``agreement.destinations``, ``agreement.mixing``, …) — never a party as good or bad.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from .errors import BadInput
from .values import parse_time

CIVILIAN, WOUNDED_SICK, ARMED_GROUP = "civilian", "wounded_sick", "armed_group"
REQUIRED_CATEGORIES = (CIVILIAN, WOUNDED_SICK, ARMED_GROUP)
PERIODS = ("day", "window", "total")
RATIOS = (0.001, 1000)  # a link's ratio: persons moved there for each one leaving here (a thousand either way)
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ITEM = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class CategoryTerms:
    code: str
    label_en: str
    label_ar: str = ""
    civilian: bool = True  # persons of this category count as civilians for `with_civilians`
    destinations: tuple[str, ...] = ()  # reception centres its members may go to; empty: any
    items_allowed: tuple[str, ...] = ()  # when listed: the only items its members may carry
    items_excluded: tuple[str, ...] = ()  # items its members may not carry
    with_civilians: bool = True  # may share a vehicle with persons of a civilian category
    order: int = 0  # lower leaves first


@dataclass(frozen=True)
class Quota:
    period: str  # day | window | total
    limit: int
    category: str | None = None  # None: everyone


@dataclass(frozen=True)
class LinkStep:
    there: int  # persons moved by the linked operation
    here: int  # … after which up to this many persons may have left here


@dataclass(frozen=True)
class LinkTerms:
    name: str  # the linked operation, as the coordinator writes it (shown on English screens and papers)
    ratio: float | None = None  # departures here only while moved there >= ratio × moved here
    steps: tuple[LinkStep, ...] = ()  # or a fixed schedule of steps
    name_ar: str = ""  # its name in Arabic as given ("": none)

    @property
    def arabic_name(self) -> str:
        """The name on Arabic screens and papers: its Arabic name, or the name as written where none is given."""
        return self.name_ar or self.name


@dataclass(frozen=True)
class AgreementTerms:
    categories: tuple[CategoryTerms, ...]
    default_category: str = CIVILIAN
    quotas: tuple[Quota, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    link: LinkTerms | None = None
    note: str = ""

    def category(self, code: str) -> CategoryTerms:
        return next(c for c in self.categories if c.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)


DEFAULT_CATEGORIES = (
    CategoryTerms(CIVILIAN, "Civilian", "مدني", order=0),
    CategoryTerms(WOUNDED_SICK, "Wounded or sick", "جريح أو مريض", order=0),
    CategoryTerms(ARMED_GROUP, "Member of an armed group", "عضو في مجموعة مسلحة", civilian=False, order=1),
)


# --- reading terms ------------------------------------------------------------------------------------------

def _text(value, field_: str, *, limit: int = 200, empty: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
        raise BadInput(f"{field_}: expected a text of at most {limit} characters", field=field_)
    return value.strip()


def _int(value, field_: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise BadInput(f"{field_}: expected a whole number >= {least}, got {value!r}", field=field_)
    return value


def _bool(value, field_: str) -> bool:
    if not isinstance(value, bool):
        raise BadInput(f"{field_}: expected true or false, got {value!r}", field=field_)
    return value


def _codes(value, field_: str, pattern=_CODE) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise BadInput(f"{field_}: expected a list", field=field_)
    out = []
    for i, v in enumerate(value):
        code = v.strip() if isinstance(v, str) else v
        if not isinstance(code, str) or not code or len(code) > 40:
            raise BadInput(f"{field_}[{i}]: expected a code, got {v!r}", field=f"{field_}[{i}]")
        if pattern is not None and not pattern.match(code):
            raise BadInput(f"{field_}[{i}]: {code!r} is not a code (lower-case letters, digits, _)",
                           field=f"{field_}[{i}]")
        out.append(code)
    return tuple(dict.fromkeys(out))


def _keys(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise BadInput(f"{where}: unknown key {unknown[0]!r}; expected some of {', '.join(sorted(allowed))}",
                       field=f"{where}.{unknown[0]}" if where else unknown[0])


def _category(raw, i: int) -> CategoryTerms:
    where = f"categories[{i}]"
    if not isinstance(raw, dict):
        raise BadInput(f"{where}: expected an object", field=where)
    _keys(raw, {f for f in CategoryTerms.__dataclass_fields__}, where)
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code.strip()):
        raise BadInput(f"{where}.code: expected a code (lower-case letters, digits, _), got {code!r}",
                       field=f"{where}.code")
    code = code.strip()
    base = next((c for c in DEFAULT_CATEGORIES if c.code == code), None)
    return CategoryTerms(
        code=code,
        label_en=_text(raw.get("label_en", base.label_en if base else code), f"{where}.label_en", empty=False),
        label_ar=_text(raw.get("label_ar", base.label_ar if base else ""), f"{where}.label_ar"),
        civilian=_bool(raw.get("civilian", base.civilian if base else True), f"{where}.civilian"),
        destinations=_codes(raw.get("destinations"), f"{where}.destinations", None),
        items_allowed=_codes(raw.get("items_allowed"), f"{where}.items_allowed", _ITEM),
        items_excluded=_codes(raw.get("items_excluded"), f"{where}.items_excluded", _ITEM),
        with_civilians=_bool(raw.get("with_civilians", True), f"{where}.with_civilians"),
        order=_int(raw.get("order", base.order if base else 0), f"{where}.order"),
    )


def _link(raw) -> LinkTerms | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadInput("link: expected an object", field="link")
    _keys(raw, {"name", "name_ar", "ratio", "steps"}, "link")
    name = _text(raw.get("name"), "link.name", empty=False)
    name_ar = _text(raw.get("name_ar"), "link.name_ar")
    ratio, steps = raw.get("ratio"), raw.get("steps") or []
    if ratio is not None:
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not RATIOS[0] <= ratio <= RATIOS[1]:
            raise BadInput(f"link.ratio: expected a number from {RATIOS[0]} to {RATIOS[1]:,}, got {ratio!r}",
                           field="link.ratio")
        ratio = float(ratio)
    if not isinstance(steps, list):
        raise BadInput("link.steps: expected a list of {there, here}", field="link.steps")
    parsed = []
    for i, s in enumerate(steps):
        if not isinstance(s, dict) or set(s) != {"there", "here"}:
            raise BadInput(f"link.steps[{i}]: expected {{there, here}}", field=f"link.steps[{i}]")
        parsed.append(LinkStep(_int(s["there"], f"link.steps[{i}].there"), _int(s["here"], f"link.steps[{i}].here")))
    for i in range(1, len(parsed)):
        if parsed[i].there <= parsed[i - 1].there or parsed[i].here < parsed[i - 1].here:
            raise BadInput(f"link.steps[{i}]: steps go up (more moved there, no fewer here)", field=f"link.steps[{i}]")
    if (ratio is None) == (not parsed):
        raise BadInput("link: give either a ratio or steps", field="link.ratio")
    return LinkTerms(name=name, ratio=ratio, steps=tuple(parsed), name_ar=name_ar)


def parse_terms(raw) -> AgreementTerms:
    """The agreement's terms from their plain form (as `corridor agreement set` and the API take them)."""
    if not isinstance(raw, dict):
        raise BadInput("agreement: expected an object", field="agreement")
    _keys(raw, {"categories", "default_category", "quotas", "starts_at", "ends_at", "link", "note"}, "")
    cats = raw.get("categories")
    if cats is None:
        categories = list(DEFAULT_CATEGORIES)
    elif not isinstance(cats, list):
        raise BadInput("categories: expected a list", field="categories")
    else:
        categories = [_category(c, i) for i, c in enumerate(cats)]
    seen: set[str] = set()
    for i, c in enumerate(categories):
        if c.code in seen:
            raise BadInput(f"categories[{i}].code: {c.code!r} appears twice", field=f"categories[{i}].code")
        seen.add(c.code)
    for code in REQUIRED_CATEGORIES:
        if code not in seen:
            categories.append(next(c for c in DEFAULT_CATEGORIES if c.code == code))
            seen.add(code)
    default = raw.get("default_category", CIVILIAN)
    if default not in seen:
        raise BadInput(f"default_category: unknown category {default!r}", field="default_category")
    quotas = []
    for i, q in enumerate(raw.get("quotas") or []):
        where = f"quotas[{i}]"
        if not isinstance(q, dict):
            raise BadInput(f"{where}: expected an object", field=where)
        _keys(q, {"period", "limit", "category"}, where)
        if q.get("period") not in PERIODS:
            raise BadInput(f"{where}.period: expected one of {', '.join(PERIODS)}", field=f"{where}.period")
        if q.get("category") is not None and q["category"] not in seen:
            raise BadInput(f"{where}.category: unknown category {q['category']!r}", field=f"{where}.category")
        quotas.append(Quota(q["period"], _int(q.get("limit"), f"{where}.limit", least=1), q.get("category")))
    starts = parse_time(raw["starts_at"], "starts_at") if raw.get("starts_at") is not None else None
    ends = parse_time(raw["ends_at"], "ends_at") if raw.get("ends_at") is not None else None
    if starts and ends and ends <= starts:
        raise BadInput("ends_at: must be after starts_at", field="ends_at")
    return AgreementTerms(categories=tuple(categories), default_category=default, quotas=tuple(quotas),
                          starts_at=starts, ends_at=ends, link=_link(raw.get("link")),
                          note=_text(raw.get("note"), "note", limit=500))


def declared_items(raw, field_: str = "items") -> tuple[str, ...]:
    """A declared item list (codes such as ``light_weapon``)."""
    return tuple(sorted(_codes(raw, field_, _ITEM)))


# --- the linked operation -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkState:
    name: str
    moved_there: int
    moved_here: int
    allowance: int | None  # persons who may still leave here now (None: no link)
    needed: int | None  # persons moved there needed for the next departure here (when held)
    name_ar: str = ""  # the name in Arabic (the name itself where the agreement gives none)

    @property
    def held(self) -> bool:
        return self.allowance is not None and self.allowance <= 0

    def words(self) -> str:
        if self.allowance is None:
            return "no linked operation"
        if self.held:
            return f"held: linked operation {self.moved_there:,} of {self.needed:,} needed"
        return (f"open: {self.allowance:,} more may leave (linked operation {self.moved_there:,} moved, "
                f"{self.moved_here:,} moved here)")


def link_state(link: LinkTerms | None, moved_there: int, moved_here: int) -> LinkState:
    if link is None:
        return LinkState("", moved_there, moved_here, None, None)
    if link.ratio is not None:
        may = math.floor(moved_there / link.ratio + 1e-9)
        needed = math.ceil(link.ratio * (moved_here + 1) - 1e-9)
    else:
        reached = [s for s in link.steps if s.there <= moved_there]
        may = reached[-1].here if reached else 0
        nxt = next((s for s in link.steps if s.here > moved_here and s.there > moved_there), None)
        needed = nxt.there if nxt else None
    allowance = max(0, may - moved_here)
    return LinkState(link.name, moved_there, moved_here, allowance, needed if allowance <= 0 else None,
                     link.arabic_name)


# --- checking boarding and departures ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Breach:
    rule: str  # agreement.period | .destinations | .items | .mixing | .order | .quota | .link
    detail: str


@dataclass
class Aboard:
    """One person on (or boarding) a trip, with what the agreement needs to know of them."""

    token: str
    household: str
    category: str
    items: tuple[str, ...] = ()


@dataclass
class Moved:
    """Persons who have left already, as the quotas count them."""

    total: dict[str | None, int] = field(default_factory=dict)  # by category, None: everyone
    day: dict[str | None, int] = field(default_factory=dict)
    window: dict[str | None, int] = field(default_factory=dict)


def check_period(terms: AgreementTerms, at: datetime) -> list[Breach]:
    if terms.starts_at is not None and at < terms.starts_at:
        return [Breach("agreement.period", f"the agreement's departures start at {terms.starts_at.isoformat()}")]
    if terms.ends_at is not None and at >= terms.ends_at:
        return [Breach("agreement.period", f"the agreement's departures ended at {terms.ends_at.isoformat()}")]
    return []


def check_persons(terms: AgreementTerms, destination: str, persons: list[Aboard], vehicle_items=()) -> list[Breach]:
    """Destination and items of each person, by their category."""
    out = []
    for p in persons:
        cat = terms.category(p.category)
        if cat.destinations and destination not in cat.destinations:
            out.append(Breach("agreement.destinations",
                              f"{p.token} may not be taken to {destination} under the agreement "
                              f"(allowed: {', '.join(cat.destinations)})"))
        carried = set(p.items) | set(vehicle_items)
        bad = sorted((carried - set(cat.items_allowed)) if cat.items_allowed else set()) + \
            sorted(carried & set(cat.items_excluded))
        if bad:
            out.append(Breach("agreement.items", f"{p.token}: item(s) {', '.join(bad)} not allowed under the "
                                                 "agreement"))
    return out


def check_mixing(terms: AgreementTerms, persons: list[Aboard]) -> list[Breach]:
    """A household with a member who may not travel with civilians travels in vehicles of such households only:
    never in one vehicle with a civilian of a household without such a member (a household travels together)."""
    apart = [p for p in persons if not terms.category(p.category).with_civilians]
    kept = {p.household for p in apart}
    civilians = [p for p in persons if p.household not in kept and terms.category(p.category).civilian]
    if apart and civilians:
        return [Breach("agreement.mixing", f"{apart[0].token} may not travel in one vehicle with "
                                           f"{civilians[0].token} under the agreement")]
    return []


def check_order(terms: AgreementTerms, persons: list[Aboard], earlier_waiting: dict[int, int]) -> list[Breach]:
    """`earlier_waiting`: by order, persons still waiting unplanned at the same gathering point."""
    for p in persons:
        mine = terms.category(p.category).order
        ahead = sum(n for order, n in earlier_waiting.items() if order < mine)
        if ahead:
            return [Breach("agreement.order", f"{p.token} may leave only after the {ahead:,} person(s) of an earlier "
                                              "category waiting at this gathering point")]
    return []


def check_quotas(terms: AgreementTerms, persons: list[Aboard], moved: Moved) -> list[Breach]:
    leaving: dict[str | None, int] = {None: len(persons)}
    for p in persons:
        leaving[p.category] = leaving.get(p.category, 0) + 1
    out = []
    for i, q in enumerate(terms.quotas):
        n = leaving.get(q.category, 0)
        if not n:
            continue
        already = getattr(moved, q.period).get(q.category, 0)
        if already + n > q.limit:
            who = f"category {q.category}" if q.category else "everyone"
            out.append(Breach("agreement.quota", f"quotas[{i}]: at most {q.limit:,} per {q.period} ({who}); "
                                                 f"{already:,} left already, {n:,} more would exceed it"))
    return out


def check_link(state: LinkState, leaving: int) -> list[Breach]:
    if state.allowance is None or leaving <= state.allowance:
        return []
    if state.held:
        return [Breach("agreement.link", f"{state.name}: {state.words()}")]
    return [Breach("agreement.link", f"{state.name}: only {state.allowance:,} more may leave now, {leaving:,} aboard "
                                     f"(linked operation {state.moved_there:,} moved)")]


def quota_allowance(terms: AgreementTerms, moved: Moved) -> dict[str | None, int]:
    """How many more may leave now under the quotas: by category, and None: everyone (absent: no limit)."""
    out: dict[str | None, int] = {}
    for q in terms.quotas:
        left = max(0, q.limit - getattr(moved, q.period).get(q.category, 0))
        out[q.category] = min(out.get(q.category, left), left)
    return out
