"""Large batches stay below the database's limit on variables in one statement."""

import random

import pytest

from corridor.domain.errors import BadInput
from corridor.domain.tokens import make_token
from corridor.service import registration
from corridor.service.recording import Meta
from corridor.store import queries as q
from tests.conftest import person

TOO_MANY = 260_000  # more variables than SQLite allows in one statement (32,766, or 250,000 in Debian's build)


def test_looking_up_more_tokens_than_the_variable_limit_works(op):
    rng = random.Random(3)
    tokens = [make_token("P", rng) for _ in range(TOO_MANY)]
    with op.reading() as uow:
        assert q.tokens_taken(uow.conn, tokens) == set()


@pytest.mark.slow
def test_a_household_of_130_000_persons_is_refused_for_its_size_not_by_the_database(op):
    huge = {"gathering_point": "GP-A", "destination": "RC-1", "persons": [person() for _ in range(130_000)]}
    with pytest.raises(BadInput) as e:
        registration.register_household(op, Meta(), huge)
    assert e.value.field == "persons" and "more than 200" in e.value.detail
