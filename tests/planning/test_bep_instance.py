"""The BEP reader and the published results: good files parse, every malformed file is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.planning.bep.bench import default_root, find_instances
from corridor.planning.bep.instance import BepFormatError, parse, read
from corridor.planning.bep.published import lookup

BAD = Path(__file__).parent / "bad_bep"
SHARED = default_root()
needs_shared = pytest.mark.skipif(SHARED is None, reason="the shared BEP benchmark folder is not here")

SET3_I5 = """2 1
1 2
3 6 4 1 1
3 17 1 7 9

1 6 6 1

1 7 3 1
2 10 4 2
3 7 9 1
"""

# each malformed file, named after its defect, and the line its error must name
BAD_LINES = {
    "capacity-less-than-demand.txt": 4,
    "demand-total-mismatch.txt": 3,
    "depot-buses-not-adding-up.txt": 2,
    "empty-file.txt": 1,
    "extra-row.txt": 11,
    "fractional-distance.txt": 10,
    "missing-point-row.txt": 10,
    "missing-shelter-row.txt": 5,
    "negative-demand.txt": 3,
    "non-numeric-distance.txt": 9,
    "shelter-line-too-short.txt": 4,
    "short-depot-row.txt": 6,
    "truncated-after-depots.txt": 3,
    "wrong-row-length.txt": 8,
    "wrong-row-number.txt": 9,
    "zero-bus-capacity.txt": 1,
}


def test_parse_reads_every_field():
    instance = parse(SET3_I5, source="example", name="BEP-1-3-3-2-i5")
    assert instance.name == "BEP-1-3-3-2-i5"
    assert (instance.buses, instance.capacity, instance.depot_buses) == (2, 1, (2,))
    assert instance.demands == (4, 1, 1)
    assert instance.shelter_capacities == (1, 7, 9)
    assert instance.depot_times == ((6, 6, 1),)
    assert instance.shelter_times == ((7, 3, 1), (10, 4, 2), (7, 9, 1))
    assert instance.bus_depots == (0, 0)
    assert instance.total_demand == 6


def test_blank_lines_are_optional():
    assert parse(SET3_I5.replace("\n\n", "\n")) == parse(SET3_I5)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.txt")))
def test_a_malformed_file_is_refused_naming_its_line(name):
    assert name in BAD_LINES, f"add {name} and the line its error names to BAD_LINES"
    path = BAD / name
    with pytest.raises(BepFormatError) as caught:
        read(path)
    error = caught.value
    assert error.line == BAD_LINES[name]
    message = str(error)
    assert str(path) in message
    assert f"line {BAD_LINES[name]}:" in message
    assert "expected" in message


def test_every_listed_bad_file_exists():
    assert sorted(BAD_LINES) == sorted(p.name for p in BAD.glob("*.txt"))


@needs_shared
def test_every_shared_instance_parses():
    files = find_instances([SHARED])
    assert len(files) == 95
    for path in files:
        instance = read(path)
        assert instance.total_demand <= sum(instance.shelter_capacities)
        assert instance.buses == sum(instance.depot_buses)
    real = read(SHARED / "real" / "BEP-5-52-12-10.txt")
    assert (real.n_depots, real.n_points, real.n_shelters, real.capacity) == (5, 52, 12, 30)
    assert real.depot_buses == (2, 2, 2, 2, 2) and real.total_demand == 2250


@needs_shared
def test_published_results():
    set3_i5 = lookup("BEP-1-3-3-2-i5", SHARED)
    assert (set3_i5.cplex, set3_i5.cplex_status_text, set3_i5.grasp) == (8, "optimal", 10)
    assert (set3_i5.best, set3_i5.by) == (8, "CPLEX")
    assert lookup("BEP-1-2-2-2-i1", SHARED).by == "CPLEX+GRASP"
    no_cplex = lookup("BEP-1-8-8-5-i9", SHARED)
    assert no_cplex.cplex is None and no_cplex.cplex_status_text == "no result" and no_cplex.by == "GRASP"
    timed_out = lookup("BEP-1-10-10-6-i1", SHARED)
    assert (timed_out.cplex, timed_out.cplex_status_text, timed_out.best, timed_out.by) == (22, "time limit", 18, "GRASP")
    expected = {10: 35_554, 30: 14_977, 50: 11_873, 70: 13_463, 75: 18_534}
    for buses, value in expected.items():
        published = lookup(f"BEP-5-52-12-{buses}", SHARED)
        assert (published.best, published.by, published.cplex_status_text) == (value, "GRASP", "")
