"""The one check of a refusal in the unit tier: its class and the field it names, not its wording."""

from __future__ import annotations

import pytest


def refused(error: type[Exception], named: str | None, rule, *args, **kwargs):
    """`rule(*args, **kwargs)` refuses with exactly `error`, naming the field `named`; returns the refusal."""
    with pytest.raises(error) as e:
        rule(*args, **kwargs)
    assert type(e.value) is error and e.value.field == named
    return e.value
