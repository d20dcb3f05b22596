"""The use cases: one function each, each one transaction on the ledger."""

from . import access, accounts, agreement, alarms, duplicates, forecast, mapview, importing, movement, planning, printing, protection, registration, reports, setup  # noqa: F401
from . import linked, manifests, notifications, road  # noqa: F401
