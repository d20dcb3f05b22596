"""`domain/tokens.py`: the shape of a token, what reads back as one and what is refused. No database.

(tests/domain/test_tokens.py checks that every single mistyped symbol is caught.)"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.domain.errors import BadInput, MistypedToken
from corridor.domain.tokens import ALPHABET, BODY_LENGTH, make_token, normalise_token, token_kind
from tests.unit.refusing import refused


@given(st.sampled_from("HP"), st.integers(0, 2**32))
def test_a_token_is_its_kind_letter_and_symbols_of_the_alphabet(kind, seed):
    token = make_token(kind, random.Random(seed))
    assert len(token) == 2 + BODY_LENGTH and token[0] == kind and set(token[1:]) <= set(ALPHABET)
    assert normalise_token(token) == token
    assert token_kind(token) == {"H": "household", "P": "person"}[kind]


@given(st.integers(0, 2**32), st.integers(1, 2 + BODY_LENGTH - 1), st.sampled_from(["-", " ", "  "]))
def test_case_spaces_and_hyphens_do_not_matter(seed, cut, gap):
    token = make_token("P", random.Random(seed))
    assert normalise_token(f" {token[:cut].lower()}{gap}{token[cut:]} ") == token


def test_letters_that_look_like_digits_read_as_the_digits():
    rng = random.Random(1)
    token = next(t for t in (make_token("H", rng) for _ in range(500)) if "0" in t[1:] and "1" in t[1:])
    typed = token[0] + token[1:].replace("0", "O").replace("1", "l")
    assert normalise_token(typed) == token


def test_without_a_seed_tokens_are_drawn_at_random():
    assert len({make_token("P") for _ in range(50)}) == 50


def test_only_household_and_person_tokens_are_made():
    with pytest.raises(ValueError):
        make_token("X")


@given(st.integers(0, 2**32), st.integers(1, BODY_LENGTH - 1))
def test_swapped_neighbours_are_caught_except_0_and_z(seed, i):
    """Luhn mod 32 misses one swap of neighbouring symbols: 0 and Z (as mod 10 misses 0 and 9)."""
    token = make_token("P", random.Random(seed))
    swapped = token[:i] + token[i + 1] + token[i] + token[i + 2:]
    if swapped == token or {token[i], token[i + 1]} == {"0", "Z"}:
        assert normalise_token(swapped) == swapped
    else:
        refused(MistypedToken, "token", normalise_token, swapped)


@pytest.mark.parametrize("raw", ["", "H", "Z12345678", "P1234567", "P123456789", "P12345U78", "P1234!678", b"P", 7])
def test_what_cannot_be_a_token_is_refused_naming_the_callers_field(raw):
    refused(BadInput, "links", normalise_token, raw, "links")
