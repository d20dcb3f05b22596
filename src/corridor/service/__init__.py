"""The use cases: one function each, each one transaction on the ledger."""

from . import movement, planning, protection, registration, reports, setup  # noqa: F401
