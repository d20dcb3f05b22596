import random

import pytest

from corridor.domain.errors import BadInput
from corridor.domain.tokens import ALPHABET, make_token, normalise_token


def test_a_token_reads_back_as_itself_in_any_case_and_with_lookalikes():
    token = make_token("P", random.Random(3))
    assert normalise_token(token) == token
    assert normalise_token(token.lower()) == token
    assert normalise_token(f" {token[:5]}-{token[5:]} ") == token
    if "0" in token[1:]:
        assert normalise_token(token[0] + token[1:].replace("0", "O")) == token


def test_every_single_mistyped_symbol_is_caught():
    rng = random.Random(5)
    for _ in range(200):
        token = make_token("H", rng)
        for i in range(1, len(token)):
            for c in ALPHABET:
                if c != token[i]:
                    with pytest.raises(BadInput):
                        normalise_token(token[:i] + c + token[i + 1:])


@pytest.mark.parametrize("raw", ["", "X1234567", "P123", "PUUUUUUUU", 42, None, "P12345678901"])
def test_what_cannot_be_a_token_is_refused(raw):
    with pytest.raises(BadInput) as e:
        normalise_token(raw)
    assert e.value.field == "token"


def test_same_seed_same_tokens():
    assert [make_token("P", random.Random(9)) for _ in range(3)] == [make_token("P", random.Random(9)) for _ in range(3)]
