"""Claims: what others say about the operation — who said it, through whom, when, how far it can be trusted.

A claim is never the operation's own record (the ledger's facts); it is kept as said, graded on the NATO
Admiralty scale (source reliability A–F, information credibility 1–6), and its figures use one vocabulary
of metrics, each with its meaning and its HXL hashtag. `parse_claim` checks a claim as sent (a JSON object)
and names the first bad field the way the sender wrote it (`figures[0].low`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import urlsplit

from .errors import BadInput
from .values import parse_enum, parse_time


class SourceKind(str, Enum):
    HUMANITARIAN = "humanitarian"
    UN = "un"
    GOVERNMENT = "government"
    ARMED_GROUP = "armed_group"
    MEDIA = "media"
    MONITOR = "monitor"
    WITNESS = "witness"
    OTHER = "other"


class OperationState(str, Enum):
    RUNNING = "running"
    HALTED = "halted"
    COMPLETE = "complete"


# Admiralty (NATO STANAG 2511) grading: letter for the source, digit for the information; F and 6: cannot be judged
RELIABILITY: dict[str, str] = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY: dict[int, str] = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}
# weight of each grade in the estimate (docs/picture.md); a claim weighs reliability x credibility
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.1}
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 6: 0.1}


def weight(reliability: str, credibility: int) -> float:
    """How much a claim counts in the estimate: 1.0 for A1 down to 0.01 for F6 (ungraded counts least)."""
    return RELIABILITY_WEIGHT[reliability] * CREDIBILITY_WEIGHT[credibility]


@dataclass(frozen=True)
class Metric:
    code: str
    hxl: str  # the HXL 1.1 hashtag and attributes of a column holding this metric (#x_: none in the standard)
    cumulative: bool  # counts since the operation began (else: at one time, or of what `about` names)
    en: str
    ar: str
    meaning: str


METRICS: dict[str, Metric] = {m.code: m for m in (
    Metric("persons_evacuated", "#population+evacuated", True, "Persons evacuated", "الأشخاص الذين تم إجلاؤهم",
           "people who have left the area since the operation began"),
    Metric("persons_remaining", "#population+remaining", False, "Persons remaining", "الأشخاص المتبقون",
           "people still in the area waiting to leave"),
    Metric("wounded_evacuated", "#affected+injured+evacuated", True, "Wounded evacuated", "الجرحى الذين تم إجلاؤهم",
           "wounded or sick people who have left the area since the operation began"),
    Metric("convoys", "#x_convoys", True, "Convoys", "القوافل", "convoys that have left since the operation began"),
    Metric("buses", "#x_vehicles+bus", False, "Buses", "الحافلات", "buses used (in what `about` names, if given)"),
    Metric("ambulances", "#x_vehicles+ambulance", False, "Ambulances", "سيارات الإسعاف",
           "ambulances used (in what `about` names, if given)"),
    Metric("private_vehicles", "#x_vehicles+private", False, "Private vehicles", "السيارات الخاصة",
           "private cars and vans that left (in what `about` names, if given)"),
    Metric("vehicles_attacked", "#x_vehicles+attacked", False, "Vehicles attacked", "المركبات التي تعرضت لهجوم",
           "vehicles attacked, burnt or damaged"),
    Metric("killed", "#affected+killed", False, "Killed", "القتلى", "people killed in connection with the operation"),
    Metric("injured", "#affected+injured", False, "Injured", "المصابون",
           "people injured in connection with the operation"),
)}

CLAIM_KEYS = ("source", "source_kind", "outlet", "url", "reported_at", "statement", "reliability", "credibility",
              "figures", "operation_state")
FIGURE_KEYS = ("metric", "value", "low", "high", "as_of", "about")
MAX_FIGURES = 50


@dataclass(frozen=True)
class Figure:
    """One figure of a claim: `value`, or a range `low`–`high`, or `low` alone ("more than 8,000": high None)."""

    metric: str
    value: int | None
    low: int
    high: int | None
    as_of: datetime
    about: str | None = None

    @property
    def top(self) -> float:
        return math.inf if self.high is None else self.high

    @property
    def central(self) -> float:
        """The figure's one number: its value, the middle of its range, or its lower bound when open-ended."""
        return self.low if self.high is None else (self.low + self.high) / 2


@dataclass(frozen=True)
class ClaimContent:
    source: str
    source_kind: SourceKind
    outlet: str | None
    url: str | None
    reported_at: datetime
    statement: str
    reliability: str
    credibility: int
    figures: tuple[Figure, ...]
    operation_state: OperationState | None

    @property
    def source_key(self) -> str:
        """The source as one body, however it was written (case, spaces): one source never counts twice."""
        return " ".join(self.source.split()).casefold()


def _text(raw: dict, key: str, field: str, *, required: bool = False, limit: int = 200) -> str | None:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInput(f"{field}: required", field=field)
        return None
    if not isinstance(value, str):
        raise BadInput(f"{field}: expected text, got {value!r}", field=field)
    value = " ".join(value.split()) if limit <= 200 else value.strip()
    if len(value) > limit:
        raise BadInput(f"{field}: at most {limit} characters", field=field)
    return value


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (math.inf, -math.inf):
        raise BadInput(f"{field}: expected a whole number of 0 or more, got {value!r}", field=field)
    if value < 0 or int(value) != value:
        raise BadInput(f"{field}: expected a whole number of 0 or more, got {value!r}", field=field)
    return int(value)


def _unknown(raw: dict, allowed: tuple[str, ...], prefix: str) -> None:
    for key in raw:
        if key not in allowed:
            raise BadInput(f"{prefix}{key}: not a field of a {'figure' if prefix else 'claim'} "
                           f"(expected {', '.join(allowed)})", field=f"{prefix}{key}")


def parse_figure(raw: object, i: int, reported_at: datetime) -> Figure:
    where = f"figures[{i}]"
    if not isinstance(raw, dict):
        raise BadInput(f"{where}: expected an object with metric and value (or low, high)", field=where)
    _unknown(raw, FIGURE_KEYS, f"{where}.")
    metric = raw.get("metric")
    if metric not in METRICS:
        raise BadInput(f"{where}.metric: expected one of {', '.join(METRICS)}, got {metric!r}", field=f"{where}.metric")
    value, low, high = raw.get("value"), raw.get("low"), raw.get("high")
    if value is not None:
        if low is not None or high is not None:
            raise BadInput(f"{where}.value: give value, or low and high, not both", field=f"{where}.value")
        low = high = value = _count(value, f"{where}.value")
    else:
        if low is None:
            field = f"{where}.high" if high is not None else f"{where}.value"
            raise BadInput(f"{field}: give value, or low (and high)", field=field)
        low = _count(low, f"{where}.low")
        high = None if high is None else _count(high, f"{where}.high")
        if high is not None and low > high:
            raise BadInput(f"{where}.low: {low} is more than high ({high})", field=f"{where}.low")
    as_of = parse_time(raw["as_of"], f"{where}.as_of") if raw.get("as_of") is not None else reported_at
    if as_of > reported_at:
        raise BadInput(f"{where}.as_of: {as_of.isoformat()} is after the claim was reported "
                       f"({reported_at.isoformat()}); a claim reports what has happened", field=f"{where}.as_of")
    return Figure(metric, value, low, high, as_of, _text(raw, "about", f"{where}.about"))


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracket left open in the host, a host that reads as another under NFKC
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_claim(raw: object) -> ClaimContent:
    """A claim as sent, checked: every refusal names its field."""
    if not isinstance(raw, dict):
        raise BadInput("claim: expected a JSON object", field="claim")
    _unknown(raw, CLAIM_KEYS, "")
    source = _text(raw, "source", "source", required=True)
    kind = parse_enum(SourceKind, raw.get("source_kind") or "other", "source_kind")
    url = _text(raw, "url", "url", limit=2000)
    if url is not None and not _web_address(url):
        raise BadInput(f"url: expected an http(s) address, got {url!r}", field="url")
    if raw.get("reported_at") is None:
        raise BadInput("reported_at: required (when the claim was made, ISO 8601 with offset)", field="reported_at")
    reported_at = parse_time(raw["reported_at"], "reported_at")
    reliability = raw.get("reliability", "F")
    if not isinstance(reliability, str) or reliability.strip().upper() not in RELIABILITY:
        raise BadInput(f"reliability: expected a letter A–F (F: cannot be judged), got {reliability!r}",
                       field="reliability")
    credibility = raw.get("credibility", 6)
    if isinstance(credibility, str) and credibility.strip().isdigit():
        credibility = int(credibility)
    if isinstance(credibility, bool) or credibility not in CREDIBILITY:
        raise BadInput(f"credibility: expected a digit 1–6 (6: cannot be judged), got {credibility!r}",
                       field="credibility")
    figures = raw.get("figures") or []
    if not isinstance(figures, list) or len(figures) > MAX_FIGURES:
        raise BadInput(f"figures: expected a list of at most {MAX_FIGURES} figures", field="figures")
    state = raw.get("operation_state")
    state = parse_enum(OperationState, state, "operation_state") if state is not None else None
    if not figures and state is None:
        raise BadInput("figures: a claim gives at least one figure or an operation_state", field="figures")
    return ClaimContent(
        source=source, source_kind=kind, outlet=_text(raw, "outlet", "outlet"), url=url, reported_at=reported_at,
        statement=_text(raw, "statement", "statement", limit=4000) or "", reliability=reliability.strip().upper(),
        credibility=int(credibility), figures=tuple(parse_figure(f, i, reported_at) for i, f in enumerate(figures)),
        operation_state=state)
