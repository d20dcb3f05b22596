"""A set-up description's entries: unknown or missing keys are bad input; a defect stays a defect."""

import copy

import pytest

from corridor.domain import operation
from corridor.domain.errors import BadInput
from corridor.service import setup
from tests.conftest import SMALL_SPEC


def test_an_unknown_key_is_bad_input_naming_the_entry_and_key(rt):
    spec = copy.deepcopy(SMALL_SPEC)
    spec["sites"][1]["colour"] = "blue"
    with pytest.raises(BadInput) as refused:
        setup.load_setup(rt, spec)
    assert refused.value.field == "sites[1].colour"
    assert "unknown key(s) 'colour'" in refused.value.detail


def test_a_missing_key_is_bad_input(rt):
    spec = copy.deepcopy(SMALL_SPEC)
    del spec["legs"][0]["minutes"]
    with pytest.raises(BadInput) as refused:
        setup.load_setup(rt, spec)
    assert refused.value.field == "legs[0].minutes" and "missing 'minutes'" in refused.value.detail


def test_a_type_error_inside_a_use_case_is_not_turned_into_bad_input(rt, monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("a defect in the code, not in the description")

    monkeypatch.setattr(operation, "define_site", broken)
    with pytest.raises(TypeError):
        setup.load_setup(rt, SMALL_SPEC)
