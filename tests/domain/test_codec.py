"""The canonical JSON of a value made directly equals the one made from its plain copy, byte for byte:
ledger payloads and command fingerprints must not change when the encoder does."""

from datetime import date, datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.domain.codec import canonical_json, canonical_json_of, to_plain
from corridor.domain.events import EVENT_TYPES, PersonRecord
from corridor.domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability

events = st.one_of([st.from_type(cls) for cls in EVENT_TYPES.values()])
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=6),
                   st.sampled_from([*Sex, *Mobility, *Precedence, *Vulnerability]), st.dates(),
                   st.datetimes(timezones=st.just(timezone.utc)), st.from_type(PersonRecord))
raw = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(events)
def test_every_event(event):
    assert canonical_json_of(event) == canonical_json(to_plain(event))


@settings(max_examples=300, deadline=None)
@given(raw)
def test_any_parameters(value):
    assert canonical_json_of(value) == canonical_json(to_plain(value))


def test_a_registration_as_recorded():
    person = PersonRecord(token="P7K3M9QX4", name_ar="محمد", name_latin="Mohammed", sex=Sex("male"), birth_year=1980,
                          birth_date=date(1980, 3, 1), relationship=Relationship("head"), mobility=Mobility("walks"),
                          precedence=Precedence("routine"), vulnerabilities=(Vulnerability("older_person"),),
                          links=("P2222222X",))
    params = {"persons": [{"sex": Sex("male"), "born": date(1980, 3, 1)}], "at": datetime(2016, 12, 15, 9, 0),
              "record": person, "tokens": ("a", "b")}
    assert canonical_json_of(params) == canonical_json(to_plain(params))
