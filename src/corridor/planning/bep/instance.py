"""Reading a Bus Evacuation Problem (BEP) instance file.

The format (whitespace-separated, as published with the GRASP study of
Loyola Vitali and generated after Goerigk, Grün and Heßler)::

    B Q                      number of buses, bus capacity
    Y b1 … bY                number of depots, buses at each depot
    P D d1 … dP              number of collection points, total demand, demands
    S C c1 … cS              number of shelters, total capacity, capacities
                             (blank line)
    y t(y,1) … t(y,P)        one row per depot: travel time to each point
                             (blank line)
    p t(p,1) … t(p,S)        one row per point: travel time to each shelter

Blank lines are optional wherever they appear. Reading goes in three steps:
`read` takes the file's text, `parse` turns the text into numbered records
(checking every number where it stands, so that an error can name its line),
and `build` makes the `BepInstance`. A malformed file raises `BepFormatError`,
whose message names the file, the line and what was expected there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["BepFormatError", "BepInstance", "parse", "read"]


class BepFormatError(ValueError):
    """A BEP file that does not follow the format; names the file and the line."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}, line {line}: {message}")
        self.source = source
        self.line = line
        self.reason = message


@dataclass(frozen=True)
class BepInstance:
    """One BEP instance. Indices are 0-based; times are integers.

    `depot_times[y][p]` is the travel time from depot y to point p;
    `shelter_times[p][s]` the travel time between point p and shelter s
    (the same both ways).
    """

    name: str
    capacity: int
    depot_buses: tuple[int, ...]
    demands: tuple[int, ...]
    shelter_capacities: tuple[int, ...]
    depot_times: tuple[tuple[int, ...], ...]
    shelter_times: tuple[tuple[int, ...], ...]

    @property
    def buses(self) -> int:
        return sum(self.depot_buses)

    @property
    def n_depots(self) -> int:
        return len(self.depot_buses)

    @property
    def n_points(self) -> int:
        return len(self.demands)

    @property
    def n_shelters(self) -> int:
        return len(self.shelter_capacities)

    @property
    def total_demand(self) -> int:
        return sum(self.demands)

    @property
    def bus_depots(self) -> tuple[int, ...]:
        """The depot of each bus: buses are numbered depot by depot."""
        return tuple(y for y, count in enumerate(self.depot_buses) for _ in range(count))

    def network_key(self) -> tuple:
        """Everything but the fleet: instances with the same key differ only in buses per depot."""
        return (self.capacity, self.demands, self.shelter_capacities, self.depot_times, self.shelter_times)


# -- read → parse → build --------------------------------------------------------------------------


def read(path: str | Path) -> BepInstance:
    """The instance in the file at `path`; `BepFormatError` if it is malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BepFormatError(str(path), _line_of_offset(path.read_bytes(), error.start),
                             "expected plain text (UTF-8 or ASCII)") from None
    return parse(text, source=str(path), name=path.stem)


def parse(text: str, source: str = "<text>", name: str | None = None) -> BepInstance:
    """The instance in `text`; `source` names it in error messages."""
    return build(_records(text, source), source, name if name is not None else Path(source).stem)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


@dataclass(frozen=True)
class _Line:
    number: int
    fields: tuple[str, ...]


class _Reader:
    """The non-blank lines of a file, one after the other, with their line numbers."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.lines = [
            _Line(number, tuple(raw.split()))
            for number, raw in enumerate(text.splitlines(), start=1)
            if raw.strip()
        ]
        self.position = 0
        self.last_line = len(text.splitlines())

    def next(self, what: str) -> _Line:
        if self.position >= len(self.lines):
            raise BepFormatError(self.source, self.last_line + 1, f"expected {what}, found the end of the file")
        line = self.lines[self.position]
        self.position += 1
        return line

    def error(self, line: _Line, message: str) -> BepFormatError:
        return BepFormatError(self.source, line.number, message)

    def integers(self, line: _Line, what: str, names: list[str], minimum: int = 0) -> list[int]:
        """The fields of `line` as integers ≥ `minimum`; exactly len(names) of them."""
        if len(line.fields) != len(names):
            raise self.error(line, f"expected {len(names)} numbers ({what}: {_describe(names)}), "
                                   f"found {len(line.fields)}")
        values = []
        for field, label in zip(line.fields, names):
            values.append(self.integer(line, field, label, minimum))
        return values

    def integer(self, line: _Line, field: str, label: str, minimum: int = 0) -> int:
        try:
            value = int(field)
        except ValueError:
            raise self.error(line, f"expected a whole number for {label}, found {field!r}") from None
        if value < minimum:
            kind = "positive" if minimum == 1 else "non-negative" if minimum == 0 else f"≥ {minimum}"
            raise self.error(line, f"expected a {kind} whole number for {label}, found {value}")
        return value


def _describe(names: list[str]) -> str:
    if len(names) <= 4:
        return ", ".join(names)
    return f"{names[0]}, {names[1]}, …, {names[-1]}"


@dataclass(frozen=True)
class _Records:
    reader: _Reader
    header: tuple[_Line, _Line, _Line, _Line]
    buses: int
    capacity: int
    depot_buses: list[int]
    total_demand: int
    demands: list[int]
    total_capacity: int
    capacities: list[int]
    depot_rows: list[tuple[_Line, list[int]]]
    point_rows: list[tuple[_Line, list[int]]]


def _counted(reader: _Reader, what: str, count_label: str, item: str, items: str, total_label: str | None,
             minimum: int) -> tuple[_Line, int, int | None, list[int]]:
    """A header line `n [total] v1 … vn`."""
    line = reader.next(what)
    if not line.fields:
        raise reader.error(line, f"expected {what}")
    count = reader.integer(line, line.fields[0], count_label, 1)
    expected = count + (2 if total_label else 1)
    if len(line.fields) != expected:
        shape = f"{count_label}, " + (f"{total_label}, " if total_label else "") + f"then {count} {items}"
        raise reader.error(line, f"expected {expected} numbers in {what} ({shape}), found {len(line.fields)}")
    names = [count_label] + ([total_label] if total_label else []) + [f"{item} {i}" for i in range(1, count + 1)]
    values = reader.integers(line, what, names, 0)
    total = values[1] if total_label else None
    items = values[2:] if total_label else values[1:]
    for index, value in enumerate(items, start=1):
        if value < minimum:
            raise reader.error(line, f"expected {item} {index} to be at least {minimum}, found {value}")
    return line, count, total, items


def _records(text: str, source: str) -> _Records:
    reader = _Reader(text, source)

    first = reader.next("the fleet line 'B Q' (number of buses, bus capacity)")
    buses, capacity = reader.integers(first, "the fleet line 'B Q'", ["number of buses B", "bus capacity Q"], 0)
    if capacity < 1:
        raise reader.error(first, f"expected a positive bus capacity Q, found {capacity}")

    depots_line, _, _, depot_buses = _counted(
        reader, "the depot line 'Y b1 … bY'", "number of depots Y", "the buses at depot", "bus counts", None, 0)
    points_line, n_points, total_demand, demands = _counted(
        reader, "the demand line 'P D d1 … dP'", "number of collection points P", "the demand of point",
        "demands", "total demand D", 0)
    shelters_line, n_shelters, total_capacity, capacities = _counted(
        reader, "the shelter line 'S C c1 … cS'", "number of shelters S", "the capacity of shelter",
        "capacities", "total capacity C", 0)

    depot_rows = []
    for y in range(1, len(depot_buses) + 1):
        line = reader.next(f"the travel-time row of depot {y} ('{y} t({y},1) … t({y},{n_points})')")
        depot_rows.append((line, _row(reader, line, "depot", y, "point", n_points)))
    point_rows = []
    for p in range(1, n_points + 1):
        line = reader.next(f"the travel-time row of collection point {p} ('{p} t({p},1) … t({p},{n_shelters})')")
        point_rows.append((line, _row(reader, line, "collection point", p, "shelter", n_shelters)))
    if reader.position < len(reader.lines):
        extra = reader.lines[reader.position]
        raise reader.error(extra, "expected the end of the file after the last collection point's row, "
                                  f"found {' '.join(extra.fields[:6])!r}")
    return _Records(reader, (first, depots_line, points_line, shelters_line), buses, capacity, depot_buses,
                    total_demand or 0, demands, total_capacity or 0, capacities, depot_rows, point_rows)


def _row(reader: _Reader, line: _Line, kind: str, index: int, to: str, count: int) -> list[int]:
    names = [f"the {kind} number"] + [f"the time from {kind} {index} to {to} {j}" for j in range(1, count + 1)]
    if len(line.fields) != count + 1:
        raise reader.error(line, f"expected {count + 1} numbers in the row of {kind} {index} "
                                 f"(its number, then a travel time to each of the {count} {to}s), "
                                 f"found {len(line.fields)}")
    values = [reader.integer(line, field, label, 0) for field, label in zip(line.fields, names)]
    if values[0] != index:
        raise reader.error(line, f"expected the row of {kind} {index} to start with {index}, found {values[0]}")
    return values[1:]


def build(records: _Records, source: str, name: str) -> BepInstance:
    """The instance the records describe, after the checks that span several lines."""
    reader = records.reader
    first, depots_line, points_line, shelters_line = records.header
    if sum(records.depot_buses) != records.buses:
        raise reader.error(depots_line, f"expected the buses at the depots to add up to B = {records.buses} "
                                        f"(line {first.number}), found {sum(records.depot_buses)}")
    if sum(records.demands) != records.total_demand:
        raise reader.error(points_line, f"expected the demands to add up to the total demand "
                                        f"D = {records.total_demand}, found {sum(records.demands)}")
    if sum(records.capacities) != records.total_capacity:
        raise reader.error(shelters_line, f"expected the shelter capacities to add up to the total capacity "
                                          f"C = {records.total_capacity}, found {sum(records.capacities)}")
    if records.total_capacity < records.total_demand:
        raise reader.error(shelters_line, f"expected a total shelter capacity of at least the total demand "
                                          f"{records.total_demand} (line {points_line.number}), "
                                          f"found {records.total_capacity}")
    if records.total_demand > 0 and records.buses == 0:
        raise reader.error(first, f"expected at least one bus for a demand of {records.total_demand}, found B = 0")
    return BepInstance(
        name=name,
        capacity=records.capacity,
        depot_buses=tuple(records.depot_buses),
        demands=tuple(records.demands),
        shelter_capacities=tuple(records.capacities),
        depot_times=tuple(tuple(row) for _, row in records.depot_rows),
        shelter_times=tuple(tuple(row) for _, row in records.point_rows),
    )
