"""A NUL character in any text of any command is refused naming the field, wherever the command comes from (a
file read by the CLI, an import, the API), and nothing is recorded: no recorded text holds one (PostgreSQL's text
cannot). The API refused them at its edge; a claims file read by the CLI was recorded with them."""

from __future__ import annotations

import pytest

from corridor.domain.errors import BadInput
from corridor.service import claims, movement
from corridor.service.recording import Meta
from tests.helpers import nothing_changes

CLAIM = {"source": "a radio station", "reported_at": "2016-12-15T06:00:00+02:00",
         "figures": [{"metric": "persons_evacuated", "value": 3}]}


@pytest.mark.parametrize("claim, field", [
    ({**CLAIM, "source": "radio\x00"}, "source"),
    ({**CLAIM, "statement": "about\x00 3"}, "statement"),
    ({**CLAIM, "figures": [{"metric": "persons_evacuated", "value": 3, "about": "GP\x00"}]}, "figures[0].about"),
], ids=["source", "statement", "a figure's about"])
def test_a_claim_with_a_nul_character_is_refused_naming_the_field(op, claim, field):
    with nothing_changes(op), pytest.raises(BadInput) as refused:
        claims.record_many(op, Meta(), [claim])
    assert field in refused.value.detail and "NUL" in refused.value.detail


def test_a_boarding_override_with_a_nul_character_is_refused(op):
    with nothing_changes(op), pytest.raises(BadInput) as refused:
        movement.board(op, Meta(), trip="T00001", tokens="PN31JD7W4", override="agreed\x00")
    assert refused.value.field == "override"
