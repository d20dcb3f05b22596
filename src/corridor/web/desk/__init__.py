"""The field desks: one screen per field role, each at its own path (the paths are part of issue 9's contract)."""

from __future__ import annotations

from ...domain.permissions import Role

DESKS: dict[Role, str] = {
    Role.REGISTRAR: "/desk/registration",
    Role.BOARDING_MARSHAL: "/desk/boarding",
    Role.CONVOY_MONITOR: "/desk/checkpoint",
    Role.RECEPTION: "/desk/reception",
    Role.MEDIC: "/desk/medical",
    Role.PROTECTION_OFFICER: "/desk/protection",
}
