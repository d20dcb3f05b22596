"""The use cases: one function each, each one transaction on the ledger."""

from . import duplicates, movement, planning, protection, registration, reports, setup  # noqa: F401
